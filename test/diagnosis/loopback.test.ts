import { X509Certificate } from 'node:crypto';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer as createTcpServer, type Server } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConnectivityCheck } from '../../src/diagnosis/run-check.js';
import { ProbeRequestSchema, runProbe, type ProbeRunner, type ResultOf } from '../../src/probes/catalogue.js';
import { startDnsServer, type TestDnsServer } from '../probes/dns-server.js';
import { hasTool } from '../probes/helpers.js';
import { selfSignedCertificate } from '../probes/tls-cert.js';
import { DNS1, DNS2, EDGE, ENV, FRONT, PUBLIC_FRONT, RESOLVER } from './synthetic.js';

/**
 * The whole runbook with the real probes, against real servers on loopback. The check is given the
 * lab's addresses; a mapping runner sends every probe to 127.0.0.1 (DNS and TCP on test ports) and
 * refuses anything it cannot map, so no packet ever leaves the machine.
 */

const LOOP = '127.0.0.1';
const hasOpenssl = hasTool('openssl');

interface Ports {
  cloudDns: number;
  resolver: number;
  https: number;
  http: number;
}

function loopbackRunner(ports: Ports, sent: string[]): ProbeRunner {
  return async (request, ctx) => {
    const req = ProbeRequestSchema.parse(request);
    const to = (target: string): string => {
      sent.push(target);
      if (!target.startsWith('127.')) throw new Error(`refusing to send to ${target}`);
      return target;
    };
    switch (req.kind) {
      case 'icmp':
      case 'traceroute':
        if (![DNS1, DNS2, EDGE].includes(req.params.target)) throw new Error(`unmapped ${req.kind} target ${req.params.target}`);
        return runProbe({ kind: req.kind, params: { ...req.params, target: to(LOOP) } } as never, ctx);
      case 'route':
        // A real `ip route get` of the stand-in address: it sends nothing, the kernel calls it local.
        if (![DNS1, DNS2, EDGE].includes(req.params.target)) throw new Error(`unmapped route target ${req.params.target}`);
        return runProbe({ kind: 'route', params: { ...req.params, target: to(LOOP) } }, ctx);
      case 'dns': {
        const port =
          req.params.server === RESOLVER ? ports.resolver : [DNS1, DNS2].includes(req.params.server ?? '') ? ports.cloudDns : null;
        if (port === null) throw new Error(`unmapped DNS server ${req.params.server ?? 'system'}`);
        return runProbe({ kind: 'dns', params: { ...req.params, server: to(LOOP), port } }, ctx);
      }
      case 'tcp':
      case 'tls': {
        const port =
          req.params.target === FRONT ? (req.params.port === 443 ? ports.https : req.params.port === 80 ? ports.http : null) : null;
        if (port === null) throw new Error(`unmapped ${req.kind} ${req.params.target}:${req.params.port}`);
        const result = await runProbe({ kind: req.kind, params: { ...req.params, target: to(LOOP), port } } as never, ctx);
        return result.kind === 'tls' ? trustTestCertificate(result) : result;
      }
    }
  };
}

/**
 * This machine trusts the stand-in front-end's certificate, as a customer machine trusts the real issuer
 * (and as the lab's check trusts the lab CA through NODE_EXTRA_CA_CERTS, which a running process cannot
 * add): the pinned test certificate, and only it, verifies. Anything else stays as the probe saw it.
 */
let trustedFingerprint = '';
function trustTestCertificate(r: ResultOf<'tls'>): ResultOf<'tls'> {
  const d = r.detail;
  if (
    d.status !== 'handshake-ok' ||
    d.certificate?.fingerprint256 !== trustedFingerprint ||
    d.verifyError !== 'DEPTH_ZERO_SELF_SIGNED_CERT' ||
    d.hostnameError
  )
    return r;
  return { ...r, detail: { ...d, verified: true, verifyError: null } };
}

const closers: (() => Promise<void>)[] = [];
let cloudDns: TestDnsServer;
let goodResolver: TestDnsServer;
let noForwarderResolver: TestDnsServer;
let nxResolver: TestDnsServer;
let silentUdp: UdpSocket;
let httpsPort: number;
let httpPort: number;
let closedPort: number;

async function listen(server: Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, LOOP, () => r()));
  closers.push(() => new Promise<void>((r) => server.close(() => r())));
  return (server.address() as { port: number }).port;
}

beforeAll(async () => {
  if (!hasOpenssl) return;
  cloudDns = await startDnsServer({ [ENV]: { addresses: [FRONT] } });
  goodResolver = await startDnsServer({ [ENV]: { addresses: [FRONT] } });
  noForwarderResolver = await startDnsServer({ [ENV]: { addresses: [PUBLIC_FRONT] } });
  nxResolver = await startDnsServer({});
  for (const s of [cloudDns, goodResolver, noForwarderResolver, nxResolver]) closers.push(() => s.close());
  silentUdp = createSocket('udp4');
  await new Promise<void>((r) => silentUdp.bind(0, LOOP, () => r()));
  closers.push(() => new Promise<void>((r) => silentUdp.close(() => r())));

  const pair = await selfSignedCertificate(ENV);
  if (!pair) throw new Error('openssl could not make a certificate');
  trustedFingerprint = new X509Certificate(pair.cert).fingerprint256;
  httpsPort = await listen(createTlsServer(pair, (s) => s.end()));
  httpPort = await listen(createTcpServer((s) => s.end()));
  const tmp = createTcpServer();
  closedPort = await new Promise<number>((r) => tmp.listen(0, LOOP, () => r((tmp.address() as { port: number }).port)));
  await new Promise<void>((r) => tmp.close(() => r()));
});

afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

const INPUT = { hosts: [ENV], dnsServers: [DNS1, DNS2], resolver: RESOLVER, edge: EDGE, timeoutMs: 3000 };

describe.skipIf(!hasOpenssl)('the runbook with real probes on loopback', () => {
  it('healthy network: no findings, every probe answers, well within the budget', async () => {
    const sent: string[] = [];
    const started = Date.now();
    const report = await runConnectivityCheck(INPUT, {
      probes: loopbackRunner({ cloudDns: cloudDns.port, resolver: goodResolver.port, https: httpsPort, http: httpPort }, sent),
      knowledge: null,
    });
    expect(Date.now() - started).toBeLessThan(2500);
    expect(report.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(report.verdict).toBe('healthy');
    expect(report.probes.map((p) => `${p.kind}:${p.ok}`)).toEqual(expect.arrayContaining(['dns:true', 'tcp:true', 'tls:true']));
    expect(report.probes).toHaveLength(14);
    // The route rows come from a real `ip route get 127.0.0.1`: the kernel's local route, read as JSON.
    const routes = report.probes.filter((p) => p.kind === 'route');
    expect(routes.map((p) => [p.backend, p.detail.status, p.detail.device])).toEqual([
      ['iproute2-json', 'local', 'lo'],
      ['iproute2-json', 'local', 'lo'],
      ['iproute2-json', 'local', 'lo'],
    ]);
    expect(new Set(sent)).toEqual(new Set([LOOP]));
  });

  it('resolver without the conditional forwarder (public answer): dns-forwarder-missing', async () => {
    const report = await runConnectivityCheck(INPUT, {
      probes: loopbackRunner({ cloudDns: cloudDns.port, resolver: noForwarderResolver.port, https: httpsPort, http: httpPort }, []),
      knowledge: null,
    });
    expect(report.verdict).toBe('degraded');
    expect(report.findings.map((f) => f.code)).toEqual(['dns-forwarder-missing']);
    expect(report.findings[0]!.evidence[0]).toEqual({
      kind: 'dns',
      target: `${ENV} @${LOOP}:${noForwarderResolver.port}`,
      fact: `${PUBLIC_FRONT} (public, TTL 60)`,
    });
  });

  it('resolver that does not know the name: dns-forwarder-missing', async () => {
    const report = await runConnectivityCheck(INPUT, {
      probes: loopbackRunner({ cloudDns: cloudDns.port, resolver: nxResolver.port, https: httpsPort, http: httpPort }, []),
      knowledge: null,
    });
    expect(report.findings.map((f) => f.code)).toEqual(['dns-forwarder-missing']);
  });

  it('HTTPS refused: port-blocked (error)', async () => {
    const report = await runConnectivityCheck(INPUT, {
      probes: loopbackRunner({ cloudDns: cloudDns.port, resolver: goodResolver.port, https: closedPort, http: httpPort }, []),
      knowledge: null,
    });
    expect(report.verdict).toBe('degraded');
    expect(report.findings.map((f) => `${f.code}/${f.severity}`)).toEqual(['port-blocked/error']);
  });

  it('cloud DNS silent on UDP 53 while ping works: dns-unreachable, within the budget', async () => {
    const started = Date.now();
    const report = await runConnectivityCheck(
      { ...INPUT, timeoutMs: 2000 },
      {
        probes: loopbackRunner({ cloudDns: silentUdp.address().port, resolver: nxResolver.port, https: httpsPort, http: httpPort }, []),
        knowledge: null,
      },
    );
    expect(Date.now() - started).toBeLessThan(2000 + 500);
    const codes = report.findings.map((f) => f.code);
    const icmpWorks = report.probes.some((p) => p.kind === 'icmp' && p.ok) || report.probes.some((p) => p.kind === 'traceroute' && p.ok);
    // With ping or traceroute available the cloud is reachable and DNS is the problem; without, it reads as down.
    expect(codes).toContain(icmpWorks ? 'dns-unreachable' : 'tunnel-down');
  });
});
