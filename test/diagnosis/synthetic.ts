import type { ResultOf } from '../../src/probes/catalogue.js';
import { addressRange, addressScope } from '../../src/probes/address-scope.js';
import type { IcmpDetail } from '../../src/probes/icmp.js';
import type { TracerouteDetail } from '../../src/probes/traceroute.js';
import { parseCheckInput, type CheckInput, type CheckInputDraft } from '../../src/diagnosis/input.js';
import { slotKey, type Outcome } from '../../src/diagnosis/plan.js';

/**
 * Synthetic probe results for rule tests, shaped after the lab's addressing plan:
 * lan 10.250.1.10 -> core 10.250.1.1 -> edge 10.250.2.2 -> tunnel -> cloud DNS 10.251.0.2/.3, front-end 10.251.1.10.
 */
export const ENV = 'acme-dev.outsystemsenterprise.com';
export const DNS1 = '10.251.0.2';
export const DNS2 = '10.251.0.3';
export const CORE = '10.250.1.1';
export const EDGE = '10.250.2.2';
export const RESOLVER = '10.250.2.2';
export const FRONT = '10.251.1.10';
export const PUBLIC_FRONT = '203.0.113.10';

export function input(over: Partial<CheckInputDraft> = {}): CheckInput {
  return parseCheckInput({ hosts: [ENV], dnsServers: [DNS1, DNS2], resolver: RESOLVER, edge: EDGE, ...over });
}

const envelope = { ok: false, durationMs: 1, backend: 'test' };

export function icmp(target: string, status: IcmpDetail['status'], extra: Partial<IcmpDetail> = {}): ResultOf<'icmp'> {
  const replied = status === 'replied';
  return {
    ...envelope,
    kind: 'icmp',
    target,
    ok: replied,
    detail: {
      status,
      address: target,
      transmitted: status === 'not-permitted' || status === 'unavailable' ? 0 : 3,
      received: replied ? 3 : 0,
      lossPercent: replied ? 0 : 100,
      rttMs: replied ? { min: 10, avg: 11, max: 12, mdev: 1 } : null,
      icmpErrors: [],
      ...extra,
    },
  };
}

/** hops: addresses in order, null for "*"; the trace is "reached" when the last hop is the target. */
export function trace(
  target: string,
  hops: (string | null)[],
  status?: TracerouteDetail['status'],
  extra: Partial<TracerouteDetail> = {},
): ResultOf<'traceroute'> {
  const list = hops.map((address, i) => ({ hop: i + 1, address, rttMs: address ? 1 : null, annotation: null }));
  const last = [...list].reverse().find((h) => h.address);
  const st = status ?? (hops.at(-1) === target ? 'reached' : 'not-reached');
  return {
    ...envelope,
    kind: 'traceroute',
    target,
    ok: st === 'reached',
    detail: {
      status: st,
      method: 'icmp',
      destination: target,
      hops: list,
      lastResponder: last ? { hop: last.hop, address: last.address! } : null,
      ...extra,
    },
  };
}

type DnsAnswerSpec = string[] | 'NXDOMAIN' | 'SERVFAIL' | 'timeout' | 'ENETUNREACH';

export function dns(name: string, server: string | null, spec: DnsAnswerSpec): ResultOf<'dns'> {
  const target = `${name} @${server ?? 'system'}`;
  const base = { server, transport: server ? ('udp' as const) : ('system' as const), truncated: false, authoritative: null, cnames: [] };
  if (spec === 'timeout' || spec === 'ENETUNREACH') {
    return {
      ...envelope,
      kind: 'dns',
      target,
      detail: {
        ...base,
        status: spec === 'timeout' ? 'timeout' : 'error',
        rcode: null,
        answers: [],
        code: spec === 'timeout' ? 'ETIMEDOUT' : 'ENETUNREACH',
      },
    };
  }
  if (typeof spec === 'string') {
    return { ...envelope, kind: 'dns', target, detail: { ...base, status: 'answered', rcode: spec, answers: [] } };
  }
  return {
    ...envelope,
    kind: 'dns',
    target,
    ok: true,
    detail: {
      ...base,
      status: 'answered',
      rcode: 'NOERROR',
      answers: spec.map((address) => ({
        name,
        type: 'A' as const,
        address,
        ttl: 60,
        scope: addressScope(address),
        range: addressRange(address),
      })),
    },
  };
}

export function tcp(address: string, port: number, status: ResultOf<'tcp'>['detail']['status']): ResultOf<'tcp'> {
  const codes = { refused: 'ECONNREFUSED', timeout: 'ETIMEDOUT', unreachable: 'EHOSTUNREACH', error: 'EPERM' } as const;
  return {
    ...envelope,
    kind: 'tcp',
    target: `${address}:${port}`,
    ok: status === 'open',
    detail: {
      status,
      address,
      port,
      connectMs: status === 'open' ? 12 : null,
      ...(status === 'open' ? {} : { code: codes[status] }),
    },
  };
}

export function tls(
  address: string,
  status: ResultOf<'tls'>['detail']['status'],
  extra: Partial<ResultOf<'tls'>['detail']> = {},
): ResultOf<'tls'> {
  const ok = status === 'handshake-ok';
  return {
    ...envelope,
    kind: 'tls',
    target: `${address}:443 (${ENV})`,
    ok,
    detail: {
      status,
      address,
      port: 443,
      servername: ENV,
      protocol: ok ? 'TLSv1.3' : null,
      cipher: ok ? 'TLS_AES_256_GCM_SHA384' : null,
      certificate: null,
      verified: ok,
      verifyError: null,
      hostnameError: null,
      handshakeMs: ok ? 20 : null,
      ...(ok ? {} : { code: 'ECONNRESET' }),
      ...extra,
    },
  };
}

/** This machine's route to `target`: via `gateway` (null: on-link) on eth0, or a refused lookup. */
export function route(target: string, gateway: string | null, status: ResultOf<'route'>['detail']['status'] = 'routed'): ResultOf<'route'> {
  const routed = status === 'routed';
  return {
    ...envelope,
    kind: 'route',
    target,
    ok: routed,
    backend: 'iproute2-json',
    detail: {
      status,
      gateway: routed ? gateway : null,
      device: routed ? 'eth0' : null,
      source: routed ? '10.250.1.10' : null,
      table: routed ? 'main' : null,
      command: `ip route get ${target}`,
    },
  };
}

/** A certificate as the TLS probe describes it (issued by a public CA, 60 days left unless told). */
export function certificate(
  over: Partial<NonNullable<ResultOf<'tls'>['detail']['certificate']>> = {},
): NonNullable<ResultOf<'tls'>['detail']['certificate']> {
  return {
    subject: `CN=${ENV}`,
    issuer: "C=US, O=Let's Encrypt, CN=R11",
    validFrom: '2025-01-01T00:00:00.000Z',
    validTo: '2025-03-02T00:00:00.000Z',
    daysLeft: 60,
    subjectAltNames: [`DNS:${ENV}`],
    fingerprint256: null,
    selfSigned: false,
    ...over,
  };
}

/** Everything as the guide expects: DNS servers ping and answer, names resolve privately, 443/80 open. */
export function healthy(i: CheckInput = input()): Outcome[] {
  const out: Outcome[] = [];
  for (const server of i.dnsServers) out.push({ role: 'dns-ping', server, result: icmp(server, 'replied') });
  if (i.edge) out.push({ role: 'edge-ping', server: i.edge, result: icmp(i.edge, 'replied') });
  for (const server of i.dnsServers) out.push({ role: 'dns-trace', server, result: trace(server, [CORE, EDGE, server]) });
  for (const host of i.hosts) {
    for (const server of i.dnsServers) out.push({ role: 'cloud-dns', server, host, result: dns(host, server, [FRONT]) });
    out.push({ role: 'local-dns', host, result: dns(host, i.resolver ?? null, [FRONT]) });
    for (const port of i.sentry ? [443] : [443, 80]) out.push({ role: 'tcp', host, port, result: tcp(FRONT, port, 'open') });
    out.push({ role: 'tls', host, port: 443, result: tls(FRONT, 'handshake-ok') });
  }
  return out;
}

/** Replaces (or adds) outcomes by their plan slot. */
export function withOutcomes(base: Outcome[], ...changes: Outcome[]): Outcome[] {
  const keys = new Set(changes.map((c) => slotKey(c)));
  return [...base.filter((o) => !keys.has(slotKey(o))), ...changes];
}

/** Drops the outcomes of a role (the probe did not run). */
export function without(base: Outcome[], role: Outcome['role']): Outcome[] {
  return base.filter((o) => o.role !== role);
}

/** The tunnel is down: nothing from the cloud answers; traces stop at `stopHops`. */
export function silentCloud(i: CheckInput, stopHops: (string | null)[]): Outcome[] {
  const out: Outcome[] = [];
  for (const server of i.dnsServers) out.push({ role: 'dns-ping', server, result: icmp(server, 'no-reply') });
  if (i.edge) out.push({ role: 'edge-ping', server: i.edge, result: icmp(i.edge, 'replied') });
  for (const server of i.dnsServers) out.push({ role: 'dns-trace', server, result: trace(server, stopHops) });
  for (const host of i.hosts) {
    for (const server of i.dnsServers) out.push({ role: 'cloud-dns', server, host, result: dns(host, server, 'timeout') });
    out.push({ role: 'local-dns', host, result: dns(host, i.resolver ?? null, 'SERVFAIL') });
  }
  return out;
}
