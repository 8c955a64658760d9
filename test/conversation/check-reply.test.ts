import { describe, expect, it } from 'vitest';
import { checkCommand, checkReply } from '../../src/conversation/check-reply.js';
import { linkKnowledge } from '../../src/diagnosis/knowledge-link.js';
import type { CheckReport } from '../../src/diagnosis/report.js';
import { evaluate } from '../../src/diagnosis/rules.js';
import { toReportProbe } from '../../src/diagnosis/run-check.js';
import { parseCommand } from '../../src/conversation/commands.js';
import type { Outcome } from '../../src/diagnosis/plan.js';
import { loadKnowledgeBase } from '../../src/knowledge/loader.js';
import {
  CORE,
  dns,
  DNS1,
  DNS2,
  EDGE,
  ENV,
  healthy,
  icmp,
  input,
  PUBLIC_FRONT,
  RESOLVER,
  silentCloud,
  withOutcomes,
} from '../diagnosis/synthetic.js';

function report(i = input(), outcomes: Outcome[] = healthy(i)): CheckReport {
  const { verdict, findings } = evaluate(i, outcomes);
  return { verdict, findings: findings.map((f) => linkKnowledge(f, null)), probes: outcomes.map((o) => toReportProbe(o.result)) };
}

describe('check report as a Reply', () => {
  it('tunnel down: the topic stays phase1-ike-failure, and keeping traffic flowing is offered as a follow-up', () => {
    const i = input();
    const kb = loadKnowledgeBase();
    const r = checkReply(report(i, silentCloud(i, [CORE, EDGE, null])), { input: i, kb });
    expect(r.findings.map((f) => f.code)).toEqual(['tunnel-down', 'vpn-device']);
    expect(r.topic).toBe('phase1-ike-failure');
    expect(r.summary).toMatch(/keep traffic flowing/);
    expect(r.followUps).toContain(kb.byId.get('keep-traffic-flowing')!.title);
    expect(r.followUps).toContain(kb.byId.get('testing-connectivity')!.title);
  });

  it('healthy: verdict, one evidence row per probe, a rerun action, no steps', () => {
    const i = input();
    const r = checkReply(report(i), { input: i });
    expect(r).toMatchObject({ kind: 'check', title: `VPN check of ${i.hosts.join(', ')}`, verdict: 'healthy', steps: [], findings: [] });
    expect(r.summary).toMatch(/All 11 probes answered/);
    expect(r.evidence).toHaveLength(11);
    expect(r.evidence.every((e) => e.ok === true)).toBe(true);
    expect(r.evidence.slice(0, 3).map((e) => e.label)).toEqual(['Ping cloud DNS', 'Ping cloud DNS', 'Ping edge device']);
    expect(r.actions).toEqual([{ id: 'rerun', label: 'Run checks again', command: checkCommand(i), style: 'primary' }]);
  });

  it('degraded: the most severe finding gives summary, section, topic and steps', () => {
    const i = input();
    const outcomes = withOutcomes(
      healthy(i),
      { role: 'local-dns', host: ENV, result: dns(ENV, RESOLVER, [PUBLIC_FRONT]) },
      { role: 'dns-ping', server: DNS1, result: icmp(DNS1, 'no-reply') },
    );
    const r = checkReply(report(i, outcomes), { input: i });
    expect(r.verdict).toBe('degraded');
    expect(r.findings.map((f) => f.code)).toEqual(['dns-forwarder-missing', 'dns-ping-blocked']);
    expect(r.summary).toBe(r.findings[0]!.summary);
    expect(r.topic).toBe('connect-from-internal-network');
    expect(r.section).toBe('How can I connect to my OutSystems Cloud environments from my internal network?');
    expect(r.steps[0]!.text).toMatch(/guide's section/);
    expect(r.actions.map((a) => a.id)).toEqual(['rerun', 'topic', 'support-case']);
    const resolverRow = r.evidence.find((e) => e.label === 'DNS (your resolver)')!;
    expect(resolverRow).toMatchObject({ ok: false, outcome: `${PUBLIC_FRONT} (public, TTL 60)` });
  });

  it('ICMP not permitted shows as neither good nor bad', () => {
    const i = input();
    const outcomes = withOutcomes(healthy(i), { role: 'dns-ping', server: DNS2, result: icmp(DNS2, 'not-permitted') });
    const r = checkReply(report(i, outcomes), { input: i });
    expect(r.evidence.find((e) => e.target === DNS2 && e.label === 'Ping cloud DNS')!.ok).toBeNull();
  });

  it('the rerun command is understood by the conversation core', () => {
    const i = input({ sentry: true, timeoutMs: 8000 });
    const text = checkCommand(i, 'office-1');
    expect(text).toBe(`check ${ENV} dns ${DNS1} dns ${DNS2} resolver ${RESOLVER} edge ${EDGE} sentry timeout 8000 on office-1`);
    expect(parseCommand(text)).toEqual({
      name: 'check',
      args: { hosts: [ENV], dnsServers: [DNS1, DNS2], resolver: RESOLVER, edge: EDGE, sentry: true, timeoutMs: 8000, agent: 'office-1' },
    });
  });
});
