import { describe, expect, it } from 'vitest';
import { notConcluded } from '../../src/diagnosis/gaps.js';
import type { Outcome } from '../../src/diagnosis/plan.js';
import { evaluate } from '../../src/diagnosis/rules.js';
import { failedResult } from '../../src/probes/catalogue.js';
import { CORE, DNS1, DNS2, EDGE, healthy, input, route, silentCloud, trace, withOutcomes } from './synthetic.js';

/**
 * This machine's routing table as evidence: the next hop of its route to the cloud DNS servers, compared
 * with the one to its VPN edge device, tells internal routing from the VPN device where traceroute and
 * ping cannot (a silent trace and an edge that answers its own ping fit both).
 */
const i = input();
const routes = (cloudVia: string | null, edgeVia: string | null, status?: Parameters<typeof route>[2]): Outcome[] => [
  { role: 'dns-route', server: DNS1, result: route(DNS1, cloudVia, status) },
  { role: 'dns-route', server: DNS2, result: route(DNS2, cloudVia, status) },
  { role: 'edge-route', server: EDGE, result: route(EDGE, edgeVia) },
];
const silent = silentCloud(i, [null, null, null]); // every trace hop silent; the edge answers ping
const codes = (out: Outcome[]) => evaluate(i, out).findings.map((f) => `${f.code}/${f.severity}`);

describe('route evidence in the path rule', () => {
  it('the cloud range goes via another next hop than the edge: internal-routing, naming both first hops', () => {
    const r = evaluate(i, [...silent, ...routes('10.250.1.99', CORE)]);
    expect(r.verdict).toBe('down');
    expect(r.findings.map((f) => f.code)).toEqual(['internal-routing']);
    expect(r.findings[0]!.summary).toContain(
      `sends the cloud traffic via 10.250.1.99 dev eth0 but reaches your VPN edge device ${EDGE} via ${CORE} dev eth0`,
    );
    expect(r.findings[0]!.evidence).toContainEqual({ kind: 'route', target: DNS1, fact: 'via 10.250.1.99 dev eth0, source 10.250.1.10' });
  });

  it('the route hands the cloud traffic to the edge itself: tunnel-down + vpn-device, even with a silent trace', () => {
    const r = evaluate(i, [...silent, ...routes(EDGE, null)]);
    expect(r.findings.map((f) => f.code)).toEqual(['tunnel-down', 'vpn-device']);
    expect(r.findings[1]!.summary).toContain(`hands the cloud traffic straight to your VPN edge device ${EDGE} (via ${EDGE} dev eth0)`);
  });

  it('same first hop as the edge and a silent trace: undecided, naming the router to ask', () => {
    const r = evaluate(i, [...silent, ...routes(CORE, CORE)]);
    expect(codes([...silent, ...routes(CORE, CORE)])).toEqual(['tunnel-down/error', 'path-undecided/warning']);
    const u = r.findings[1]!;
    expect(u.summary).toContain(`this machine sends the cloud traffic via ${CORE} dev eth0 (the same first hop as the edge)`);
    expect(u.undecided!.settleWith.map((s) => s.command)).toEqual([
      `on ${CORE}: show the route for ${DNS1} (\`ip route get ${DNS1}\`, \`show ip route ${DNS1}\` on Cisco IOS)`,
      `traceroute -n ${DNS1}, again in a few seconds`,
    ]);
  });

  it('same first hop and a trace that reaches the edge: the trace decides (vpn-device), the route does not get in the way', () => {
    const seen = withOutcomes(
      [...silent, ...routes(CORE, CORE)],
      ...i.dnsServers.map((server) => ({ role: 'dns-trace' as const, server, result: trace(server, [CORE, EDGE, null]) })),
    );
    expect(codes(seen)).toEqual(['tunnel-down/error', 'vpn-device/error']);
  });

  it('another next hop, but the trace shows the edge handling the traffic after all: vpn-device', () => {
    const seen = withOutcomes(
      [...silent, ...routes('10.250.1.254', CORE)],
      ...i.dnsServers.map((server) => ({ role: 'dns-trace' as const, server, result: trace(server, ['10.250.1.254', EDGE, null]) })),
    );
    expect(codes(seen)).toEqual(['tunnel-down/error', 'vpn-device/error']);
  });

  it.each([
    ['blackhole', 'a "blackhole" route on this machine'],
    ['unreachable', 'an "unreachable" route on this machine'],
    ['no-route', 'no route on this machine'],
  ] as const)('a %s route for the cloud: internal-routing on this machine', (status, words) => {
    const r = evaluate(i, [...silent, ...routes(null, CORE, status)]);
    expect(r.findings.map((f) => f.code)).toEqual(['internal-routing']);
    expect(r.findings[0]!.summary).toContain(`(\`ip route get ${DNS1}\`: ${words}`);
  });

  it('a healthy network with routes: healthy, the routes judge nothing', () => {
    const r = evaluate(i, [...healthy(i), ...routes(CORE, CORE)]);
    expect(r).toEqual({ verdict: 'healthy', findings: [] });
  });

  it('route lookups that could not run (no tool, an agent without the probe) count as missing evidence', () => {
    const unavailable: Outcome[] = [
      { role: 'dns-route', server: DNS1, result: route(DNS1, null, 'unavailable') },
      { role: 'dns-route', server: DNS2, result: route(DNS2, null, 'unavailable') },
      { role: 'edge-route', server: EDGE, result: route(EDGE, null, 'unavailable') },
    ];
    const r = evaluate(i, [...silent, ...unavailable]);
    expect(r.findings.map((f) => f.code)).toEqual(['tunnel-down', 'path-undecided']);
    expect(r.findings[1]!.undecided!.settleWith[0]).toMatchObject({ probe: 'route' });
  });

  it('a route lookup the agent does not run is a gap the report names', () => {
    const notRun = { reason: 'unsupported' as const, message: 'agent a1: agent "a1" does not run route probes' };
    const outcomes: Outcome[] = [
      ...healthy(i),
      {
        role: 'dns-route',
        server: DNS1,
        result: failedResult('route', DNS1, notRun.message, { notRun }) as Extract<Outcome, { role: 'dns-route' }>['result'],
      },
    ];
    expect(notConcluded(i, outcomes)).toEqual([
      {
        question: `which next hop this machine uses for ${DNS1} (your network or the VPN device)`,
        codes: ['internal-routing', 'vpn-device'],
        notRun: [`route ${DNS1}`],
      },
    ]);
  });
});
