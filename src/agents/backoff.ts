/**
 * Reconnect delay: exponential with "equal jitter" (half fixed, half random), capped. The jitter spreads a
 * thousand agents that lost the hub at the same moment, so a restarted hub is not hit by all of them at once;
 * the fixed half keeps a single agent from retrying in a tight loop.
 */
export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  random?: () => number;
}

export const MAX_BACKOFF_MS = 30_000;

export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const initial = options.initialMs ?? 500;
  const max = Math.min(options.maxMs ?? MAX_BACKOFF_MS, MAX_BACKOFF_MS);
  const base = Math.min(max, initial * 2 ** Math.max(0, Math.min(attempt, 30)));
  return Math.round(base / 2 + (options.random ?? Math.random)() * (base / 2));
}
