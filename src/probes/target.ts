import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * Targets end up as arguments of `ping`/`traceroute` and as socket addresses. Even without a shell, an
 * argument such as `-oProxyCommand=x` or `--help` would be read as an option, so anything that is not a
 * plain IP literal or a plain DNS name is refused here, before any probe runs (and `--` is passed anyway).
 */

const MAX_NAME_LENGTH = 253;
const LABEL_RE = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

/** An IPv4 or IPv6 literal, without zone id (`%eth0` would smuggle an interface name into arguments). */
export function isIpLiteral(value: string): boolean {
  return !value.includes('%') && isIP(value) !== 0;
}

/**
 * A DNS host name: letters, digits and inner hyphens per label (RFC 1123), labels of 1..63, at most 253
 * characters, no trailing dot, and a last label that is not all digits (so `127.0.0.300` is not taken for a name).
 */
export function isHostname(value: string): boolean {
  if (value.length === 0 || value.length > MAX_NAME_LENGTH) return false;
  const labels = value.split('.');
  if (!labels.every((l) => LABEL_RE.test(l))) return false;
  return !/^\d+$/.test(labels[labels.length - 1]!);
}

export const IpSchema = z
  .string()
  .trim()
  .refine(isIpLiteral, { error: (i) => `not an IP address: ${JSON.stringify(i.input)}` });

export const HostnameSchema = z
  .string()
  .trim()
  .refine(isHostname, { error: (i) => `not a valid host name: ${JSON.stringify(i.input)}` })
  .transform((s) => s.toLowerCase());

/** A fully qualified name: a host name with at least two labels (environment names always have them). */
export const FqdnSchema = z
  .string()
  .trim()
  .refine((s) => isHostname(s) && s.includes('.'), {
    error: (i) => `not a fully qualified host name: ${JSON.stringify(i.input)}`,
  })
  .transform((s) => s.toLowerCase());

/** What a probe may be pointed at: an IP literal or a host name. */
export const TargetSchema = z
  .string()
  .trim()
  .refine((s) => isIpLiteral(s) || isHostname(s), {
    error: (i) => `not an IP address or host name: ${JSON.stringify(i.input)}`,
  })
  .transform((s) => (isIpLiteral(s) ? s : s.toLowerCase()));

export const PortSchema = z.number().int().min(1).max(65535);

/** "10.0.0.1:443", "[::1]:443". */
export function formatHostPort(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}
