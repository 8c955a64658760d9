import { request } from 'node:http';
import { ATTACKER_ADDRESS } from './measure.js';

export { percentile } from './measure.js';

export interface Sent {
  /** HTTP status, or 0 when the connection failed (reset, refused, timed out). */
  status: number;
  body: string;
  error?: string;
  ms: number;
}

/**
 * One HTTP request on its own connection (no pooling: N concurrent calls are N sockets), from a chosen
 * loopback address. Never rejects: a reset or a timeout is a result to count.
 */
export function send(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string; localAddress?: string; timeoutMs?: number } = {},
): Promise<Sent> {
  const started = performance.now();
  return new Promise((resolve) => {
    const headers = { ...init.headers, ...(init.body !== undefined ? { 'content-length': String(Buffer.byteLength(init.body)) } : {}) };
    const req = request(
      url,
      {
        method: init.method ?? 'GET',
        headers,
        agent: false,
        localAddress: init.localAddress ?? ATTACKER_ADDRESS,
        timeout: init.timeoutMs ?? 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }),
        );
        res.on('error', (err) => resolve({ status: 0, body: '', error: err.message, ms: performance.now() - started }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (err) =>
      resolve({ status: 0, body: '', error: (err as NodeJS.ErrnoException).code ?? err.message, ms: performance.now() - started }),
    );
    req.end(init.body);
  });
}

/** Status counts, e.g. { "200": 12, "429": 488, "reset": 0 }. */
export function countStatuses(results: readonly Sent[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of results) {
    const key = r.status === 0 ? (r.error ?? 'error') : String(r.status);
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

export const describeCounts = (c: Record<string, number>): string =>
  Object.entries(c)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${v}x ${k}`)
    .join(', ');
