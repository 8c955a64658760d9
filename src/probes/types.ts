import { z } from 'zod';

/**
 * One small interface for every probe kind (the shape of blackbox_exporter's and synthetic-monitoring's
 * probers): a probe validates its params, runs within a deadline and always *returns* a result; a failure
 * of the network is data (`ok: false`, `detail.status`), never an exception.
 */

export const PROBE_KINDS = ['icmp', 'traceroute', 'dns', 'tcp', 'tls', 'route'] as const;
export type ProbeKind = (typeof PROBE_KINDS)[number];
export const ProbeKindSchema = z.enum(PROBE_KINDS);

export interface ProbeContext {
  /** Aborts the probe early (the whole check ran out of time, the user cancelled). */
  signal: AbortSignal;
  /** Absolute time (epoch ms) by which the probe must have returned. */
  deadline: number;
}

/**
 * The common envelope. `ok` means "the probe got what it asked for" (a reply, the destination, a response,
 * a connection, a handshake); what that means for the VPN is decided by the diagnosis rules, not here.
 */
export interface ProbeResult<D, K extends ProbeKind = ProbeKind> {
  kind: K;
  /** What was probed, human readable ("10.0.0.2", "acme.outsystemsenterprise.com @10.0.0.2", "10.1.2.3:443"). */
  target: string;
  ok: boolean;
  durationMs: number;
  /** Which implementation ran: "iputils-ping", "net-ping", "traceroute", "dns2-udp", "getaddrinfo", "node-net"... */
  backend: string;
  detail: D;
  /** Only for failures of the probe itself (bad params, a bug, a runner that did not answer). */
  error?: string;
  /** Set when the probe never ran because a policy refused it: its result says nothing about the network. */
  notRun?: NotRun;
}

/**
 * Why a probe never ran: the agent's allowlist refused its target. Set only by whoever ran it on our side
 * (never accepted from the wire: the result schemas do not carry it), so the runbook can leave it out.
 */
export interface NotRun {
  /** refused: the agent's allowlist said no; unsupported: the agent does not run this kind (an older agent). */
  reason: 'refused' | 'unsupported';
  /** The agent's own words ("10.0.0.2:53 is outside this agent's allowlist (...)"). */
  message: string;
  /** The --allow rule that would let it run ("10.0.0.2:53"), when the agent said so. */
  allow?: string;
}

export interface Probe<P, D> {
  kind: ProbeKind;
  /** Parses and normalises raw params (defaults applied); the catalogue calls it before `run`. */
  paramsSchema: z.ZodType<P>;
  detailSchema: z.ZodType<D>;
  /** Never throws for network failures; must resolve by `ctx.deadline` (give or take a few ms). */
  run(params: P, ctx: ProbeContext): Promise<ProbeResult<D>>;
  /** The detail of a probe that could not run at all (a bug, a runner that never answered). */
  errorDetail(message: string): D;
}

/** zod schema of a whole result envelope for a given detail schema (results may come from a remote agent). */
export function probeResultSchema<K extends ProbeKind, D extends z.ZodType>(kind: K, detail: D) {
  return z.object({
    kind: z.literal(kind),
    target: z.string(),
    ok: z.boolean(),
    durationMs: z.number().nonnegative(),
    backend: z.string(),
    detail,
    error: z.string().optional(),
  });
}

/** Per-probe timeout in ms, bounded so a typo cannot make a probe hang for an hour. */
export const TimeoutMsSchema = z.number().int().min(50).max(120_000);

/** The earlier of the context deadline and `now + timeoutMs`. */
export function effectiveDeadline(ctx: ProbeContext, timeoutMs: number, now: number = Date.now()): number {
  return Math.min(ctx.deadline, now + timeoutMs);
}

/** Rounds a duration for display and JSON: sub-millisecond detail is noise at this level. */
export function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** A monotonic stopwatch; Date.now() can jump when NTP adjusts the clock mid-probe. */
export function stopwatch(): () => number {
  const start = process.hrtime.bigint();
  return () => Number(process.hrtime.bigint() - start) / 1e6;
}

/**
 * Starts timing one probe run and returns how to close it with its result envelope, so every kind fills
 * `ok`, `durationMs` and `backend` the same way. `succeeded` says what "got what it asked for" means.
 */
export function startResult<K extends ProbeKind, D>(
  kind: K,
  target: string,
  succeeded: (detail: D) => boolean,
): (backend: string, detail: D) => ProbeResult<D, K> {
  const elapsed = stopwatch();
  return (backend, detail) => ({ kind, target, ok: succeeded(detail), durationMs: roundMs(elapsed()), backend, detail });
}
