import { z } from 'zod';
import type { CheckArgs } from '../conversation/commands.js';
import { FqdnSchema, IpSchema } from '../probes/target.js';

/** What a connectivity check needs: the guide's inputs, as given in the VPN setup e-mail. */
export const CheckInputSchema = z
  .strictObject({
    /** Environment host names (acme-dev.outsystemsenterprise.com). */
    hosts: z.array(FqdnSchema).min(1, 'give at least one environment host name').max(10),
    /** The OutSystems Cloud DNS servers' private IPs. */
    dnsServers: z.array(IpSchema).min(1, 'give at least one cloud DNS server IP').max(4),
    /** The corporate resolver to test; absent: this machine's system resolver. */
    resolver: IpSchema.optional(),
    /** The VPN edge device's inside IP: lets traceroute tell internal routing from the VPN device. */
    edge: IpSchema.optional(),
    /** Sentry environments accept HTTPS (443) only, so port 80 is not tested. */
    sentry: z.boolean().default(false),
    /** Budget of the whole check, in ms. */
    timeoutMs: z.number().int().min(500).max(60_000).default(5000),
  })
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
  hosts: 'host',
  dnsServers: 'dns server',
  resolver: 'resolver',
  edge: 'edge',
  sentry: 'sentry',
  timeoutMs: 'timeout',
};

export function parseCheckInput(raw: unknown): CheckInput {
  const parsed = CheckInputSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new CheckInputError(
    parsed.error.issues.map((i) => {
      const field = FIELD_NAMES[String(i.path[0])] ?? i.path.join('.');
      return field ? `${field}: ${i.message}` : i.message;
    }),
  );
}

/**
 * The conversation's check arguments as a validated input. `agent` says where the check runs, not what it
 * checks, so it is not part of the input; absent optional fields stay absent so defaults apply.
 */
export function checkInputFromArgs(args: CheckArgs): CheckInput {
  const { agent: _where, ...what } = args;
  return parseCheckInput(Object.fromEntries(Object.entries(what).filter(([, v]) => v !== undefined)));
}
