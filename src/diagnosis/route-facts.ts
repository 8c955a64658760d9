import type { ResultOf } from '../probes/catalogue.js';
import type { Outcome } from './plan.js';

type RouteResult = ResultOf<'route'>;

/**
 * How this machine's first hop towards the cloud relates to the VPN edge device, from its own routing table:
 *   'edge'         the cloud route's next hop IS the edge (the traffic is handed to it directly);
 *   'same-as-edge' the cloud and the edge are reached through the same next hop and interface (a router in
 *                  between): the table says nothing about what that router does with the cloud traffic;
 *   'elsewhere'    the cloud traffic leaves by another next hop or interface than the one that reaches the
 *                  edge: on this machine, the route to the OutSystems Cloud range does not lead to the edge;
 *   'unknown'      no edge given, or a route that could not be read.
 */
export type NextHopRelation = 'edge' | 'same-as-edge' | 'elsewhere' | 'unknown';

export interface RouteFacts {
  /** Route lookups to the cloud DNS servers that gave an answer (routed or refused by a route). */
  cloud: RouteResult[];
  edgeRoute: RouteResult | undefined;
  /** Cloud addresses for which this machine's table holds no usable route (no route, unreachable, prohibit, blackhole). */
  refused: RouteResult[];
  nextHop: NextHopRelation;
  /** Some route lookup gave an answer at all: without one, the route evidence is missing (tool or agent). */
  known: boolean;
}

const ANSWERED = new Set(['routed', 'no-route', 'unreachable', 'prohibited', 'blackhole']);
const REFUSED = new Set(['no-route', 'unreachable', 'prohibited', 'blackhole']);

export function observeRoutes(edge: string | undefined, outcomes: readonly Outcome[]): RouteFacts {
  const cloud = outcomes.flatMap((o) => (o.role === 'dns-route' && ANSWERED.has(o.result.detail.status) ? [o.result] : []));
  const edgeRoute = outcomes.find((o): o is Extract<Outcome, { role: 'edge-route' }> => o.role === 'edge-route')?.result;
  const refused = cloud.filter((r) => REFUSED.has(r.detail.status));
  const routed = cloud.filter((r) => r.detail.status === 'routed');
  return { cloud, edgeRoute, refused, nextHop: relation(edge, routed, edgeRoute), known: cloud.length > 0 };
}

function relation(edge: string | undefined, routed: RouteResult[], edgeRoute: RouteResult | undefined): NextHopRelation {
  if (!edge || routed.length === 0) return 'unknown';
  if (routed.every((r) => r.detail.gateway === edge)) return 'edge';
  if (edgeRoute?.detail.status !== 'routed') return 'unknown';
  const e = edgeRoute.detail;
  const same = routed.every((r) => r.detail.gateway === e.gateway && r.detail.device === e.device);
  return same ? 'same-as-edge' : 'elsewhere';
}

/** "via 10.250.1.99 dev eth0" or "on-link dev eth0": the first hop as `ip route get` names it. */
export function firstHop(r: RouteResult): string {
  const d = r.detail;
  return `${d.gateway ? `via ${d.gateway}` : 'on-link'}${d.device ? ` dev ${d.device}` : ''}`;
}
