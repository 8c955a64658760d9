import { z } from 'zod';

/**
 * The HTTP listener's defences against slow and greedy clients, from the environment (validated here with
 * the rest of the configuration; documented in README.md and .env.example). Absent variables keep the
 * server's defaults (src/server/app.ts DEFAULT_LIMITS).
 */
export interface HttpEnvLimits {
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  maxConnectionsPerAddress?: number;
  maxRequestsPerAddress?: number;
}

const blankIsUnset = (v: unknown): unknown => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const seconds = (min: number, max: number) => z.preprocess(blankIsUnset, z.coerce.number().min(min).max(max).optional());

export const HttpEnvSchema = z.object({
  /** Seconds a client has to send its request headers (slowloris); Node's own default is 60. */
  VPN_DOCTOR_HTTP_HEADERS_TIMEOUT_S: seconds(1, 120),
  /** Seconds a client has to send its whole request. */
  VPN_DOCTOR_HTTP_REQUEST_TIMEOUT_S: seconds(1, 600),
  /** Open HTTP connections one client address may hold (IPv6: per /64); 0 turns the cap off (behind a proxy). */
  VPN_DOCTOR_HTTP_MAX_CONNECTIONS_PER_ADDRESS: z.preprocess(blankIsUnset, z.coerce.number().int().min(0).max(100_000).optional()),
  /** HTTP requests in progress per client address (WebSocket upgrades aside); 0 turns the cap off. */
  VPN_DOCTOR_HTTP_MAX_REQUESTS_PER_ADDRESS: z.preprocess(blankIsUnset, z.coerce.number().int().min(0).max(100_000).optional()),
});

export function httpLimitsOf(e: z.infer<typeof HttpEnvSchema>): HttpEnvLimits {
  const limits: HttpEnvLimits = {};
  if (e.VPN_DOCTOR_HTTP_HEADERS_TIMEOUT_S !== undefined) limits.headersTimeoutMs = Math.round(e.VPN_DOCTOR_HTTP_HEADERS_TIMEOUT_S * 1000);
  if (e.VPN_DOCTOR_HTTP_REQUEST_TIMEOUT_S !== undefined) limits.requestTimeoutMs = Math.round(e.VPN_DOCTOR_HTTP_REQUEST_TIMEOUT_S * 1000);
  if (e.VPN_DOCTOR_HTTP_MAX_CONNECTIONS_PER_ADDRESS !== undefined)
    limits.maxConnectionsPerAddress = e.VPN_DOCTOR_HTTP_MAX_CONNECTIONS_PER_ADDRESS;
  if (e.VPN_DOCTOR_HTTP_MAX_REQUESTS_PER_ADDRESS !== undefined) limits.maxRequestsPerAddress = e.VPN_DOCTOR_HTTP_MAX_REQUESTS_PER_ADDRESS;
  return limits;
}
