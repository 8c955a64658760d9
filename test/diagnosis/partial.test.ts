import { describe, expect, it } from 'vitest';
import { notConcluded } from '../../src/diagnosis/gaps.js';
import type { Outcome } from '../../src/diagnosis/plan.js';
import { evaluate } from '../../src/diagnosis/rules.js';
import { DNS2, ENV, healthy, input, silentCloud } from './synthetic.js';

/** Marks outcomes as refused by the agent's allowlist (what the agent runner does with a refusal). */
function refuse(outcomes: Outcome[], which: (o: Outcome) => boolean): Outcome[] {
  return outcomes.map((o) =>
    which(o)
      ? ({
          ...o,
          result: { ...o.result, notRun: { reason: 'refused', message: 'outside the allowlist', allow: o.result.target } },
        } as Outcome)
      : o,
  );
}
const ran = (outcomes: Outcome[]): Outcome[] => outcomes.filter((o) => !o.result.notRun);

describe('a partial check: probes refused by the agent are left out, and the open questions are named', () => {
  it('every probe towards the cloud refused: no tunnel verdict from silence nobody listened for', () => {
    const i = input();
    const all = refuse(silentCloud(i, [null, null]), (o) => o.role !== 'local-dns' && o.role !== 'edge-ping');
    const { verdict, findings } = evaluate(i, ran(all));
    expect(findings.map((f) => f.code)).not.toContain('tunnel-down');
    expect(verdict).not.toBe('down');
    const gaps = notConcluded(i, all);
    expect(gaps[0]).toMatchObject({ codes: ['tunnel-down', 'internal-routing', 'vpn-device'] });
    expect(gaps[0]!.notRun).toHaveLength(6); // 2 pings, 2 traces, 2 cloud DNS queries
    expect(gaps.some((g) => g.question === `whether ${ENV} answers on TCP 443 and 80`)).toBe(true);
  });

  it('the same silence with the probes run is still tunnel-down (the rule is not weakened)', () => {
    const i = input();
    expect(evaluate(i, silentCloud(i, [null, null])).findings.map((f) => f.code)).toContain('tunnel-down');
  });

  it('one cloud DNS server refused: it is not called unreachable; the other is still judged', () => {
    const i = input();
    const all = refuse(healthy(i), (o) => (o.role === 'cloud-dns' || o.role === 'dns-ping' || o.role === 'dns-trace') && o.server === DNS2);
    const { verdict, findings } = evaluate(i, ran(all));
    expect(findings).toEqual([]);
    expect(verdict).toBe('healthy');
    expect(notConcluded(i, all).map((g) => g.question)).toEqual([
      `whether cloud DNS server ${DNS2} answers ping`,
      `where the path to ${DNS2} stops (your network or the VPN device)`,
      `whether cloud DNS server ${DNS2} answers for ${ENV}`,
    ]);
    expect(notConcluded(i, healthy(i))).toEqual([]);
  });

  it('TCP 80 refused: no port-blocked for it, and the question stays open', () => {
    const i = input();
    const all = refuse(healthy(i), (o) => o.role === 'tcp' && o.port === 80);
    expect(evaluate(i, ran(all)).findings.map((f) => f.code)).not.toContain('port-blocked');
    expect(notConcluded(i, all)).toEqual([
      { question: `whether TCP 80 to ${ENV} connects`, codes: ['port-blocked'], notRun: [expect.stringMatching(/^tcp .*:80$/)] },
    ]);
  });
});
