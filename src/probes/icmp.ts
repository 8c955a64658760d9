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
import { classifyPingStderr, parsePingOutput, type PingRtt } from './ping-parser.js';
import { resolveTarget } from './resolve.js';
import { TargetSchema } from './target.js';
import {
  effectiveDeadline,
  probeResultSchema,
  startResult,
  stopwatch,
  TimeoutMsSchema,
  type Probe,
  type ProbeContext,
  type ProbeResult,
} from './types.js';

/**
 * ICMP echo ("ping"). Two backends: net-ping over a raw socket when this process may open one (root or
 * CAP_NET_RAW), else the system's iputils `ping`. When neither may send ICMP the result says so
 * (`status: 'not-permitted'`): that is a fact about this machine, never evidence that the target is down.
 * net-ping's RTTs are measured in this process (they include event-loop delay, a few ms while a check
 * starts its other probes); iputils timestamps in the kernel. Either is fine for telling 1 ms from 30 ms.
 */

export const IcmpParamsSchema = z.object({
  target: TargetSchema,
  count: z.number().int().min(1).max(20).default(3),
  /** 200 ms is the smallest interval iputils allows an ordinary user. */
  intervalMs: z.number().int().min(200).max(5000).default(200),
  /**
   * Adaptive pacing, as iputils `ping -A`: the next echo leaves as soon as the previous one is answered,
   * and at the latest `intervalMs` after it. A path that answers costs a few round trips instead of
   * (count - 1) x intervalMs; an unanswered echo is followed exactly as with fixed pacing, so a silent
   * path (or an idle tunnel still coming up) is probed over the same time span as before.
   */
  adaptive: z.boolean().default(false),
  /** Upper bound for the whole probe (all echoes and the wait for the last reply). */
  timeoutMs: TimeoutMsSchema.default(3000),
  backend: z.enum(['auto', 'net-ping', 'system']).default('auto'),
});
export type IcmpParams = z.infer<typeof IcmpParamsSchema>;

export const ICMP_STATUSES = ['replied', 'no-reply', 'unreachable', 'not-permitted', 'unavailable', 'error'] as const;
export type IcmpStatus = (typeof ICMP_STATUSES)[number];

export const IcmpDetailSchema = z.object({
  /**
   * replied: at least one echo reply. no-reply: every echo lost. unreachable: no route from this host
   * (reason no-route) or a router answered with an ICMP error (reason icmp-error). not-permitted: this
   * process may not send ICMP. unavailable: no ICMP tool installed. error: anything else (bad name...).
   */
  status: z.enum(ICMP_STATUSES),
  reason: z.enum(['no-route', 'icmp-error', 'send-refused', 'bad-target']).optional(),
  address: z.string().nullable(),
  transmitted: z.number().int().nonnegative(),
  received: z.number().int().nonnegative(),
  lossPercent: z.number().min(0).max(100),
  rttMs: z.object({ min: z.number(), avg: z.number(), max: z.number(), mdev: z.number() }).nullable(),
  icmpErrors: z.array(z.object({ from: z.string(), message: z.string() })),
  message: z.string().optional(),
});
export type IcmpDetail = z.infer<typeof IcmpDetailSchema>;
export const IcmpResultSchema = probeResultSchema('icmp', IcmpDetailSchema);
export type IcmpResult = ProbeResult<IcmpDetail, 'icmp'>;

export interface IcmpDeps {
  loadNetPing?: NetPingLoader;
  runCommand?: CommandRunner;
  pingCommand?: string;
}

const NET_PING = 'net-ping';
const IPUTILS = 'iputils-ping';

export function createIcmpProbe(deps: IcmpDeps = {}): Probe<IcmpParams, IcmpDetail> {
  const load = deps.loadNetPing ?? defaultLoadNetPing;
  const run = deps.runCommand ?? defaultRunCommand;
  const pingCommand = deps.pingCommand ?? 'ping';

  return {
    kind: 'icmp',
    paramsSchema: IcmpParamsSchema,
    detailSchema: IcmpDetailSchema,
    errorDetail: (message) => emptyDetail('error', message),
    async run(params, ctx) {
      const deadline = effectiveDeadline(ctx, params.timeoutMs);
      const finish = startResult('icmp', params.target, (d: IcmpDetail) => d.status === 'replied');

      // Why net-ping could not be used for lack of privileges (null: it was not tried, or not installed).
      let denied: string | null = null;
      if (params.backend !== 'system') {
        const mod = load();
        if (mod) {
          const outcome = await pingWithNetPing(mod, params, { signal: ctx.signal, deadline });
          if (outcome !== 'not-permitted') return finish(NET_PING, outcome);
          denied = 'net-ping may not open a raw socket (needs root or CAP_NET_RAW)';
        }
        if (params.backend === 'net-ping') {
          return finish(NET_PING, denied ? emptyDetail('not-permitted', denied) : emptyDetail('unavailable', 'net-ping is not installed'));
        }
      }

      const detail = await pingWithSystem(run, pingCommand, params, { signal: ctx.signal, deadline });
      if (detail.status === 'unavailable' && denied) {
        // No tool may send ICMP here, and the one installed lacks privileges: that is "not permitted".
        return finish(IPUTILS, emptyDetail('not-permitted', `${denied}; ${detail.message ?? 'ping is not installed'}`));
      }
      return finish(IPUTILS, detail);
    },
  };
}

export const icmpProbe = createIcmpProbe();

function emptyDetail(status: IcmpStatus, message?: string, reason?: IcmpDetail['reason']): IcmpDetail {
  return {
    status,
    ...(reason ? { reason } : {}),
    address: null,
    transmitted: 0,
    received: 0,
    lossPercent: 100,
    rttMs: null,
    icmpErrors: [],
    ...(message ? { message } : {}),
  };
}

/** How long to wait for each reply so the last one still fits in the budget. */
function replyWaitMs(params: IcmpParams, deadline: number): number {
  const left = deadline - Date.now() - (params.count - 1) * params.intervalMs;
  return Math.min(5000, Math.max(100, left - 50));
}

/** A ping that does not know -A says so on stderr, before sending anything. */
const ADAPTIVE_REFUSED_RE = /invalid option|unrecognized option|illegal option|unknown option/i;
const HEADER_RE = /^PING /m;

async function pingWithSystem(run: CommandRunner, command: string, params: IcmpParams, ctx: ProbeContext): Promise<IcmpDetail> {
  const args = [
    '-n',
    ...(isIP(params.target) === 6 ? ['-6'] : []),
    '-c',
    String(params.count),
    '-i',
    seconds(params.intervalMs),
    ...(params.adaptive ? ['-A'] : []),
    '-W',
    seconds(replyWaitMs(params, ctx.deadline)),
    '--',
    params.target,
  ];
  const opts = { signal: ctx.signal, deadline: ctx.deadline, interruptSignal: 'SIGINT' as const };
  let res = await run(command, args, opts);
  if (params.adaptive && !res.spawnError && ADAPTIVE_REFUSED_RE.test(res.stderr) && !HEADER_RE.test(res.stdout)) {
    // A ping without -A (busybox, very old iputils): the same echoes with fixed pacing.
    res = await run(
      command,
      args.filter((a) => a !== '-A'),
      opts,
    );
  }
  if (res.spawnError) {
    return res.spawnError.code === 'ENOENT'
      ? emptyDetail('unavailable', 'ping is not installed (Debian package iputils-ping)')
      : emptyDetail('error', `cannot run ping: ${res.spawnError.message}`);
  }
  const parsed = parsePingOutput(res.stdout);
  const failure = classifyPingStderr(res.stderr);
  const stderr = res.stderr.trim().split('\n')[0];
  const replies = parsed.replies.filter((r) => !r.duplicate);
  const transmitted = parsed.stats?.transmitted ?? Math.max(replies.length, parsed.icmpErrors.length);
  const received = parsed.stats?.received ?? replies.length;
  const base = {
    address: parsed.address,
    transmitted,
    received,
    lossPercent: parsed.stats?.lossPercent ?? (transmitted > 0 ? round1((1 - received / transmitted) * 100) : 100),
    rttMs: parsed.rtt ?? rttFrom(replies.map((r) => r.timeMs)),
    icmpErrors: parsed.icmpErrors.map(({ from, message }) => ({ from, message })),
  };

  if (received > 0) return { status: 'replied', ...base };
  if (failure === 'not-permitted') return { ...emptyDetail('not-permitted', stderr), address: parsed.address };
  if (failure === 'no-route') return { status: 'unreachable', reason: 'no-route', ...base, ...msg(stderr) };
  if (failure === 'send-refused') return { status: 'error', reason: 'send-refused', ...base, ...msg(stderr) };
  if (failure === 'bad-target') return { status: 'error', reason: 'bad-target', ...base, ...msg(stderr) };
  if (base.icmpErrors.length > 0) {
    return { status: 'unreachable', reason: 'icmp-error', ...base, ...msg(base.icmpErrors[0]!.message) };
  }
  if (parsed.stats || (res.interrupted && parsed.address)) {
    return { status: 'no-reply', ...base, ...(res.interrupted ? { message: 'stopped at the deadline' } : {}) };
  }
  return { status: 'error', ...base, ...msg(stderr || `ping exited with code ${res.exitCode ?? res.signal}`) };
}

function msg(message: string | undefined): { message?: string } {
  return message ? { message } : {};
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** min/avg/max/mdev as iputils computes them (mdev: population standard deviation). */
export function rttFrom(times: number[]): PingRtt | null {
  if (times.length === 0) return null;
  const avg = times.reduce((a, b) => a + b, 0) / times.length;
  const sq = times.reduce((a, b) => a + b * b, 0) / times.length;
  return {
    min: round3(Math.min(...times)),
    avg: round3(avg),
    max: round3(Math.max(...times)),
    mdev: round3(Math.sqrt(Math.max(0, sq - avg * avg))),
  };
}

/**
 * One echo per interval, each with its own reply timer, several outstanding at once as `ping` does; with
 * adaptive pacing an answer (a reply or an ICMP error) sends the next echo at once.
 */
async function pingWithNetPing(mod: NetPingModule, params: IcmpParams, ctx: ProbeContext): Promise<IcmpDetail | 'not-permitted'> {
  let address: string;
  try {
    address = await resolveTarget(params.target, ctx.deadline);
  } catch (err) {
    return emptyDetail('error', (err as Error).message, 'bad-target');
  }
  const waitMs = replyWaitMs(params, ctx.deadline);
  let session;
  try {
    session = mod.createSession({
      networkProtocol: isIP(address) === 6 ? mod.NetworkProtocol.IPv6 : mod.NetworkProtocol.IPv4,
      retries: 0,
      timeout: waitMs,
      sessionId: randomSessionId(),
    });
  } catch (err) {
    if (isPermissionError(err)) return 'not-permitted';
    return emptyDetail('error', `net-ping: ${(err as Error).message}`);
  }
  session.on('error', () => {
    // A socket error ends outstanding requests through their callbacks; nothing else to do.
  });

  const times: number[] = [];
  const icmpErrors: IcmpDetail['icmpErrors'] = [];
  let sent = 0;
  let noRoute: string | null = null;

  await new Promise<void>((resolve) => {
    let answered = 0;
    let closed = false;
    let pacer: NodeJS.Timeout | undefined;
    const finish = (): void => {
      if (closed) return;
      // Set first: closing the session answers the outstanding requests, which must not send again.
      closed = true;
      clearTimeout(pacer);
      clearTimeout(deadlineTimer);
      ctx.signal.removeEventListener('abort', finish);
      session.close(); // flushes outstanding requests through their callbacks
      resolve();
    };
    const send = (): void => {
      clearTimeout(pacer);
      if (closed || sent >= params.count) return;
      sent++;
      if (sent < params.count) pacer = setTimeout(send, params.intervalMs);
      const watch = stopwatch();
      session.pingHost(address, (error) => {
        if (closed) return;
        if (!error) times.push(round3(watch()));
        else if (error.source) icmpErrors.push({ from: error.source, message: error.message });
        else if (/Network is unreachable|No route to host/i.test(error.message)) noRoute = error.message;
        if (++answered === params.count) return finish();
        // An answer came back (not a reply timeout): the path is not silent, the next echo need not wait.
        if (params.adaptive && (!error || error.source)) send();
      });
    };
    const deadlineTimer = setTimeout(finish, Math.max(0, ctx.deadline - Date.now()));
    ctx.signal.addEventListener('abort', finish, { once: true });
    send();
  });

  const base = {
    address,
    transmitted: sent,
    received: times.length,
    lossPercent: sent > 0 ? round1((1 - times.length / sent) * 100) : 100,
    rttMs: rttFrom(times),
    icmpErrors,
  };
  if (times.length > 0) return { status: 'replied', ...base };
  if (noRoute) return { status: 'unreachable', reason: 'no-route', ...base, message: noRoute };
  if (icmpErrors.length > 0) return { status: 'unreachable', reason: 'icmp-error', ...base, message: icmpErrors[0]!.message };
  return { status: 'no-reply', ...base };
}
