import { createHash, timingSafeEqual } from 'node:crypto';
import { HttpError } from './errors.js';

/**
 * Bearer authentication for the runbook API with VPN_DOCTOR_API_TOKEN. Both sides are hashed to the same
 * length before the timing-safe compare, so neither the content nor the length of the token leaks through
 * response times. Without a configured token the API refuses everyone (fail closed).
 */
export function bearerAuth(expected: string | undefined): (authorization: string | undefined) => void {
  const want = expected ? digest(expected) : null;
  return (authorization) => {
    const challenge = { 'www-authenticate': 'Bearer realm="vpn-doctor"' };
    if (!want)
      throw new HttpError(401, 'unauthorized', 'the API is disabled: set VPN_DOCTOR_API_TOKEN on the server', undefined, challenge);
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!m) throw new HttpError(401, 'unauthorized', 'send Authorization: Bearer <VPN_DOCTOR_API_TOKEN>', undefined, challenge);
    if (!timingSafeEqual(digest(m[1]!), want)) throw new HttpError(401, 'unauthorized', 'invalid API token', undefined, challenge);
  };
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}
