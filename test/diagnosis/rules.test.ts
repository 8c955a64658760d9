import { describe, expect, it } from 'vitest';
import { evaluate, TOPIC_OF, verdictOf } from '../../src/diagnosis/rules.js';
import { FINDING_CODES } from '../../src/diagnosis/report.js';
import {
  CORE,
  dns,
  DNS1,
  DNS2,
  EDGE,
  ENV,
  FRONT,
  healthy,
  icmp,
  input,
  PUBLIC_FRONT,
  RESOLVER,
  silentCloud,
  tcp,
  tls,
  trace,
  withOutcomes,
  without,
} from './synthetic.js';

const codes = (r: ReturnType<typeof evaluate>) => r.findings.map((f) => `${f.code}/${f.severity}`);

describe('rules: a healthy network', () => {
  it('finds nothing and says healthy', () => {
    const r = evaluate(input(), healthy());
    expect(r).toEqual({ verdict: 'healthy', findings: [] });
  });

  it('never judges ICMP to front-ends (it is blocked by design): only DNS servers and the edge are pinged', () => {
    // The plan never pings the environment: a healthy run has no icmp outcome for a host.
    const i = input();
    expect(healthy(i).filter((o) => o.result.kind === 'icmp').map((o) => o.result.target)).toEqual([DNS1, DNS2, EDGE]);
  });

  it('on Sentry, port 80 is neither probed nor missed', () => {
    const i = input({ sentry: true });
    expect(evaluate(i, healthy(i))).toEqual({ verdict: 'healthy', findings: [] });
  });
});

describe('rule: ICMP not permitted on this machine', () => {
  it('is an info finding, not a failure, when everything else answers', () => {
    const i = input();
    const out = withOutcomes(
      healthy(i),
      { role: 'dns-ping', server: DNS1, result: icmp(DNS1, 'not-permitted') },
      { role: 'dns-ping', server: DNS2, result: icmp(DNS2, 'not-permitted') },
      { role: 'edge-ping', server: EDGE, result: icmp(EDGE, 'not-permitted') },
    );
    const r = evaluate(i, out);
    expect(codes(r)).toEqual(['icmp-not-permitted/info']);
    expect(r.verdict).toBe('healthy');
  });
});

describe('rule 1: nothing in the cloud answers', () => {
  it('no route on this machine -> internal-routing (and not tunnel-down)', () => {
    const i = input();
    const out = withOutcomes(
      silentCloud(i, []),
      { role: 'dns-ping', server: DNS1, result: icmp(DNS1, 'unreachable', { reason: 'no-route' }) },
      { role: 'dns-ping', server: DNS2, result: icmp(DNS2, 'unreachable', { reason: 'no-route' }) },
    );
    const r = evaluate(i, out);
    expect(codes(r)).toEqual(['internal-routing/error']);
    expect(r.verdict).toBe('down');
    expect(r.findings[0]!.summary).toMatch(/no route/);
  });

  it('traceroute never reaches the edge device -> internal-routing', () => {
    const r = evaluate(input(), silentCloud(input(), [CORE, null, null, null]));
    expect(codes(r)).toEqual(['internal-routing/error']);
    expect(r.findings[0]!.summary).toContain(`never reaches your VPN edge device ${EDGE}`);
    expect(r.findings[0]!.summary).toContain(`hop 1 (${CORE})`);
    expect(r.verdict).toBe('down');
  });

  it('traceroute reaches the edge device and goes no further -> tunnel-down + vpn-device', () => {
    const r = evaluate(input(), silentCloud(input(), [CORE, EDGE, null, null]));
    expect(codes(r)).toEqual(['tunnel-down/error', 'vpn-device/error']);
    expect(r.findings[1]!.summary).toContain(`reaches your VPN edge device ${EDGE} and goes no further`);
    expect(r.verdict).toBe('down');
  });

  it('an ICMP unreachable sent by the edge device counts as reaching it -> vpn-device', () => {
    const i = input();
    const out = withOutcomes(silentCloud(i, [CORE, null, null]), {
      role: 'dns-ping',
      server: DNS1,
      result: icmp(DNS1, 'unreachable', { reason: 'icmp-error', icmpErrors: [{ from: EDGE, message: 'Destination Net Unreachable' }] }),
    });
    expect(codes(evaluate(i, out))).toEqual(['tunnel-down/error', 'vpn-device/error']);
  });

  it('edge device unknown -> tunnel-down, saying where the trace stops', () => {
    const i = input({ edge: undefined });
    const r = evaluate(i, silentCloud(i, [CORE, EDGE, null]));
    expect(codes(r)).toEqual(['tunnel-down/error']);
    expect(r.findings[0]!.summary).toMatch(/stops after hop 2 \(10\.250\.2\.2\).*edge device's inside IP/);
  });

  it('no traceroute tool -> tunnel-down, suggesting to install it', () => {
    const i = input();
    const out = silentCloud(i, []).map((o) =>
      o.role === 'dns-trace' ? { ...o, result: trace(o.server, [], 'unavailable', { message: 'traceroute is not installed' }) } : o,
    );
    const r = evaluate(i, out);
    expect(codes(r)).toEqual(['tunnel-down/error']);
    expect(r.findings[0]!.summary).toMatch(/Install traceroute/);
  });

  it('without ICMP, DNS silence alone still reads as tunnel-down (and says ICMP was not possible)', () => {
    const i = input({ edge: undefined });
    const out = silentCloud(i, []).map((o) => {
      if (o.role === 'dns-ping') return { ...o, result: icmp(o.server, 'not-permitted') };
      if (o.role === 'dns-trace') return { ...o, result: trace(o.server, [], 'not-permitted') };
      return o;
    });
    const r = evaluate(i, out);
    expect(codes(r)).toEqual(['tunnel-down/error', 'icmp-not-permitted/info']);
    expect(r.findings[0]!.summary).not.toMatch(/no ping reply/);
  });

  it('the evidence lists the silent probes', () => {
    const r = evaluate(input(), silentCloud(input(), [CORE, EDGE, null]));
    const facts = r.findings[0]!.evidence.map((e) => `${e.kind} ${e.target}: ${e.fact}`);
    expect(facts).toContain(`icmp ${DNS1}: no reply to 3 echo requests`);
    expect(facts).toContain(`dns ${ENV} @${DNS1}: no answer (timed out)`);
    expect(facts.some((f) => f.startsWith(`traceroute ${DNS1}: stops after hop 2`))).toBe(true);
  });

  it('judges neither DNS nor ports while the path is down (their silence is a consequence)', () => {
    const i = input();
    const out = [...silentCloud(i, [CORE, EDGE, null]), { role: 'tcp' as const, host: ENV, port: 443, result: tcp(FRONT, 443, 'timeout') }];
    expect(evaluate(i, out).findings.map((f) => f.code)).not.toContain('port-blocked');
    expect(evaluate(i, out).findings.map((f) => f.code)).not.toContain('dns-unreachable');
  });

  it('one TCP connection into the cloud is enough to rule the tunnel up', () => {
    const i = input();
    const out = [...silentCloud(i, [CORE, EDGE, null]), { role: 'tcp' as const, host: ENV, port: 443, result: tcp(FRONT, 443, 'open') }];
    const r = evaluate(i, out);
    expect(r.findings.map((f) => f.code)).not.toContain('tunnel-down');
    expect(r.findings.map((f) => f.code)).toContain('dns-unreachable');
  });
});

describe('rule 2: the cloud DNS servers', () => {
  it('no server answers DNS though they answer ping -> dns-unreachable (error)', () => {
    const i = input();
    const out = withOutcomes(
      without(without(without(healthy(i), 'tcp'), 'tls'), 'local-dns'),
      { role: 'cloud-dns', server: DNS1, host: ENV, result: dns(ENV, DNS1, 'timeout') },
      { role: 'cloud-dns', server: DNS2, host: ENV, result: dns(ENV, DNS2, 'timeout') },
      { role: 'local-dns', host: ENV, result: dns(ENV, RESOLVER, 'SERVFAIL') },
    );
    const r = evaluate(i, out);
    expect(codes(r)).toEqual(['dns-unreachable/error']);
    expect(r.findings[0]!.summary).toMatch(/UDP 53.*10\.251\.0\.2 answers ping/);
    expect(r.verdict).toBe('degraded');
  });

  it('one server silent while the other answers -> dns-unreachable (warning)', () => {
    const i = input();
    const out = withOutcomes(
      healthy(i),
      { role: 'cloud-dns', server: DNS2, host: ENV, result: dns(ENV, DNS2, 'timeout') },
      { role: 'dns-ping', server: DNS2, result: icmp(DNS2, 'no-reply') },
    );
    const r = evaluate(i, out);
    expect(codes(r)).toEqual(['dns-unreachable/warning']);
    expect(r.findings[0]!.summary).toContain(`${DNS2} does not answer DNS queries while ${DNS1} does`);
  });

  it('DNS answers but ping does not -> dns-ping-blocked (warning)', () => {
    const i = input();
    const out = withOutcomes(healthy(i), { role: 'dns-ping', server: DNS1, result: icmp(DNS1, 'no-reply') });
    const r = evaluate(i, out);
    expect(codes(r)).toEqual(['dns-ping-blocked/warning']);
    expect(r.findings[0]!.topic).toBe('ping-cloud-dns');
  });
});

describe('rule 3: the environment name', () => {
  it('NXDOMAIN at the cloud DNS -> host-not-found', () => {
    const i = input();
    const out = withOutcomes(
      without(without(healthy(i), 'tcp'), 'tls'),
      { role: 'cloud-dns', server: DNS1, host: ENV, result: dns(ENV, DNS1, 'NXDOMAIN') },
      { role: 'cloud-dns', server: DNS2, host: ENV, result: dns(ENV, DNS2, 'NXDOMAIN') },
      { role: 'local-dns', host: ENV, result: dns(ENV, RESOLVER, 'NXDOMAIN') },
    );
    expect(codes(evaluate(i, out))).toEqual(['host-not-found/warning']);
  });

  it('only public answers at the cloud DNS -> dns-public-answer', () => {
    const i = input();
    const out = withOutcomes(
      without(without(healthy(i), 'tcp'), 'tls'),
      { role: 'cloud-dns', server: DNS1, host: ENV, result: dns(ENV, DNS1, [PUBLIC_FRONT]) },
      { role: 'cloud-dns', server: DNS2, host: ENV, result: dns(ENV, DNS2, [PUBLIC_FRONT]) },
    );
    expect(codes(evaluate(i, out))).toEqual(['dns-public-answer/warning']);
  });

  it('private at the cloud DNS, public at your resolver -> dns-forwarder-missing', () => {
    const i = input();
    const out = withOutcomes(healthy(i), { role: 'local-dns', host: ENV, result: dns(ENV, RESOLVER, [PUBLIC_FRONT]) });
    const r = evaluate(i, out);
    expect(codes(r)).toEqual(['dns-forwarder-missing/error']);
    expect(r.findings[0]!.summary).toContain(`resolver ${RESOLVER} answers ${ENV} with the public address ${PUBLIC_FRONT} while the cloud DNS answers ${FRONT}`);
    expect(r.findings[0]!.topic).toBe('connect-from-internal-network');
    expect(r.verdict).toBe('degraded');
  });

  it('private at the cloud DNS, NXDOMAIN at your resolver -> dns-forwarder-missing', () => {
    const i = input();
    const out = withOutcomes(healthy(i), { role: 'local-dns', host: ENV, result: dns(ENV, RESOLVER, 'NXDOMAIN') });
    const r = evaluate(i, out);
    expect(codes(r)).toEqual(['dns-forwarder-missing/error']);
    expect(r.findings[0]!.summary).toMatch(/does not resolve/);
  });

  it('private at the cloud DNS, your resolver failing -> dns-forwarder-missing', () => {
    const i = input({ resolver: undefined });
    const out = withOutcomes(healthy(i), { role: 'local-dns', host: ENV, result: dns(ENV, null, 'timeout') });
    const r = evaluate(i, out);
    expect(codes(r)).toEqual(['dns-forwarder-missing/error']);
    expect(r.findings[0]!.summary).toMatch(/this machine's resolver fails to resolve/);
  });

  it('a private answer at your resolver, even another address, is fine (load balancer IPs change)', () => {
    const i = input();
    const out = withOutcomes(healthy(i), { role: 'local-dns', host: ENV, result: dns(ENV, RESOLVER, ['10.251.1.11']) });
    expect(evaluate(i, out).findings).toEqual([]);
  });
});

describe('rule 4: the ports', () => {
  it('TCP 443 blocked while the name resolves -> port-blocked (error)', () => {
    const i = input();
    const out = withOutcomes(
      healthy(i),
      { role: 'tcp', host: ENV, port: 443, result: tcp(FRONT, 443, 'timeout') },
      { role: 'tls', host: ENV, port: 443, result: tls(FRONT, 'timeout') },
    );
    const r = evaluate(i, out);
    expect(codes(r)).toEqual(['port-blocked/error']);
    expect(r.findings[0]!.summary).toContain(`TCP 443 times out to ${ENV} (${FRONT})`);
    expect(r.findings[0]!.topic).toBe('full-cloud-ip-range');
    expect(r.verdict).toBe('degraded');
  });

  it('TCP 80 refused, not on Sentry -> port-blocked (warning)', () => {
    const i = input();
    const out = withOutcomes(healthy(i), { role: 'tcp', host: ENV, port: 80, result: tcp(FRONT, 80, 'refused') });
    const r = evaluate(i, out);
    expect(codes(r)).toEqual(['port-blocked/warning']);
    expect(r.findings[0]!.summary).toMatch(/TCP 80 is refused.*sentry/);
  });

  it('443 open but no TLS handshake -> tls-handshake-failed (info, verdict unaffected)', () => {
    const i = input();
    const out = withOutcomes(healthy(i), { role: 'tls', host: ENV, port: 443, result: tls(FRONT, 'handshake-failed') });
    const r = evaluate(i, out);
    expect(codes(r)).toEqual(['tls-handshake-failed/info']);
    expect(r.verdict).toBe('healthy');
  });
});

describe('verdict and ordering', () => {
  it('down for path findings, degraded for other errors and warnings, healthy for info only', () => {
    expect(verdictOf([{ code: 'vpn-device', severity: 'error' }])).toBe('down');
    expect(verdictOf([{ code: 'port-blocked', severity: 'warning' }])).toBe('degraded');
    expect(verdictOf([{ code: 'icmp-not-permitted', severity: 'info' }])).toBe('healthy');
    expect(verdictOf([])).toBe('healthy');
  });

  it('sorts findings by severity', () => {
    const i = input();
    const out = withOutcomes(
      healthy(i),
      { role: 'dns-ping', server: DNS1, result: icmp(DNS1, 'no-reply') },
      { role: 'local-dns', host: ENV, result: dns(ENV, RESOLVER, [PUBLIC_FRONT]) },
      { role: 'tls', host: ENV, port: 443, result: tls(FRONT, 'handshake-failed') },
    );
    expect(evaluate(i, out).findings.map((f) => f.severity)).toEqual(['error', 'warning', 'info']);
  });

  it('every code has a topic', () => {
    for (const code of FINDING_CODES) expect(TOPIC_OF[code]).toMatch(/^[a-z0-9-]+$/);
  });
});
