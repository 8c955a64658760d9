import { describe, expect, it } from 'vitest';
import { evaluate, RELATED_TOPICS, TOPIC_OF, verdictOf } from '../../src/diagnosis/rules.js';
import { FINDING_CODES } from '../../src/diagnosis/report.js';
import {
  certificate,
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
    expect(
      healthy(i)
        .filter((o) => o.result.kind === 'icmp')
        .map((o) => o.result.target),
    ).toEqual([DNS1, DNS2, EDGE]);
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

  it('tunnel-down says the customer side must bring the tunnel up and keep traffic flowing', () => {
    const r = evaluate(input(), silentCloud(input(), [CORE, EDGE, null]));
    expect(r.findings[0]!.code).toBe('tunnel-down');
    expect(r.findings[0]!.topic).toBe('phase1-ike-failure');
    expect(r.findings[0]!.summary).toMatch(/only responds, so your side must bring the tunnel up and keep traffic flowing/);
  });

  it('no trace hop answers at all but the edge answers ping, route unknown -> undecided, naming the route lookup', () => {
    // Before the route probe this picked vpn-device; the edge's own ping reply does not say where the cloud traffic goes.
    const r = evaluate(input(), silentCloud(input(), [null, null, null]));
    expect(codes(r)).toEqual(['tunnel-down/error', 'path-undecided/warning']);
    const u = r.findings[1]!;
    expect(u.summary).toMatch(/^Undecided between internal routing and the VPN device: no traceroute hop answered/);
    expect(u.undecided!.between).toEqual(['internal-routing', 'vpn-device']);
    expect(u.undecided!.settleWith.map((x) => x.probe)).toEqual(['route', 'traceroute']);
    expect(u.undecided!.settleWith[0]!.command).toContain(`ip route get ${DNS1}`);
  });

  it('no trace hop answers and the edge does not answer ping either -> internal-routing', () => {
    const i = input();
    const out = withOutcomes(silentCloud(i, [null, null, null]), { role: 'edge-ping', server: EDGE, result: icmp(EDGE, 'no-reply') });
    const r = evaluate(i, out);
    expect(codes(r)).toEqual(['internal-routing/error']);
    expect(r.findings[0]!.summary).toContain('no hop answers');
    expect(r.findings[0]!.summary).not.toMatch(/answers ping/);
  });

  it('no trace hop answers, edge ping not permitted -> internal-routing (a ping that never ran proves nothing)', () => {
    const i = input();
    const out = withOutcomes(silentCloud(i, [null, null, null]), { role: 'edge-ping', server: EDGE, result: icmp(EDGE, 'not-permitted') });
    expect(codes(evaluate(i, out))).toEqual(['internal-routing/error']);
  });

  it('hops before the edge answer, then silence, while the edge answers ping -> internal-routing, warning about rate limiting', () => {
    // The trace says the cloud traffic stops before the edge; the edge's own ping reply does not say the cloud
    // traffic is routed to it (a broken internal route leaves the edge pingable), so the trace wins.
    const r = evaluate(input(), silentCloud(input(), [CORE, null, null]));
    expect(codes(r)).toEqual(['internal-routing/error']);
    expect(r.findings[0]!.summary).toMatch(/answers ping, so it is reachable.*rate-limiting its traceroute replies: run the check again/);
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

  it('edge device unknown -> tunnel-down and undecided, saying where the trace stops and asking for the edge', () => {
    const i = input({ edge: undefined });
    const r = evaluate(i, silentCloud(i, [CORE, EDGE, null]));
    expect(codes(r)).toEqual(['tunnel-down/error', 'path-undecided/warning']);
    expect(r.findings[1]!.summary).toMatch(/no VPN edge device was given.*stops after hop 2 \(10\.250\.2\.2\)/);
    expect(r.findings[1]!.undecided!.settleWith[0]).toMatchObject({ probe: 'input', command: expect.stringContaining('--edge') });
  });

  it('no traceroute tool -> tunnel-down and undecided, suggesting to install it', () => {
    const i = input();
    const out = silentCloud(i, []).map((o) =>
      o.role === 'dns-trace' ? { ...o, result: trace(o.server, [], 'unavailable', { message: 'traceroute is not installed' }) } : o,
    );
    const r = evaluate(i, out);
    expect(codes(r)).toEqual(['tunnel-down/error', 'path-undecided/warning']);
    expect(r.findings[1]!.summary).toMatch(/traceroute -n 10\.251\.0\.2 \(install traceroute\)/);
  });

  it('without ICMP, DNS silence alone still reads as tunnel-down (and says ICMP was not possible)', () => {
    const i = input({ edge: undefined });
    const out = silentCloud(i, []).map((o) => {
      if (o.role === 'dns-ping') return { ...o, result: icmp(o.server, 'not-permitted') };
      if (o.role === 'dns-trace') return { ...o, result: trace(o.server, [], 'not-permitted') };
      return o;
    });
    const r = evaluate(i, out);
    expect(codes(r)).toEqual(['tunnel-down/error', 'path-undecided/warning', 'icmp-not-permitted/info']);
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
    expect(r.findings[0]!.summary).toBe(
      `Your resolver ${RESOLVER} answers ${ENV} with the public address ${PUBLIC_FRONT} while the cloud DNS answers ${FRONT}: set up the conditional forwarder for outsystemsenterprise.com to the cloud DNS servers on ${RESOLVER}.`,
    );
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
    expect(r.findings[0]!.summary).toBe(
      `This machine's resolver fails to resolve ${ENV} while the cloud DNS answers ${FRONT}: the conditional forwarder on the DNS server this machine uses is missing or cannot reach the cloud DNS servers on UDP 53.`,
    );
  });

  // Every dns-forwarder-missing headline reads as a sentence with and without --resolver ("Your this
  // machine's resolver..." was the bug).
  const cases = [
    ['public', [PUBLIC_FRONT] as string[], 'answers', 'with the public address'],
    ['NXDOMAIN', 'NXDOMAIN', 'does not resolve', 'set up the conditional forwarder'],
    ['timeout', 'timeout', 'fails to resolve', 'the conditional forwarder'],
  ] as const satisfies readonly (readonly [string, Parameters<typeof dns>[2], string, string])[];
  for (const [what, spec, verb, then] of cases) {
    it(`headline for a ${what} answer, with --resolver and without`, () => {
      const explicit = input();
      const withResolver = evaluate(
        explicit,
        withOutcomes(healthy(explicit), { role: 'local-dns', host: ENV, result: dns(ENV, RESOLVER, spec) }),
      );
      expect(withResolver.findings[0]!.summary).toMatch(
        new RegExp(`^Your resolver ${RESOLVER.replace(/\./g, '\\.')} ${verb} ${ENV}.*${then}.* on ${RESOLVER.replace(/\./g, '\\.')}`),
      );
      const system = input({ resolver: undefined });
      const withoutResolver = evaluate(
        system,
        withOutcomes(healthy(system), { role: 'local-dns', host: ENV, result: dns(ENV, null, spec) }),
      );
      const summary = withoutResolver.findings[0]!.summary;
      expect(summary).toMatch(new RegExp(`^This machine's resolver ${verb} ${ENV}.*${then}.* on the DNS server this machine uses`));
      expect(summary).not.toMatch(/Your this|resolver resolver/i);
    });
  }

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

  it('443 open but no TLS handshake -> tls-handshake-failed (warning: HTTPS does not work, degraded)', () => {
    const i = input();
    const out = withOutcomes(healthy(i), { role: 'tls', host: ENV, port: 443, result: tls(FRONT, 'handshake-failed') });
    const r = evaluate(i, out);
    expect(codes(r)).toEqual(['tls-handshake-failed/warning']);
    expect(r.findings[0]!.summary).toMatch(/HTTPS does not work.*MTU\/MSS.*TLS inspection/);
    expect(r.findings[0]!.topic).toBe('testing-connectivity');
    expect(r.verdict).toBe('degraded');
  });
});

describe('rule 4: the certificate on 443 (tls-certificate)', () => {
  const withTls = (extra: Parameters<typeof tls>[2]) => {
    const i = input();
    return evaluate(i, withOutcomes(healthy(i), { role: 'tls', host: ENV, port: 443, result: tls(FRONT, 'handshake-ok', extra) }));
  };

  it('a verified certificate with 60 days left -> nothing', () => {
    expect(withTls({ certificate: certificate(), verified: true })).toEqual({ verdict: 'healthy', findings: [] });
  });

  it('an untrusted issuer (TLS inspection by a corporate proxy) -> tls-certificate (warning), saying so', () => {
    const r = withTls({
      certificate: certificate({ issuer: 'CN=Contoso Inspection CA' }),
      verified: false,
      verifyError: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    });
    expect(codes(r)).toEqual(['tls-certificate/warning']);
    expect(r.verdict).toBe('degraded');
    const f = r.findings[0]!;
    expect(f.topic).toBe('testing-connectivity');
    expect(f.summary).toContain(
      'issued by CN=Contoso Inspection CA, which this machine does not trust (UNABLE_TO_GET_ISSUER_CERT_LOCALLY)',
    );
    expect(f.summary).toMatch(/TLS inspection by a corporate proxy/);
    expect(f.evidence.map((e) => e.fact)).toContain(
      'verification error: UNABLE_TO_GET_ISSUER_CERT_LOCALLY; issuer CN=Contoso Inspection CA',
    );
  });

  it('a self-signed certificate counts as an untrusted issuer', () => {
    const r = withTls({ certificate: certificate({ selfSigned: true }), verified: false, verifyError: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    expect(codes(r)).toEqual(['tls-certificate/warning']);
    expect(r.findings[0]!.summary).toMatch(/does not trust \(DEPTH_ZERO_SELF_SIGNED_CERT\)/);
  });

  it('a certificate for another name -> tls-certificate, with the hostname error as evidence', () => {
    const r = withTls({
      certificate: certificate(),
      verified: false,
      hostnameError: `Hostname/IP does not match certificate's altnames: Host: ${ENV}. is not in the cert's altnames: DNS:other.example.com`,
    });
    expect(codes(r)).toEqual(['tls-certificate/warning']);
    expect(r.findings[0]!.summary).toMatch(new RegExp(`it is not valid for ${ENV}`));
    expect(r.findings[0]!.summary).not.toMatch(/TLS inspection/);
    expect(r.findings[0]!.evidence.some((e) => e.fact.startsWith('hostname error: '))).toBe(true);
  });

  it('an expired certificate -> tls-certificate', () => {
    const r = withTls({
      certificate: certificate({ daysLeft: -3, validTo: '2025-01-01T00:00:00.000Z' }),
      verified: false,
      verifyError: 'CERT_HAS_EXPIRED',
    });
    expect(codes(r)).toEqual(['tls-certificate/warning']);
    expect(r.findings[0]!.summary).toContain('it has expired (2025-01-01)');
    expect(r.findings[0]!.summary).not.toMatch(/does not trust/);
  });

  it('a verified certificate expiring within 14 days -> tls-certificate; 14 days or more -> nothing', () => {
    const soon = withTls({ certificate: certificate({ daysLeft: 5, validTo: '2025-01-06T00:00:00.000Z' }), verified: true });
    expect(codes(soon)).toEqual(['tls-certificate/warning']);
    expect(soon.findings[0]!.summary).toContain('it expires in 5 days (2025-01-06)');
    expect(soon.findings[0]!.evidence.map((e) => e.fact)).toContain('certificate valid to 2025-01-06T00:00:00.000Z (5 days left)');
    expect(codes(withTls({ certificate: certificate({ daysLeft: 13 }), verified: true }))).toEqual(['tls-certificate/warning']);
    expect(withTls({ certificate: certificate({ daysLeft: 14 }), verified: true }).findings).toEqual([]);
  });

  it('no certificate judgement when the handshake failed (tls-handshake-failed says it)', () => {
    const i = input();
    const r = evaluate(
      i,
      withOutcomes(healthy(i), { role: 'tls', host: ENV, port: 443, result: tls(FRONT, 'handshake-failed', { verifyError: 'X' }) }),
    );
    expect(codes(r)).toEqual(['tls-handshake-failed/warning']);
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
    expect(evaluate(i, out).findings.map((f) => f.severity)).toEqual(['error', 'warning', 'warning']);
    const noIcmp = withOutcomes(
      out,
      { role: 'dns-ping', server: DNS1, result: icmp(DNS1, 'not-permitted') },
      { role: 'dns-ping', server: DNS2, result: icmp(DNS2, 'not-permitted') },
      { role: 'edge-ping', server: EDGE, result: icmp(EDGE, 'not-permitted') },
    );
    expect(evaluate(i, noIcmp).findings.map((f) => `${f.code}/${f.severity}`)).toEqual([
      'dns-forwarder-missing/error',
      'tls-handshake-failed/warning',
      'icmp-not-permitted/info',
    ]);
  });

  it('every code has a topic', () => {
    for (const code of FINDING_CODES) expect(TOPIC_OF[code]).toMatch(/^[a-z0-9-]+$/);
  });

  it('tunnel-down keeps its single topic and relates keep-traffic-flowing', () => {
    expect(TOPIC_OF['tunnel-down']).toBe('phase1-ike-failure');
    expect(RELATED_TOPICS['tunnel-down']).toEqual(['keep-traffic-flowing']);
  });
});
