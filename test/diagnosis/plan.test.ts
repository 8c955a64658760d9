import { describe, expect, it } from 'vitest';
import { allSlots, budget, firstStage, plannedCount, portsFor, secondStage } from '../../src/diagnosis/plan.js';
import { ProbeRequestSchema } from '../../src/probes/catalogue.js';
import { DNS1, DNS2, EDGE, ENV, FRONT, input, RESOLVER } from './synthetic.js';

describe('probe plan', () => {
  it('follows the guide: ping + traceroute to each cloud DNS server, ping the edge, resolve through cloud DNS and your resolver', () => {
    const plan = firstStage(input());
    expect(plan.map((p) => `${p.request.kind} ${p.slot.role}`)).toEqual([
      'icmp dns-ping',
      'icmp dns-ping',
      'icmp edge-ping',
      'traceroute dns-trace',
      'traceroute dns-trace',
      'route dns-route',
      'route dns-route',
      'route edge-route',
      'dns cloud-dns',
      'dns cloud-dns',
      'dns local-dns',
    ]);
    expect(plan.filter((p) => p.request.kind === 'icmp').map((p) => (p.request.params as { target: string }).target)).toEqual([
      DNS1,
      DNS2,
      EDGE,
    ]);
    const local = plan.find((p) => p.slot.role === 'local-dns')!;
    expect(local.request.params).toMatchObject({ name: ENV, server: RESOLVER, type: 'A' });
    // This machine's routes to the cloud DNS servers and to its edge device: read, not sent.
    expect(plan.filter((p) => p.request.kind === 'route').map((p) => (p.request.params as { target: string }).target)).toEqual([
      DNS1,
      DNS2,
      EDGE,
    ]);
    expect(firstStage(input({ edge: undefined })).filter((p) => p.slot.role === 'edge-route')).toEqual([]);
  });

  it('paces pings adaptively and lets traces skip a silent hop once later hops answered', () => {
    const plan = firstStage(input());
    for (const p of plan.filter((x) => x.request.kind === 'icmp'))
      expect(p.request.params).toMatchObject({ adaptive: true, intervalMs: 200, count: 3 });
    for (const p of plan.filter((x) => x.request.kind === 'traceroute'))
      expect(p.request.params).toMatchObject({ nearFactor: 10, waitMs: 1000 });
  });

  it('uses the system resolver when no resolver is given', () => {
    const local = firstStage(input({ resolver: undefined })).find((p) => p.slot.role === 'local-dns')!;
    expect(local.request.params).not.toHaveProperty('server');
  });

  it('connects to 443 and 80, or 443 only on Sentry, and shakes hands with SNI', () => {
    expect(portsFor({ sentry: false })).toEqual([443, 80]);
    expect(portsFor({ sentry: true })).toEqual([443]);
    const second = secondStage(input(), ENV, FRONT, 1000);
    expect(second.map((p) => [p.request.kind, p.request.params])).toEqual([
      ['tcp', { target: FRONT, port: 443, timeoutMs: 1000 }],
      ['tcp', { target: FRONT, port: 80, timeoutMs: 1000 }],
      ['tls', { target: FRONT, port: 443, servername: ENV, timeoutMs: 1000 }],
    ]);
    expect(plannedCount(input())).toBe(14);
    expect(plannedCount(input({ sentry: true, hosts: [ENV, 'acme-tst.outsystemsenterprise.com'] }))).toBe(8 + 2 * 3 + 2 * 2);
  });

  it('produces only requests the catalogue accepts', () => {
    const i = input({ hosts: [ENV, 'acme-tst.outsystemsenterprise.com'] });
    for (const p of [...firstStage(i), ...secondStage(i, ENV, FRONT, 10)]) {
      expect(ProbeRequestSchema.safeParse(p.request).success).toBe(true);
    }
    expect(allSlots(i)).toHaveLength(plannedCount(i));
  });

  it('shares the budget so a silent network still ends in time', () => {
    const b = budget(5000);
    expect(b.ping).toEqual({ count: 3, intervalMs: 200, timeoutMs: 3000 });
    expect(b.trace).toEqual({ maxHops: 15, waitMs: 1000, timeoutMs: 4500 });
    expect(b.dnsMs).toBe(2500);
    for (const t of [1000, 5000, 20_000]) {
      const x = budget(t);
      expect(x.dnsMs).toBeLessThanOrEqual(t);
      expect(x.trace.timeoutMs).toBeLessThanOrEqual(t);
    }
  });
});
