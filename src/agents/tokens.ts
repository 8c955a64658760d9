import { createHash, randomBytes } from 'node:crypto';

const PREFIX = 'vpd_';

/**
 * An agent token: 256 random bits, prefixed so secret scanners and humans recognise it.
 * Only its SHA-256 is stored. A slow hash (scrypt, argon2) buys nothing here: the token is random, not a
 * password, so there is no dictionary to slow down, and a fast hash lets the hub look tokens up by index.
 */
export function generateToken(): string {
  return PREFIX + randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A cheap shape check so garbage never reaches the database. */
export function looksLikeToken(token: string): boolean {
  return /^vpd_[A-Za-z0-9_-]{43}$/.test(token);
}
