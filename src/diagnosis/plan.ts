import type { ProbeRequest, ResultOf } from '../probes/catalogue.js';
import type { CheckInput } from './input.js';

/**
 * The probe plan: the guide's manual sequence (ping the cloud DNS, traceroute to it, nslookup through the
 * cloud DNS and through your own resolver, telnet 443/80), as independent probes that run in parallel.
 * Only the TCP/TLS probes wait, per host, for an address to connect to.
 */

/** Why a probe is in the plan: the rules read results by role, not by guessing from targets. */
export type Outcome =
  | { role: 'dns-ping'; server: string; result: ResultOf<'icmp'> }
  | { role: 'edge-ping'; server: string; result: ResultOf<'icmp'> }
  | { role: 'dns-trace'; server: string; result: ResultOf<'traceroute'> }
  | { role: 'dns-route'; server: string; result: ResultOf<'route'> }
  | { role: 'edge-route'; server: string; result: ResultOf<'route'> }
  | { role: 'cloud-dns'; server: string; host: string; result: ResultOf<'dns'> }
  | { role: 'local-dns'; host: string; result: ResultOf<'dns'> }
  | { role: 'tcp'; host: string; port: number; result: ResultOf<'tcp'> }
  | { role: 'tls'; host: string; port: number; result: ResultOf<'tls'> };

export type Role = Outcome['role'];
type Slot<O> = O extends { result: infer _R } ? Omit<O, 'result'> : never;
/** An outcome before it has a result. */
export type PlanSlot = Slot<Outcome>;

export interface PlannedProbe {
  slot: PlanSlot;
  request: ProbeRequest;
}

export const HTTPS = 443;
export const HTTP = 80;

/**
 * How the check's budget (default 5 s) is shared. Everything starts at once, so the slowest probe sets
 * the time when the network is silent: pings get 60%, DNS 50%, traceroute 90%; TCP and TLS use whatever
 * is left once an address is known. When the network answers, every probe returns in well under a second.
 */
export interface Budget {
  ping: { count: number; intervalMs: number; timeoutMs: number };
  trace: { maxHops: number; waitMs: number; timeoutMs: number };
  dnsMs: number;
  /** A route lookup reads a local table: it answers in milliseconds or not at all. */
  routeMs: number;
}

const clamp = (v: number, lo: number, hi: number): number => Math.round(Math.min(hi, Math.max(lo, v)));

export function budget(timeoutMs: number): Budget {
  return {
    ping: { count: 3, intervalMs: 200, timeoutMs: clamp(timeoutMs * 0.6, 600, 5000) },
    trace: { maxHops: 15, waitMs: clamp(timeoutMs * 0.2, 300, 1000), timeoutMs: clamp(timeoutMs * 0.9, 900, 30_000) },
    dnsMs: clamp(timeoutMs * 0.5, 500, 5000),
    routeMs: clamp(timeoutMs * 0.4, 200, 2000),
  };
}

/**
 * How the probes pace themselves inside their budget: pings send their next echo as soon as the last one is
 * answered (`ping -A`), traces stop waiting for a silent hop once the hops behind it answered (traceroute's
 * NEAR factor, its own default). Neither changes what a silent path gets: the full interval and wait.
 */
export const PACING = {
  ping: { adaptive: true },
  trace: { nearFactor: 10 },
} as const;

/** The probes that need nothing but the input. */
export function firstStage(input: CheckInput): PlannedProbe[] {
  const b = budget(input.timeoutMs);
  const ping = { ...b.ping, ...PACING.ping };
  const trace = { ...b.trace, ...PACING.trace };
  const plan: PlannedProbe[] = [];
  for (const server of input.dnsServers) {
    plan.push({ slot: { role: 'dns-ping', server }, request: { kind: 'icmp', params: { target: server, ...ping } } });
  }
  if (input.edge) {
    const edge = input.edge;
    plan.push({ slot: { role: 'edge-ping', server: edge }, request: { kind: 'icmp', params: { target: edge, ...ping } } });
  }
  for (const server of input.dnsServers) {
    plan.push({ slot: { role: 'dns-trace', server }, request: { kind: 'traceroute', params: { target: server, ...trace } } });
  }
  // Which way this machine sends the cloud traffic, and its edge device's: the next hop each route names
  // tells a wrong or dead route here from a path that does reach the edge (nothing is sent).
  for (const server of input.dnsServers) {
    plan.push({ slot: { role: 'dns-route', server }, request: { kind: 'route', params: { target: server, timeoutMs: b.routeMs } } });
  }
  if (input.edge) {
    const edge = input.edge;
    plan.push({ slot: { role: 'edge-route', server: edge }, request: { kind: 'route', params: { target: edge, timeoutMs: b.routeMs } } });
  }
  for (const host of input.hosts) {
    for (const server of input.dnsServers) {
      plan.push({
        slot: { role: 'cloud-dns', server, host },
        request: { kind: 'dns', params: { name: host, server, type: 'A', timeoutMs: b.dnsMs } },
      });
    }
    plan.push({
      slot: { role: 'local-dns', host },
      request: {
        kind: 'dns',
        params: { name: host, ...(input.resolver ? { server: input.resolver } : {}), type: 'A', timeoutMs: b.dnsMs },
      },
    });
  }
  return plan;
}

export function portsFor(input: Pick<CheckInput, 'sentry'>): number[] {
  // The guide: telnet to 80 and 443; "for Sentry editions allow only port 443".
  return input.sentry ? [HTTPS] : [HTTPS, HTTP];
}

/** The probes of one host once an address is known: TCP to each port, and a TLS handshake with SNI on 443. */
export function secondStage(input: CheckInput, host: string, address: string, timeoutMs: number): PlannedProbe[] {
  const t = Math.max(50, Math.round(timeoutMs));
  const plan: PlannedProbe[] = portsFor(input).map((port) => ({
    slot: { role: 'tcp', host, port },
    request: { kind: 'tcp', params: { target: address, port, timeoutMs: t } },
  }));
  plan.push({
    slot: { role: 'tls', host, port: HTTPS },
    request: { kind: 'tls', params: { target: address, port: HTTPS, servername: host, timeoutMs: t } },
  });
  return plan;
}

/** Every slot of the plan, in report order (second-stage slots included, whether they run or not). */
export function allSlots(input: CheckInput): PlanSlot[] {
  return [
    ...firstStage(input).map((p) => p.slot),
    ...input.hosts.flatMap((host) => secondStage(input, host, '0.0.0.0', 0).map((p) => p.slot)),
  ];
}

/** Upper bound of the number of probes (second-stage probes are skipped for a host without an address). */
export function plannedCount(input: CheckInput): number {
  return allSlots(input).length;
}

/** Stable order of outcomes in the report: the plan's order, whatever order they completed in. */
export function slotKey(slot: PlanSlot): string {
  switch (slot.role) {
    case 'dns-ping':
    case 'edge-ping':
    case 'dns-trace':
    case 'dns-route':
    case 'edge-route':
      return `${slot.role} ${slot.server}`;
    case 'cloud-dns':
      return `${slot.role} ${slot.host} ${slot.server}`;
    case 'local-dns':
      return `${slot.role} ${slot.host}`;
    case 'tcp':
    case 'tls':
      return `${slot.role} ${slot.host} ${slot.port}`;
  }
}
