import { z } from 'zod';
import { AgentNameSchema } from '../agents/protocol.js';
import { CheckInputFields, describeIssues, type CheckInput } from '../diagnosis/input.js';
import { FqdnSchema } from '../probes/target.js';
import { CheckError } from './errors.js';

/**
 * The one request for a connectivity check, whoever asks: the chat ("check HOST dns IP on AGENT"), the
 * CLI (`vpn-doctor check`) and the API (POST /api/v1/checks, whose OpenAPI schema is generated from this).
 * The fields are the runbook's own (src/diagnosis/input.ts); `host` is a shorthand for one host, and
 * `agent` says where the check runs, not what it checks.
 */
export const CheckRequestSchema = z
  .strictObject({
    ...CheckInputFields,
    agent: AgentNameSchema.optional().describe('The probe agent to run on; absent: the only agent online'),
    host: FqdnSchema.optional().describe('One environment host name: the same as hosts: [host]'),
    hosts: CheckInputFields.hosts.optional(),
  })
  .refine((r) => r.host !== undefined || (r.hosts?.length ?? 0) > 0, {
    message: 'give at least one environment host name',
    path: ['hosts'],
  })
  .transform(({ agent, host, hosts = [], dnsServers, ...rest }) => ({
    ...(agent ? { agent } : {}),
    input: { ...rest, hosts: [...new Set([...(host ? [host] : []), ...hosts])], dnsServers: [...new Set(dnsServers)] } satisfies CheckInput,
  }));

/** A request as callers write it (defaults may be left out). */
export type CheckRequestDraft = z.input<typeof CheckRequestSchema>;
/** A validated request: what to check (the runbook's input) and, if named, the agent to run it on. */
export type CheckRequest = z.output<typeof CheckRequestSchema>;

/**
 * Validates a request at the boundary where it enters (chat command, CLI options, HTTP body); everything
 * past this point takes the parsed value and never validates it again. Throws CheckError invalid-request
 * with one readable line per problem.
 */
export function parseCheckRequest(raw: unknown): CheckRequest {
  const parsed = CheckRequestSchema.safeParse(withoutUndefined(raw));
  if (parsed.success) return parsed.data;
  const problems = describeIssues(parsed.error.issues);
  throw new CheckError('invalid-request', problems.join('; '), { problems });
}

/** `{resolver: undefined}` (an absent CLI option, a chat argument not given) means "not given". */
function withoutUndefined(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  return Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined));
}
