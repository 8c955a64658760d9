import type { ResultOf } from '../probes/catalogue.js';
import type { IcmpStatus } from '../probes/icmp.js';
import type { CheckInput } from './input.js';
import type { Outcome } from './plan.js';
import { observeRoutes, type RouteFacts } from './route-facts.js';

/**
 * What the probes observed, digested into the questions the rules ask ("does this DNS server answer
 * anything?", "where does the trace stop?"). No decisions here: rules.ts makes them.
 */

type IcmpResult = ResultOf<'icmp'>;
type TraceResult = ResultOf<'traceroute'>;
type DnsResult = ResultOf<'dns'>;
type TcpResult = ResultOf<'tcp'>;
type TlsResult = ResultOf<'tls'>;

export interface ServerFacts {
  server: string;
  ping: IcmpResult | undefined;
  pingStatus: IcmpStatus | 'not-run';
  trace: TraceResult | undefined;
  /** The cloud DNS queries sent to this server (one per host). */
  queries: DnsResult[];
  answersPing: boolean;
  /** Some DNS response came back, whatever its rcode: UDP 53 gets there and back. */
  answersDns: boolean;
  traceReached: boolean;
}

/** How the local resolver (the corporate one, or this machine's) resolved a host. */
export type LocalAnswer = 'private' | 'public' | 'not-found' | 'failed' | 'not-run';

export interface HostFacts {
  host: string;
  /** Cloud DNS responses (any rcode) for this host. */
  cloudResponses: DnsResult[];
  cloudPrivate: string[];
  cloudPublic: string[];
  /** Every cloud DNS server that responded said NXDOMAIN. */
  cloudNxdomain: boolean;
  local: DnsResult | undefined;
  localAnswer: LocalAnswer;
  localPrivate: string[];
  localPublic: string[];
  tcp: { port: number; result: TcpResult }[];
  tls: TlsResult | undefined;
}

/**
 * How the cloud-bound traffic was seen at the VPN edge device:
 *   'trace'      its inside IP is a hop of a traceroute to a cloud DNS server;
 *   'icmp-error' it answered a ping to a cloud DNS server with an ICMP error;
 *   'ping'       it answers its own ping while no traceroute hop answered at all (the edge is the first hop,
 *                or rate-limits its time-exceeded replies after back-to-back checks, or the cloud traffic
 *                goes elsewhere): it counts as reached only when this machine's route names the edge as
 *                next hop; otherwise the path stays undecided (path-rules.ts);
 *   null         not seen. When traceroute hops before it answered and then went silent, a ping reply
 *                from the edge does not count: the traffic for the cloud may not be routed to the edge at
 *                all (internal routing), which is exactly what such a trace shows.
 */
export type EdgeSeenBy = 'trace' | 'icmp-error' | 'ping' | null;

export interface EdgeFacts {
  ip: string;
  seen: boolean;
  seenBy: EdgeSeenBy;
  /** The edge answered its own ping (the plan pings it when given). */
  answersPing: boolean;
  ping: IcmpResult | undefined;
}

export interface Facts {
  input: CheckInput;
  servers: ServerFacts[];
  hosts: HostFacts[];
  /** Something on the cloud side answered: a ping, a DNS response, a trace reaching a server, a TCP connection. */
  cloudReachable: boolean;
  /** Some probe towards the cloud ran (ping, trace, cloud DNS, TCP): without one, nothing says whether it answers. */
  cloudProbed: boolean;
  /**
   * Cloud targets for which the kernel of this machine answered EHOSTUNREACH (TCP or DNS): the next hop of
   * its route did not answer (no ARP/ND reply), or a router sent host-unreachable. "target (code)" each.
   */
  hostUnreachable: string[];
  /** This machine itself has no route towards any cloud DNS server (ENETUNREACH). */
  noLocalRoute: boolean;
  /** No ICMP could be sent from this machine at all (nothing to conclude from pings). */
  icmpNotPermitted: boolean;
  /** Traces that actually ran (have hop data or ended), as opposed to unavailable / not permitted. */
  tracesRan: TraceResult[];
  edge: EdgeFacts | undefined;
  /** This machine's routing table towards the cloud and the edge (the route probe). */
  route: RouteFacts;
}

const unique = <T>(xs: T[]): T[] => [...new Set(xs)];

export function observe(input: CheckInput, outcomes: readonly Outcome[]): Facts {
  const of = <R extends Outcome['role']>(role: R) => outcomes.filter((o): o is Extract<Outcome, { role: R }> => o.role === role);
  const pings = of('dns-ping');
  const traces = of('dns-trace');
  const cloud = of('cloud-dns');
  const local = of('local-dns');
  const tcp = of('tcp');
  const tls = of('tls');

  const servers: ServerFacts[] = input.dnsServers.map((server) => {
    const ping = pings.find((p) => p.server === server)?.result;
    const trace = traces.find((t) => t.server === server)?.result;
    const queries = cloud.filter((c) => c.server === server).map((c) => c.result);
    return {
      server,
      ping,
      pingStatus: ping?.detail.status ?? 'not-run',
      trace,
      queries,
      answersPing: ping?.detail.status === 'replied',
      answersDns: queries.some((q) => q.detail.status === 'answered'),
      traceReached: trace?.detail.status === 'reached',
    };
  });

  const hosts: HostFacts[] = input.hosts.map((host) => {
    const responses = cloud.filter((c) => c.host === host && c.result.detail.status === 'answered').map((c) => c.result);
    const answers = responses.flatMap((r) => r.detail.answers);
    const loc = local.find((l) => l.host === host)?.result;
    const locAnswers = loc?.detail.answers ?? [];
    const localPrivate = unique(locAnswers.filter((a) => a.scope === 'private').map((a) => a.address));
    const localPublic = unique(locAnswers.filter((a) => a.scope === 'public').map((a) => a.address));
    let localAnswer: LocalAnswer = 'not-run';
    if (loc) {
      if (loc.detail.status !== 'answered') localAnswer = 'failed';
      else if (localPrivate.length > 0) localAnswer = 'private';
      else if (localPublic.length > 0) localAnswer = 'public';
      else if (loc.detail.rcode === 'NXDOMAIN' || loc.detail.rcode === 'NOERROR') localAnswer = 'not-found';
      else localAnswer = 'failed'; // SERVFAIL, REFUSED...
    }
    return {
      host,
      cloudResponses: responses,
      cloudPrivate: unique(answers.filter((a) => a.scope === 'private').map((a) => a.address)),
      cloudPublic: unique(answers.filter((a) => a.scope === 'public').map((a) => a.address)),
      cloudNxdomain: responses.length > 0 && responses.every((r) => r.detail.rcode === 'NXDOMAIN'),
      local: loc,
      localAnswer,
      localPrivate,
      localPublic,
      tcp: tcp.filter((t) => t.host === host).map((t) => ({ port: t.port, result: t.result })),
      tls: tls.find((t) => t.host === host)?.result,
    };
  });

  const cloudReachable =
    servers.some((s) => s.answersPing || s.answersDns || s.traceReached) || tcp.some((t) => t.result.detail.status === 'open');

  const noRoute = (s: ServerFacts): boolean =>
    (s.ping?.detail.status === 'unreachable' && s.ping.detail.reason === 'no-route') ||
    (s.trace?.detail.status === 'unreachable' && s.trace.detail.reason === 'no-route') ||
    s.queries.some((q) => q.detail.code === 'ENETUNREACH');

  const allIcmp = [...pings, ...of('edge-ping')].map((p) => p.result);
  const tracesRan = traces.map((t) => t.result).filter((t) => ['reached', 'not-reached', 'incomplete'].includes(t.detail.status));

  let edge: Facts['edge'];
  if (input.edge) {
    const ip = input.edge;
    const ping = of('edge-ping')[0]?.result;
    const answersPing = ping?.detail.status === 'replied';
    const inTrace = tracesRan.some((t) => t.detail.hops.some((h) => h.address === ip));
    const sentIcmpError = pings.some((p) => p.result.detail.icmpErrors.some((e) => e.from === ip));
    const tracesSilent = tracesRan.length > 0 && tracesRan.every((t) => t.detail.hops.every((h) => h.address === null));
    const seenBy: EdgeSeenBy = inTrace ? 'trace' : sentIcmpError ? 'icmp-error' : answersPing && tracesSilent ? 'ping' : null;
    edge = { ip, seen: seenBy !== null, seenBy, answersPing, ping };
  }

  return {
    input,
    servers,
    hosts,
    cloudReachable,
    hostUnreachable: [
      ...tcp.filter((t) => t.result.detail.code === 'EHOSTUNREACH').map((t) => t.result.target),
      ...cloud.filter((c) => c.result.detail.code === 'EHOSTUNREACH').map((c) => c.result.target),
    ],
    cloudProbed: pings.length + traces.length + cloud.length + tcp.length + tls.length > 0,
    noLocalRoute: servers.length > 0 && servers.every(noRoute),
    icmpNotPermitted: allIcmp.length > 0 && allIcmp.every((r) => r.detail.status === 'not-permitted'),
    tracesRan,
    edge,
    route: observeRoutes(input.edge, outcomes),
  };
}
