import { z } from 'zod';
import { LlmConfigSchema, type LlmConfig } from '../nlu/llm-config.js';
import { parseSlackEnv, type SlackConfig } from './slack-env.js';

/** Bot Framework samples ship `.env` files with `MicrosoftAppId=`: an empty value means unset. */
function emptyToUndefined(v: unknown): unknown {
  return v === '' ? undefined : v;
}

/**
 * Configuration comes from the environment only (12-factor), validated here once so a typo in a variable
 * fails at startup with the variable's name rather than as odd behaviour at 3 a.m.
 * Every variable is documented in README.md and .env.example.
 */
const EnvSchema = z.object({
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  VPN_DOCTOR_KNOWLEDGE_DIR: z.string().min(1).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  HOST: z.string().min(1).default('0.0.0.0'),
  VPN_DOCTOR_DB: z.string().min(1).default('./data/vpn-doctor.db'),
  VPN_DOCTOR_API_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** How often agents heartbeat; an agent silent for 3 intervals is dropped and its jobs fail. */
  VPN_DOCTOR_AGENT_HEARTBEAT_S: z.coerce.number().int().min(1).max(300).default(15),
  // Microsoft Teams (Bot Framework). Names as the Azure Bot resource and Microsoft's samples spell them.
  // An empty value counts as unset, as in the samples' .env templates.
  MicrosoftAppId: z.preprocess(emptyToUndefined, z.string().trim().min(1).optional()),
  MicrosoftAppPassword: z.preprocess(emptyToUndefined, z.string().min(1).optional()),
  MicrosoftAppType: z.preprocess(emptyToUndefined, z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant')),
  MicrosoftAppTenantId: z.preprocess(emptyToUndefined, z.string().trim().min(1).optional()),
  VPN_DOCTOR_TEAMS_DEV: z.preprocess(emptyToUndefined, z.enum(['0', '1', 'true', 'false']).default('0')),
});

export interface AppConfig {
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  knowledgeDir: string | undefined;
  port: number;
  host: string;
  dbPath: string;
  apiToken: string | undefined;
  agentHeartbeatMs: number;
  llm: LlmConfig;
  teams: TeamsConfig;
  /** Undefined when no SLACK_* variable is set (Slack disabled); see slack-env.ts for the two modes. */
  slack: SlackConfig | undefined;
}

/** Microsoft Teams bot settings; without an app id the Teams endpoint stays off unless `dev` is set. */
export interface TeamsConfig {
  appId: string | undefined;
  appPassword: string | undefined;
  appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  tenantId: string | undefined;
  /** VPN_DOCTOR_TEAMS_DEV=1: serve /api/messages without an app id (no authentication), for local testing. */
  dev: boolean;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = EnvSchema.safeParse(env);
  const llm = LlmConfigSchema.safeParse(env);
  const slack = parseSlackEnv(env);
  const issues = [
    ...(parsed.success ? [] : parsed.error.issues),
    ...(llm.success ? [] : llm.error.issues),
    ...slack.issues.map((i) => ({ path: [i.variable], message: i.message })),
  ];
  if (!parsed.success || !llm.success || slack.issues.length > 0) {
    throw new ConfigError(
      'invalid configuration:\n' + issues.map((i) => `  ${i.path.join('.') || '(environment)'}: ${i.message}`).join('\n'),
    );
  }
  const e = parsed.data;
  return {
    logLevel: e.LOG_LEVEL,
    knowledgeDir: e.VPN_DOCTOR_KNOWLEDGE_DIR,
    port: e.PORT,
    host: e.HOST,
    dbPath: e.VPN_DOCTOR_DB,
    apiToken: e.VPN_DOCTOR_API_TOKEN,
    agentHeartbeatMs: e.VPN_DOCTOR_AGENT_HEARTBEAT_S * 1000,
    llm: llm.data,
    teams: {
      appId: e.MicrosoftAppId,
      appPassword: e.MicrosoftAppPassword,
      appType: e.MicrosoftAppType,
      tenantId: e.MicrosoftAppTenantId,
      dev: e.VPN_DOCTOR_TEAMS_DEV === '1' || e.VPN_DOCTOR_TEAMS_DEV === 'true',
    },
    slack: slack.config,
  };
}
