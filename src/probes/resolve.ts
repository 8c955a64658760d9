import { lookup } from 'node:dns/promises';
import { isIpLiteral } from './target.js';

/**
 * Resolves a name to one address before connecting. Node 20 races IPv4 and IPv6 on `connect` (250 ms per
 * attempt), which blurs "timed out"; probes connect to one known address instead, and report it.
 * IPv4 first: the VPN and its environments are IPv4-only (the requirements exclude IPv6).
 */
export async function resolveTarget(target: string, deadline: number): Promise<string> {
  if (isIpLiteral(target)) return target;
  const ms = Math.max(0, deadline - Date.now());
  let timer: NodeJS.Timeout | undefined;
  try {
    const found = await Promise.race([
      lookup(target, { all: true, order: 'ipv4first' }),
      new Promise<never>((_, reject) => {
        // getaddrinfo cannot be cancelled; the race only stops waiting for it.
        timer = setTimeout(() => reject(Object.assign(new Error(`resolving ${target} timed out`), { code: 'ETIMEDOUT' })), ms);
      }),
    ]);
    const first = found[0];
    if (!first) throw Object.assign(new Error(`${target} has no address`), { code: 'ENOTFOUND' });
    return first.address;
  } finally {
    if (timer) clearTimeout(timer);
  }
}
