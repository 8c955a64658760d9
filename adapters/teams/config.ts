import { teamsConfigProblems, type TeamsConfig } from '../../src/config/env.js';

export class TeamsConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * The same checks as loadConfig (src/config/env.ts), which runs them before the server listens; repeated
 * here for callers that build a TeamsConfig themselves (tests, embedding). Names the variable to fix.
 */
export function checkTeamsConfig(c: TeamsConfig): void {
  const problems = teamsConfigProblems(c);
  if (problems.length > 0) throw new TeamsConfigError(problems.map((p) => `${p.variable} ${p.message}`).join('; '));
}

/** The tenants allowed to use the bot: the explicit list, else the app's own tenant, else none (any tenant). */
export function allowedTenants(c: TeamsConfig): string[] {
  if (c.allowedTenants && c.allowedTenants.length > 0) return c.allowedTenants;
  return c.tenantId ? [c.tenantId] : [];
}

/**
 * The tenant ids an activity names (channelData.tenant.id, conversation.tenantId); all of them must be
 * allowed, so an activity cannot pass by naming an allowed tenant in one place and another in the other.
 */
export function activityTenants(activity: Record<string, unknown>): string[] {
  const found = new Set<string>();
  const channelData = activity.channelData as { tenant?: { id?: unknown } } | null | undefined;
  const fromChannelData =
    typeof channelData === 'object' && channelData !== null && typeof channelData.tenant === 'object' && channelData.tenant !== null
      ? channelData.tenant.id
      : undefined;
  if (typeof fromChannelData === 'string') found.add(fromChannelData);
  const conversation = activity.conversation as { tenantId?: unknown } | null | undefined;
  if (typeof conversation === 'object' && conversation !== null && typeof conversation.tenantId === 'string')
    found.add(conversation.tenantId);
  return [...found];
}

const BOT_FRAMEWORK_ALGS = new Set(['RS256', 'RS384', 'RS512']);

/**
 * Why a request's Authorization header cannot be a Bot Framework JWT, or null when it could be one:
 * "Bearer " then three base64url parts whose first is a JSON header naming an RSA `alg` and a `kid`.
 * Junk is answered 401 here, in one log line, without reaching the SDK.
 */

export function bearerJwtProblem(authorization: string | string[] | undefined): string | null {
  const value = (Array.isArray(authorization) ? authorization[0] : authorization)?.trim() ?? '';
  if (value === '') return 'no Authorization header';
  const m = /^Bearer +([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]*)$/.exec(value);
  if (!m) return 'Authorization is not "Bearer <JWT>"';
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(m[1]!, 'base64url').toString('utf8'));
  } catch {
    return 'the JWT header is not JSON';
  }
  if (typeof header !== 'object' || header === null || typeof (header as { alg?: unknown }).alg !== 'string')
    return 'the JWT header names no alg';
  const { alg, kid } = header as { alg: string; kid?: unknown };
  // The Bot Framework signs with RSA keys from its OpenID metadata (AllowedSigningAlgorithms in botframework-connector):
  // alg none or HS256 can never verify, and a token without a key id cannot name a key; refused before the SDK.
  if (!BOT_FRAMEWORK_ALGS.has(alg)) return `the JWT alg ${alg.slice(0, 16)} is not one the Bot Framework signs with`;
  if (typeof kid !== 'string' || kid === '') return 'the JWT header names no key id';
  return null;
}

/** Without authentication the service URL of an activity is unverified input: only talk back to this machine. */
export function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
  } catch {
    return false;
  }
}
