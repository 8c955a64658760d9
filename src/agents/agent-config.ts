import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { IpSchema } from '../probes/target.js';
import { Allowlist, AllowlistError } from './allowlist.js';
import { AgentNameSchema } from './protocol.js';
import { looksLikeToken } from './tokens.js';

/**
 * The agent's configuration: a config file (YAML or JSON), then the environment, then command-line flags,
 * each overriding the one before; validated once with zod so a typo stops the agent at start.
 */

export const AgentFileSchema = z.strictObject({
  /** One URL, several separated by commas, or a list: the replicas of one hub, tried in turn. */
  hub: z.union([z.string(), z.array(z.string())]).optional(),
  token: z.string().optional(),
  tokenFile: z.string().optional(),
  name: z.string().optional(),
  allow: z.array(z.string()).optional(),
  keepalive: z.string().optional(),
  keepaliveIntervalS: z.number().optional(),
  concurrency: z.number().optional(),
  /** Accept a ws:// hub on another machine (the token then crosses the network in cleartext). */
  insecure: z.boolean().optional(),
});
export type AgentFileConfig = z.infer<typeof AgentFileSchema>;

const HubUrlSchema = z.string().refine((s) => URL.canParse(s) && /^wss?:$/.test(new URL(s).protocol), {
  error: (issue) => `must be a ws:// or wss:// URL, e.g. wss://vpn-doctor.example.com/agents (got "${String(issue.input)}")`,
});

/** "wss://a/agents, wss://b/agents" or a list of them -> the URLs, in order, without blanks or repeats. */
export function splitHubUrls(hub: string | readonly string[]): string[] {
  const all = (typeof hub === 'string' ? [hub] : hub).flatMap((h) => h.split(',')).map((h) => h.trim());
  return [...new Set(all.filter((h) => h !== ''))];
}

export const AgentConfigSchema = z.object({
  hub: z
    .union([z.string(), z.array(z.string())])
    .transform(splitHubUrls)
    .pipe(z.array(HubUrlSchema).min(1, 'needs at least one ws:// or wss:// URL').max(16, 'at most 16 hub URLs')),
  token: z
    .string()
    .refine(looksLikeToken, 'not a vpn-doctor agent token (vpd_...): get one with `vpn-doctor agents add NAME` on the server'),
  name: AgentNameSchema,
  allow: z.array(z.string()),
  keepalive: IpSchema.optional(),
  /** 5 s: the guide's continuous-ping interval, below the cloud end's ~10 s idle timeout. */
  keepaliveIntervalS: z.number().min(0.2).max(300).default(5),
  concurrency: z.number().int().min(1).max(64).default(4),
  insecure: z.boolean().default(false),
});
export type AgentConfig = z.infer<typeof AgentConfigSchema> & { allowlist: Allowlist };

export class AgentConfigError extends Error {
  override name = 'AgentConfigError';
}

export function readAgentFile(path: string): AgentFileConfig {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new AgentConfigError(`cannot read ${path}: ${(err as Error).message}`);
  }
  const parsed = AgentFileSchema.safeParse(raw ?? {});
  if (!parsed.success)
    throw new AgentConfigError(`${path}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

function readToken(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (err) {
    throw new AgentConfigError(`cannot read the token file ${path}: ${(err as Error).message}`);
  }
}

/** Merges file < environment < flags, reads a token file if given, validates, and parses the allowlist. */
export function resolveAgentConfig(layers: { file?: AgentFileConfig; env?: NodeJS.ProcessEnv; flags: AgentFileConfig }): AgentConfig {
  const env = layers.env ?? {};
  const fromEnv: AgentFileConfig = {
    ...(env.VPN_DOCTOR_HUB ? { hub: env.VPN_DOCTOR_HUB } : {}),
    ...(env.VPN_DOCTOR_AGENT_TOKEN ? { token: env.VPN_DOCTOR_AGENT_TOKEN } : {}),
    ...(env.VPN_DOCTOR_AGENT_NAME ? { name: env.VPN_DOCTOR_AGENT_NAME } : {}),
  };
  const defined = (o: AgentFileConfig | undefined) =>
    Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as AgentFileConfig;
  const merged: AgentFileConfig = { ...defined(layers.file), ...defined(fromEnv), ...defined(layers.flags) };
  // Allow rules add up across layers: a config file with the site's ranges plus one more on the command line.
  merged.allow = [...(layers.file?.allow ?? []), ...(layers.flags.allow ?? [])];
  const tokenFile = layers.flags.tokenFile ?? layers.file?.tokenFile;
  if (tokenFile && !layers.flags.token) merged.token = readToken(tokenFile);

  const parsed = AgentConfigSchema.safeParse(merged);
  if (!parsed.success) {
    throw new AgentConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`).join('\n'));
  }
  let allowlist: Allowlist;
  try {
    allowlist = Allowlist.parse(parsed.data.allow);
  } catch (err) {
    if (err instanceof AllowlistError) throw new AgentConfigError(err.message);
    throw err;
  }
  if (parsed.data.keepalive) {
    const decision = allowlist.check({ address: parsed.data.keepalive, port: null });
    if (!decision.allowed) throw new AgentConfigError(`the keep-alive target must be allowed too: ${decision.reason}`);
  }
  const cleartext = parsed.data.hub.find(cleartextHub);
  if (cleartext && !parsed.data.insecure) {
    throw new AgentConfigError(
      `hub: ${cleartext} is plain ws:// to another machine, so the agent token would cross the network in cleartext: use wss:// (TLS, e.g. behind a reverse proxy), or pass --insecure if the network in between is trusted`,
    );
  }
  return { ...parsed.data, allowlist };
}

const LOOPBACK_HOSTNAME = /^(?:localhost|::1|127(?:\.\d{1,3}){3})$/i;

/** True when the hub URL is ws:// to a host other than this machine: the token would travel unencrypted. */
export function cleartextHub(hub: string): boolean {
  const url = new URL(hub);
  if (url.protocol !== 'ws:') return false;
  return !LOOPBACK_HOSTNAME.test(url.hostname.replace(/^\[|\]$/g, ''));
}

/** The warning to log at start when --insecure let a cleartext hub URL through, else null. */
export function insecureHubWarning(config: Pick<AgentConfig, 'hub'>): string | null {
  const cleartext = config.hub.filter(cleartextHub);
  return cleartext.length > 0
    ? `--insecure: connecting to ${cleartext.join(', ')} without TLS; the agent token and every job and result cross the network in cleartext`
    : null;
}
