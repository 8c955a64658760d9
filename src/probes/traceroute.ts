import { isIP } from 'node:net';
import { z } from 'zod';
import { runCommand as defaultRunCommand, seconds, type CommandRunner } from './exec.js';
import {
  isPermissionError,
  loadNetPing as defaultLoadNetPing,
  randomSessionId,
  type NetPingLoader,
  type NetPingModule,
} from './net-ping.js';
import { resolveTarget } from './resolve.js';
import { TargetSchema } from './target.js';
import { lastResponder, parseTracerouteOutput, type TracerouteHop } from './traceroute-parser.js';
import {
  effectiveDeadline,
  probeResultSchema,
  startResult,
  TimeoutMsSchema,
  type Probe,
  type ProbeContext,
  type ProbeResult,
} from './types.js';

/**
 * Traceroute: where does the path towards a cloud DNS server stop? The guide reads the answer this way:
 * stops inside your network -> internal routing; reaches your VPN device and no further -> VPN device.
 * Backends: the system `traceroute` (ICMP probes when permitted, as Windows `tracert` does, else UDP),
 * or net-ping's trace route when the tool is missing and raw sockets are allowed.
 */

export const TracerouteParamsSchema = z.object({
  target: TargetSchema,
  maxHops: z.number().int().min(1).max(64).default(15),
  /** How long to wait for each hop's answer. */
  waitMs: z.number().int().min(100).max(10_000).default(1000),
  /**
   * Once a later hop has answered, wait for an earlier hop at most this many times that answer's
   * round-trip time instead of the whole `waitMs` (traceroute's own `-w MAX,HERE,NEAR`, whose default
   * NEAR is 10). A hop that stays silent while the hops behind it answer (a router rate-limiting its
   * ICMP errors, as Linux does by default) then costs milliseconds, not `waitMs`. The last hop that
   * answers, where a trace stops, always gets the whole `waitMs`. 0: always `waitMs` (`-w MAX`).
   */
  nearFactor: z.number().min(0).max(100).default(0),
  /** auto: ICMP echo probes when this process may send them, else UDP. */
  method: z.enum(['auto', 'icmp', 'udp']).default('auto'),
  timeoutMs: TimeoutMsSchema.default(10_000),
  backend: z.enum(['auto', 'system', 'net-ping']).default('auto'),
});
export type TracerouteParams = z.infer<typeof TracerouteParamsSchema>;

export const TRACEROUTE_STATUSES = [
  'reached',
  'not-reached',
  'incomplete',
  'unreachable',
  'unavailable',
  'not-permitted',
  'error',
] as const;
export type TracerouteStatus = (typeof TRACEROUTE_STATUSES)[number];

export const HopSchema = z.object({
  hop: z.number().int().min(1),
  address: z.string().nullable(),
  rttMs: z.number().nullable(),
  annotation: z.string().nullable(),
});

export const TracerouteDetailSchema = z.object({
  /**
   * reached: the destination answered. not-reached: the trace ran to its end without it. incomplete: the
   * deadline stopped the trace first. unreachable: this host has no route (reason no-route).
   * unavailable: no traceroute tool. not-permitted: the tool exists but may not send its probes.
   */
  status: z.enum(TRACEROUTE_STATUSES),
  reason: z.enum(['no-route', 'bad-target']).optional(),
  method: z.enum(['icmp', 'udp']).nullable(),
  destination: z.string().nullable(),
  hops: z.array(HopSchema),
  lastResponder: z.object({ hop: z.number().int(), address: z.string() }).nullable(),
  message: z.string().optional(),
});
export type TracerouteDetail = z.infer<typeof TracerouteDetailSchema>;
export const TracerouteResultSchema = probeResultSchema('traceroute', TracerouteDetailSchema);
export type TracerouteResult = ProbeResult<TracerouteDetail, 'traceroute'>;

export interface TracerouteDeps {
  runCommand?: CommandRunner;
  loadNetPing?: NetPingLoader;
  tracerouteCommand?: string;
}

const SYSTEM = 'traceroute';
const NET_PING = 'net-ping';

export function createTracerouteProbe(deps: TracerouteDeps = {}): Probe<TracerouteParams, TracerouteDetail> {
  const run = deps.runCommand ?? defaultRunCommand;
  const load = deps.loadNetPing ?? defaultLoadNetPing;
  const command = deps.tracerouteCommand ?? 'traceroute';

  return {
    kind: 'traceroute',
    paramsSchema: TracerouteParamsSchema,
    detailSchema: TracerouteDetailSchema,
    errorDetail: (message) => empty('error', message),
    async run(params, ctx) {
      const deadline = effectiveDeadline(ctx, params.timeoutMs);
      const finish = startResult('traceroute', params.target, (d: TracerouteDetail) => d.status === 'reached');
      const sub = { signal: ctx.signal, deadline };

      if (params.backend !== 'net-ping') {
        const detail = await traceWithSystem(run, command, params, sub);
        if (detail.status !== 'unavailable' || params.backend === 'system') return finish(SYSTEM, detail);
      }
      const mod = load();
      if (!mod) {
        return finish(
          params.backend === 'net-ping' ? NET_PING : SYSTEM,
          empty('unavailable', 'traceroute is not installed (Debian package traceroute) and net-ping is not available'),
        );
      }
      return finish(NET_PING, await traceWithNetPing(mod, params, sub));
    },
  };
}

export const tracerouteProbe = createTracerouteProbe();

function empty(status: TracerouteStatus, message?: string, method: 'icmp' | 'udp' | null = null): TracerouteDetail {
  return { status, method, destination: null, hops: [], lastResponder: null, ...(message ? { message } : {}) };
}

function summarise(
  status: TracerouteStatus,
  method: 'icmp' | 'udp',
  destination: string | null,
  hops: TracerouteHop[],
  extra: Partial<TracerouteDetail> = {},
): TracerouteDetail {
  const last = lastResponder(hops);
  return {
    status,
    method,
    destination,
    hops,
    lastResponder: last ? { hop: last.hop, address: last.address! } : null,
    ...extra,
  };
}

const PRIVILEGE_RE = /enough privileges|Operation not permitted|Permission denied/i;

async function traceWithSystem(
  run: CommandRunner,
  command: string,
  params: TracerouteParams,
  ctx: ProbeContext,
): Promise<TracerouteDetail> {
  const methods: ('icmp' | 'udp')[] = params.method === 'auto' ? ['icmp', 'udp'] : [params.method];
  let denied: string | null = null;
  // "-w MAX,HERE,NEAR" (traceroute >= 2.1); HERE needs several probes per hop, and this sends one (-q 1).
  let wait = params.nearFactor > 0 ? `${seconds(params.waitMs)},0,${params.nearFactor}` : seconds(params.waitMs);
  for (const method of methods) {
    const argsFor = (w: string): string[] => [
      '-n',
      ...(isIP(params.target) === 6 ? ['-6'] : []),
      ...(method === 'icmp' ? ['-I'] : []),
      '-q',
      '1',
      '-w',
      w,
      '-m',
      String(params.maxHops),
      '--',
      params.target,
    ];
    const opts = { signal: ctx.signal, deadline: ctx.deadline, interruptSignal: 'SIGTERM' as const };
    let res = await run(command, argsFor(wait), opts);
    if (wait.includes(',') && !res.spawnError && /Cannot handle .-w. option/i.test(res.stderr)) {
      // An older traceroute takes only "-w MAX": trace with the plain wait.
      wait = seconds(params.waitMs);
      res = await run(command, argsFor(wait), opts);
    }
    if (res.spawnError) {
      return res.spawnError.code === 'ENOENT'
        ? empty('unavailable', 'traceroute is not installed (Debian package traceroute)')
        : empty('error', `cannot run traceroute: ${res.spawnError.message}`);
    }
    const stderr = res.stderr.trim();
    const firstErr = stderr.split('\n')[0] ?? '';
    // ICMP probes need privileges; an ordinary user falls back to UDP probes.
    if (PRIVILEGE_RE.test(stderr) && res.stdout.trim() === '') {
      denied = firstErr;
      continue;
    }
    const parsed = parseTracerouteOutput(res.stdout);
    const destination = parsed.address ?? (isIP(params.target) ? params.target : null);
    const hops = parsed.hops;
    if (destination && hops.some((h) => h.address === destination)) return summarise('reached', method, destination, hops);
    if (/Network is unreachable|No route to host/i.test(stderr)) {
      return summarise('unreachable', method, destination, hops, { reason: 'no-route', message: firstErr });
    }
    if (/Name or service not known|Temporary failure in name resolution|Cannot handle/i.test(stderr)) {
      return summarise('error', method, destination, hops, { reason: 'bad-target', message: firstErr });
    }
    if (res.interrupted) return summarise('incomplete', method, destination, hops, { message: 'stopped at the deadline' });
    if (res.exitCode !== 0 && hops.length === 0) {
      return summarise('error', method, destination, hops, { message: firstErr || `traceroute exited with code ${res.exitCode}` });
    }
    return summarise('not-reached', method, destination, hops);
  }
  return empty('not-permitted', denied ?? 'traceroute may not send probes here');
}

/** One hop at a time with net-ping (slower than the system tool, which probes hops in parallel). */
async function traceWithNetPing(mod: NetPingModule, params: TracerouteParams, ctx: ProbeContext): Promise<TracerouteDetail> {
  let address: string;
  try {
    address = await resolveTarget(params.target, ctx.deadline);
  } catch (err) {
    return { ...empty('error', (err as Error).message), reason: 'bad-target' };
  }
  let session;
  try {
    session = mod.createSession({
      networkProtocol: isIP(address) === 6 ? mod.NetworkProtocol.IPv6 : mod.NetworkProtocol.IPv4,
      retries: 0,
      timeout: params.waitMs,
      ttl: params.maxHops,
      sessionId: randomSessionId(),
    });
  } catch (err) {
    return isPermissionError(err)
      ? empty('not-permitted', 'net-ping may not open a raw socket (needs root or CAP_NET_RAW)')
      : empty('error', `net-ping: ${(err as Error).message}`);
  }
  session.on('error', () => {
    // outstanding requests end through their callbacks
  });

  const hops = new Map<number, TracerouteHop>();
  let reached = false;
  let interrupted = false;
  let noRoute: string | null = null;

  await new Promise<void>((resolve) => {
    let settled = false;
    const settle = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      ctx.signal.removeEventListener('abort', stop);
      session.close();
      resolve();
    };
    const stop = (): void => {
      interrupted = true;
      settle();
    };
    const timer = setTimeout(stop, Math.max(0, ctx.deadline - Date.now()));
    ctx.signal.addEventListener('abort', stop, { once: true });

    session.traceRoute(
      address,
      { ttl: params.maxHops, maxHopTimeouts: 3 },
      (error, target, ttl, sent, rcvd) => {
        const rtt = sent && rcvd ? rcvd.getTime() - sent.getTime() : null;
        if (!error) {
          reached = true;
          hops.set(ttl, { hop: ttl, address: target, rttMs: rtt, annotation: null });
        } else if (error.source) {
          const unreachable = /unreachable/i.test(error.name) || /unreachable/i.test(error.message);
          hops.set(ttl, { hop: ttl, address: error.source, rttMs: rtt, annotation: unreachable ? '!H' : null });
        } else {
          if (/Network is unreachable|No route to host/i.test(error.message)) noRoute = error.message;
          hops.set(ttl, { hop: ttl, address: null, rttMs: null, annotation: null });
        }
      },
      () => settle(),
    );
  });

  const list = [...hops.values()].sort((a, b) => a.hop - b.hop);
  if (reached) return summarise('reached', 'icmp', address, list);
  if (noRoute) return summarise('unreachable', 'icmp', address, list, { reason: 'no-route', message: noRoute });
  if (interrupted) return summarise('incomplete', 'icmp', address, list, { message: 'stopped at the deadline' });
  return summarise('not-reached', 'icmp', address, list);
}
