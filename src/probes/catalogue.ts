import { z } from 'zod';
import { DnsParamsSchema, DnsResultSchema, dnsProbe, dnsTarget, type DnsResult } from './dns.js';
import { IcmpParamsSchema, IcmpResultSchema, icmpProbe, type IcmpResult } from './icmp.js';
import { PROBE_OVERRUN_MS } from './deadlines.js';
import { formatHostPort } from './target.js';
import { TcpParamsSchema, TcpResultSchema, tcpProbe, type TcpResult } from './tcp.js';
import { RouteParamsSchema, RouteResultSchema, routeProbe, type RouteResult } from './route.js';
import { TlsParamsSchema, TlsResultSchema, tlsProbe, type TlsResult } from './tls.js';
import { TracerouteParamsSchema, TracerouteResultSchema, tracerouteProbe, type TracerouteResult } from './traceroute.js';
import { roundMs, stopwatch, type NotRun, type Probe, type ProbeContext, type ProbeKind } from './types.js';

/**
 * Every probe this program can run, by kind. A remote agent runs exactly this catalogue: it receives
 * `{kind, params}` (validated here, so a hub cannot make it run anything else) and sends the result back.
 */

export type AnyProbeResult = IcmpResult | TracerouteResult | DnsResult | TcpResult | TlsResult | RouteResult;
export type ResultOf<K extends ProbeKind> = Extract<AnyProbeResult, { kind: K }>;

export const ProbeRequestSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('icmp'), params: IcmpParamsSchema }),
  z.object({ kind: z.literal('traceroute'), params: TracerouteParamsSchema }),
  z.object({ kind: z.literal('dns'), params: DnsParamsSchema }),
  z.object({ kind: z.literal('tcp'), params: TcpParamsSchema }),
  z.object({ kind: z.literal('tls'), params: TlsParamsSchema }),
  z.object({ kind: z.literal('route'), params: RouteParamsSchema }),
]);
/** A request as written by a caller (defaults may be left out). */
export type ProbeRequest = z.input<typeof ProbeRequestSchema>;
export type ParsedProbeRequest = z.output<typeof ProbeRequestSchema>;

/** Results may come back from a remote agent: they are validated like any input. */
export const ProbeResultSchema = z.discriminatedUnion('kind', [
  IcmpResultSchema,
  TracerouteResultSchema,
  DnsResultSchema,
  TcpResultSchema,
  TlsResultSchema,
  RouteResultSchema,
]);

export interface Catalogue {
  icmp: Probe<z.output<typeof IcmpParamsSchema>, IcmpResult['detail']>;
  traceroute: Probe<z.output<typeof TracerouteParamsSchema>, TracerouteResult['detail']>;
  dns: Probe<z.output<typeof DnsParamsSchema>, DnsResult['detail']>;
  tcp: Probe<z.output<typeof TcpParamsSchema>, TcpResult['detail']>;
  tls: Probe<z.output<typeof TlsParamsSchema>, TlsResult['detail']>;
  route: Probe<z.output<typeof RouteParamsSchema>, RouteResult['detail']>;
}

export const catalogue: Catalogue = {
  icmp: icmpProbe,
  traceroute: tracerouteProbe,
  dns: dnsProbe,
  tcp: tcpProbe,
  tls: tlsProbe,
  route: routeProbe,
};

/** Runs one probe request. Injectable: the runbook takes any function of this shape (local or remote). */
export type ProbeRunner = (request: ProbeRequest, ctx: ProbeContext) => Promise<AnyProbeResult>;

export class ProbeRequestError extends Error {
  override name = 'ProbeRequestError';
}

/**
 * The one builder of a failed result envelope: a probe that threw or overran, a probe the check wrote off,
 * a job an agent refused or never answered. `backend` says who failed ('none': no probe ran).
 */
export function failedResult(
  kind: ProbeKind,
  target: string,
  message: string,
  where: { backend?: string; durationMs?: number; notRun?: NotRun } = {},
): AnyProbeResult {
  return {
    kind,
    target,
    ok: false,
    durationMs: where.durationMs ?? 0,
    backend: where.backend ?? 'none',
    detail: catalogue[kind].errorDetail(message),
    error: message,
    ...(where.notRun ? { notRun: where.notRun } : {}),
  } as AnyProbeResult;
}

/** The envelope's target for a request (validated or not: defaults are applied here), also when no probe ran. */
export function requestTarget(req: ProbeRequest): string {
  switch (req.kind) {
    case 'dns':
      return dnsTarget(req.params.name, req.params.server, req.params.port);
    case 'tcp':
    case 'tls':
      return formatHostPort(req.params.target, req.params.port ?? 443); // only TLS may leave it out (default 443)
    default:
      return req.params.target;
  }
}

/** Runs a request already validated at its boundary (an agent's executor): no second parse. */
export type ParsedProbeRunner = (request: ParsedProbeRequest, ctx: ProbeContext) => Promise<AnyProbeResult>;

export function createParsedProbeRunner(probes: Catalogue = catalogue): ParsedProbeRunner {
  return async (req, ctx) => {
    const probe = probes[req.kind] as Probe<unknown, unknown>;
    const elapsed = stopwatch();
    const failed = (message: string): AnyProbeResult =>
      failedResult(req.kind, requestTarget(req), message, { durationMs: roundMs(elapsed()) });

    let timer: NodeJS.Timeout | undefined;
    try {
      const late = new Promise<AnyProbeResult>((resolve) => {
        timer = setTimeout(
          () => resolve(failed('the probe did not finish by its deadline')),
          Math.max(0, ctx.deadline - Date.now()) + PROBE_OVERRUN_MS,
        );
      });
      return await Promise.race([probe.run(req.params, ctx) as Promise<AnyProbeResult>, late]);
    } catch (err) {
      return failed(`probe failed: ${(err as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
  };
}

/** Validates each request (ProbeRequestError when it is wrong), then runs it. */
export function createProbeRunner(probes: Catalogue = catalogue): ProbeRunner {
  const run = createParsedProbeRunner(probes);
  return async (request, ctx) => {
    const parsed = ProbeRequestSchema.safeParse(request);
    if (!parsed.success) {
      throw new ProbeRequestError(
        `invalid ${String((request as { kind?: unknown }).kind)} probe: ` +
          parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
      );
    }
    return run(parsed.data, ctx);
  };
}

/** The probe runner for this machine. */
export const runProbe: ProbeRunner = createProbeRunner();
