import { connect, type Socket } from 'node:net';
import { z } from 'zod';
import { resolveTarget } from './resolve.js';
import { formatHostPort, PortSchema, TargetSchema } from './target.js';
import {
  effectiveDeadline,
  probeResultSchema,
  roundMs,
  startResult,
  stopwatch,
  TimeoutMsSchema,
  type Probe,
  type ProbeResult,
} from './types.js';

/**
 * TCP connect ("telnet <host> 443" in the guide). The three failures mean different things and are kept
 * apart: refused (something answered with a reset: the port is closed or a firewall rejects), timed out
 * (silently dropped: a firewall, a security group, or no way back through the tunnel) and unreachable (a
 * router, or this host, says there is no route). Nothing is sent after the handshake.
 */

export const TcpParamsSchema = z.object({
  target: TargetSchema,
  port: PortSchema,
  timeoutMs: TimeoutMsSchema.default(3000),
});
export type TcpParams = z.infer<typeof TcpParamsSchema>;

export const TCP_STATUSES = ['open', 'refused', 'timeout', 'unreachable', 'error'] as const;
export type TcpStatus = (typeof TCP_STATUSES)[number];

export const TcpDetailSchema = z.object({
  status: z.enum(TCP_STATUSES),
  /** The address actually connected to (a name is resolved first). */
  address: z.string().nullable(),
  port: z.number().int(),
  connectMs: z.number().nullable(),
  /** errno code of a failure: ECONNREFUSED, EHOSTUNREACH, ENETUNREACH, EPERM... */
  code: z.string().optional(),
  message: z.string().optional(),
});
export type TcpDetail = z.infer<typeof TcpDetailSchema>;
export const TcpResultSchema = probeResultSchema('tcp', TcpDetailSchema);
export type TcpResult = ProbeResult<TcpDetail, 'tcp'>;

/** Opens the socket; injectable so tests can simulate a silent drop, which loopback cannot produce. */
export type Connector = (options: { host: string; port: number }) => Socket;

export function tcpStatusOf(code: string | undefined): TcpStatus {
  switch (code) {
    case 'ECONNREFUSED':
      return 'refused';
    case 'ETIMEDOUT':
      return 'timeout';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'unreachable';
    default:
      return 'error';
  }
}

export function createTcpProbe(deps: { connect?: Connector } = {}): Probe<TcpParams, TcpDetail> {
  const open = deps.connect ?? ((o) => connect(o));
  return {
    kind: 'tcp',
    paramsSchema: TcpParamsSchema,
    detailSchema: TcpDetailSchema,
    errorDetail: (message) => ({ status: 'error', address: null, port: 0, connectMs: null, code: 'ERROR', message }),
    async run(params, ctx) {
      const deadline = effectiveDeadline(ctx, params.timeoutMs);
      const done = startResult('tcp', formatHostPort(params.target, params.port), (d: TcpDetail) => d.status === 'open');
      const finish = (detail: TcpDetail): TcpResult => done('node-net', detail);

      let address: string;
      try {
        address = await resolveTarget(params.target, deadline);
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        return finish({ status: 'error', address: null, port: params.port, connectMs: null, code: e.code ?? 'ERROR', message: e.message });
      }

      const watch = stopwatch();
      const outcome = await new Promise<{ code?: string; message?: string }>((resolve) => {
        let socket: Socket;
        // eslint-disable-next-line prefer-const -- assigned once, after the callbacks that close over it
        let timer: NodeJS.Timeout | undefined;
        const settle = (r: { code?: string; message?: string }): void => {
          clearTimeout(timer);
          ctx.signal.removeEventListener('abort', onAbort);
          socket.destroy();
          resolve(r);
        };
        const onAbort = (): void => settle({ code: 'ETIMEDOUT', message: 'aborted before the connection completed' });
        try {
          socket = open({ host: address, port: params.port });
        } catch (err) {
          resolve({ code: (err as NodeJS.ErrnoException).code ?? 'ERROR', message: (err as Error).message });
          return;
        }
        socket.once('connect', () => settle({}));
        socket.once('error', (e: NodeJS.ErrnoException) => settle({ code: e.code ?? 'ERROR', message: e.message }));
        const waitMs = Math.max(0, deadline - Date.now());
        timer = setTimeout(() => settle({ code: 'ETIMEDOUT', message: `no answer within ${Math.round(waitMs)} ms` }), waitMs);
        if (ctx.signal.aborted) onAbort();
        else ctx.signal.addEventListener('abort', onAbort, { once: true });
      });

      if (!outcome.code) {
        return finish({ status: 'open', address, port: params.port, connectMs: roundMs(watch()) });
      }
      return finish({
        status: tcpStatusOf(outcome.code),
        address,
        port: params.port,
        connectMs: null,
        code: outcome.code,
        ...(outcome.message ? { message: outcome.message } : {}),
      });
    },
  };
}

export const tcpProbe = createTcpProbe();
