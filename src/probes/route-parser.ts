import { z } from 'zod';

/**
 * Reads what the operating system says about its route to one address: Linux `ip -j -d route get ADDR`
 * (JSON, iproute2 >= 4.13), its plain-text form for older iproute2, and BSD/macOS `route -n get ADDR`.
 * A refused lookup is an answer too: the kernel's errno names the kind of route that refused it.
 */

export const ROUTE_STATUSES = [
  /** The kernel would send the packets: through `gateway`, or on-link when it is null. */
  'routed',
  /** No route matches at all (ENETUNREACH: "Network is unreachable"; also a `throw` route). */
  'no-route',
  /** An `unreachable` route (EHOSTUNREACH: "No route to host"). */
  'unreachable',
  /** A `prohibit` route (EACCES: "Permission denied"). */
  'prohibited',
  /** A `blackhole` route (EINVAL: "Invalid argument"): packets silently discarded. */
  'blackhole',
  /** The address is this machine's own (a `local` route): nothing leaves. */
  'local',
  /** No tool to ask (not installed, or a platform without one). */
  'unavailable',
  'error',
] as const;
export type RouteStatus = (typeof ROUTE_STATUSES)[number];

export interface ParsedRoute {
  status: RouteStatus;
  /** The next hop; null when the destination is on-link (or there is no route). */
  gateway: string | null;
  /** Outgoing interface. */
  device: string | null;
  /** Source address the kernel would use (Linux only: BSD's `route get` does not print it). */
  source: string | null;
  /** Routing table that matched (Linux with -d), e.g. "main", "220". */
  table: string | null;
  message?: string;
}

const empty = (status: RouteStatus, message?: string): ParsedRoute => ({
  status,
  gateway: null,
  device: null,
  source: null,
  table: null,
  ...(message ? { message } : {}),
});

/** iproute2's stderr for a refused lookup ("RTNETLINK answers: No route to host"), by errno text. */
const KERNEL_REFUSALS: readonly [RegExp, RouteStatus][] = [
  [/Network is unreachable/i, 'no-route'],
  [/No route to host/i, 'unreachable'],
  [/Permission denied/i, 'prohibited'],
  [/Invalid argument/i, 'blackhole'],
];

export function refusalOf(stderr: string): ParsedRoute | null {
  for (const [re, status] of KERNEL_REFUSALS) if (re.test(stderr)) return empty(status, stderr.trim().split('\n')[0]);
  return null;
}

const IpJsonRouteSchema = z.looseObject({
  type: z.string().optional(),
  dst: z.string().optional(),
  gateway: z.string().optional(),
  // A multipath route (`nexthop via A nexthop via B`) resolves to one path per lookup: `via` on newer iproute2.
  via: z.looseObject({ host: z.string().optional() }).optional(),
  dev: z.string().optional(),
  prefsrc: z.string().optional(),
  table: z.union([z.string(), z.number()]).optional(),
});

/** `ip -j [-d] route get ADDR` on success: a one-element JSON array. */
export function parseIpJson(stdout: string): ParsedRoute | null {
  let raw: unknown;
  try {
    raw = JSON.parse(stdout);
  } catch {
    return null;
  }
  const first = z.array(IpJsonRouteSchema).min(1).safeParse(raw);
  if (!first.success) return null;
  const r = first.data[0]!;
  return fromFields(r.type ?? 'unicast', r.gateway ?? r.via?.host ?? null, r.dev ?? null, r.prefsrc ?? null, r.table ?? null);
}

/**
 * The text form (`10.251.0.2 via 10.250.1.1 dev eth0 table main src 10.250.1.10 uid 0`), for iproute2
 * older than JSON output. The first word is the route type when it is not unicast ("local 10.0.0.1 dev lo").
 */
export function parseIpText(stdout: string): ParsedRoute | null {
  const line = stdout.split('\n').find((l) => l.trim() !== '');
  if (!line) return null;
  const words = line.trim().split(/\s+/);
  const typed = /^(local|broadcast|multicast|unreachable|prohibit|blackhole|throw|anycast|unicast)$/.test(words[0]!);
  const type = typed ? words[0]! : 'unicast';
  const after = (key: string): string | null => {
    const i = words.indexOf(key);
    return i >= 0 && i + 1 < words.length ? words[i + 1]! : null;
  };
  if (!after('dev') && type === 'unicast') return null;
  return fromFields(type, after('via'), after('dev'), after('src'), after('table'));
}

function fromFields(type: string, gateway: string | null, device: string | null, source: string | null, table: string | number | null) {
  const status: RouteStatus =
    type === 'local'
      ? 'local'
      : type === 'unreachable'
        ? 'unreachable'
        : type === 'prohibit'
          ? 'prohibited'
          : type === 'blackhole'
            ? 'blackhole'
            : type === 'throw'
              ? 'no-route'
              : 'routed';
  return { status, gateway, device, source, table: table === null ? null : String(table) };
}

/**
 * BSD/macOS `route -n get ADDR`: "key: value" lines (gateway, interface, flags). Sample format: the route(8)
 * page at real-world-systems.com (macOS, `route -n get 192.0.43.10`). An on-link destination has no gateway
 * line; a missing route prints "not in table".
 */
export function parseBsdRouteGet(stdout: string, stderr = ''): ParsedRoute | null {
  if (/not in table/i.test(stdout + stderr)) return empty('no-route', 'route: not in table');
  const field = (key: string): string | null => {
    const m = new RegExp(`^\\s*${key}:\\s*(\\S+)`, 'm').exec(stdout);
    return m ? m[1]! : null;
  };
  const device = field('interface');
  if (!device) return null;
  const flags = field('flags') ?? '';
  const status: RouteStatus = /REJECT/.test(flags) ? 'unreachable' : /BLACKHOLE/.test(flags) ? 'blackhole' : 'routed';
  const gateway = /GATEWAY/.test(flags) ? field('gateway') : null;
  return { status, gateway, device, source: null, table: null };
}

export { empty as emptyRoute };
