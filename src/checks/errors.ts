import { z } from 'zod';

/**
 * Why a check produced no report: the one vocabulary of check failures. The conversation turns a code into
 * a Reply (src/conversation/check-error-reply.ts) and the HTTP layer into a status (httpStatusOf); nothing
 * else maps them. A check that ran and found the network broken is NOT an error: that is a report.
 */
export const CheckErrorCodeSchema = z.enum([
  /** The request itself is wrong (bad host name, no DNS server): fix it and ask again. */
  'invalid-request',
  /** The check should run on an agent, but this instance has no agent hub (terminal chat, CLI). */
  'agents-unavailable',
  /** No agent named and none online. */
  'no-agent-online',
  /** No agent named and several online: the caller must choose. */
  'agent-required',
  /** The named agent is not registered. */
  'agent-unknown',
  /** The named agent's token was revoked. */
  'agent-revoked',
  /** The named agent is registered but not connected. */
  'agent-offline',
  /** The agent is shutting down and takes no new jobs. */
  'agent-draining',
  /** The agent already runs (and has waiting) as many jobs as it can take: try again shortly (429, Retry-After). */
  'agent-busy',
  /** The agent does not run a probe kind the check needs. */
  'agent-unsupported-probe',
  /** The agent's own policy (its allowlist) refused every probe of the check: nothing could run. */
  'agent-refused',
  /** Probes never ran on the agent (disconnected, busy, invalid answer): no diagnosis was made. */
  'agent-failed',
  /** The agent did not answer within the check's deadline (plus the margins of src/probes/deadlines.ts). */
  'timeout',
]);
export type CheckErrorCode = z.infer<typeof CheckErrorCodeSchema>;

export interface CheckErrorDetails {
  /** The agent involved, when there is one. */
  agent?: string;
  /** Groups the check's jobs in the audit log. */
  checkId?: string;
  /** One line per probe that did not run ("dns 10.0.0.2: refused: ... not in the allowlist"). */
  failures?: string[];
  /** agent-refused: the --allow rules that would let the refused probes run. */
  allow?: string[];
  /** Agents the caller may choose from (no-agent-online, agent-required). */
  online?: string[];
  /** One line per problem of an invalid request. */
  problems?: string[];
}

export class CheckError extends Error {
  override name = 'CheckError';
  constructor(
    readonly code: CheckErrorCode,
    message: string,
    readonly details: CheckErrorDetails = {},
  ) {
    super(message);
  }
}

const HTTP_STATUS: Record<CheckErrorCode, number> = {
  'invalid-request': 400,
  // The server always has a hub; this only means a misconfigured instance.
  'agents-unavailable': 503,
  'no-agent-online': 503,
  'agent-required': 409,
  'agent-unknown': 404,
  'agent-revoked': 404,
  'agent-offline': 503,
  'agent-draining': 503,
  'agent-unsupported-probe': 503,
  'agent-busy': 429,
  // The agent's own policy refused a target: fix the allowlist or the request.
  'agent-refused': 422,
  // The agent is the upstream that failed.
  'agent-failed': 502,
  timeout: 504,
};

/** Seconds a caller told "agent-busy" should wait before asking again (the HTTP Retry-After). */
export const AGENT_BUSY_RETRY_AFTER_S = 5;

/** The HTTP status of a check error: the one place the HTTP layer learns it from. */
export function httpStatusOf(code: CheckErrorCode): number {
  return HTTP_STATUS[code];
}

/** Every HTTP status a check can fail with and the codes behind it, for the OpenAPI document's responses. */
export function checkErrorStatuses(): { status: number; codes: CheckErrorCode[] }[] {
  const byStatus = new Map<number, CheckErrorCode[]>();
  for (const code of CheckErrorCodeSchema.options) byStatus.set(httpStatusOf(code), [...(byStatus.get(httpStatusOf(code)) ?? []), code]);
  return [...byStatus].sort(([a], [b]) => a - b).map(([status, codes]) => ({ status, codes }));
}
