import { z } from 'zod';
import { FqdnSchema, IpSchema } from '../probes/target.js';

/**
 * The fields of a check's input, each with its own rule. The check service's CheckRequest (src/checks)
 * is built from these same fields, so chat, CLI and API accept exactly what the runbook does.
 */
export const CheckInputFields = {
  hosts: z
    .array(FqdnSchema)
    .min(1, 'give at least one environment host name')
    .max(10)
    .describe('Environment host names (acme-dev.outsystemsenterprise.com)'),
  dnsServers: z
    .array(IpSchema)
    .min(1, 'give at least one cloud DNS server IP')
    .max(4)
    .describe("The OutSystems Cloud DNS servers' private IPs, from the VPN setup e-mail"),
  resolver: IpSchema.optional().describe('The corporate resolver to test; absent: the system resolver of the machine running the check'),
  edge: IpSchema.optional().describe("The VPN edge device's inside IP: lets traceroute tell internal routing from the VPN device"),
  sentry: z.boolean().default(false).describe('Sentry environment: it accepts HTTPS (443) only, so port 80 is not tested'),
  timeoutMs: z.number().int().min(500).max(60_000).default(5000).describe('Budget of the whole check, in ms'),
};

/** What a connectivity check needs: the guide's inputs, as given in the VPN setup e-mail. */
export const CheckInputSchema = z
  .strictObject(CheckInputFields)
  .transform((i) => ({ ...i, hosts: [...new Set(i.hosts)], dnsServers: [...new Set(i.dnsServers)] }));

export type CheckInput = z.output<typeof CheckInputSchema>;
export type CheckInputDraft = z.input<typeof CheckInputSchema>;

/** A readable one-line-per-problem message for an invalid input (CLI: exit 2; chat: a help reply). */
export class CheckInputError extends Error {
  override name = 'CheckInputError';
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
  }
}

const FIELD_NAMES: Record<string, string> = {
  agent: 'agent',
  host: 'host',
  hosts: 'host',
  dnsServers: 'dns server',
  resolver: 'resolver',
  edge: 'edge',
  sentry: 'sentry',
  timeoutMs: 'timeout',
};

/** One readable line per problem, naming fields as people type them ("dns server: ..."). */
export function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string[] {
  return issues.map((i) => {
    const field = FIELD_NAMES[String(i.path[0])] ?? i.path.map(String).join('.');
    return field ? `${field}: ${i.message}` : i.message;
  });
}

export function parseCheckInput(raw: unknown): CheckInput {
  const parsed = CheckInputSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new CheckInputError(describeIssues(parsed.error.issues));
}
