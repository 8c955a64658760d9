import { z } from 'zod';
import { LlmConfigSchema, type LlmConfig } from '../nlu/llm-config.js';
import { DEFAULT_FILE_LIMITS, type FileLimits } from '../chat/file-text.js';
import { resolveDbPath } from './db-path.js';
import { HttpEnvSchema, httpLimitsOf, type HttpEnvLimits } from './http-env.js';
import type { RetentionPolicy } from '../store/retention.js';
import { parseSlackEnv, type SlackConfig } from './slack-env.js';

const DAY_MS = 24 * 60 * 60_000;

/** Bot Framework samples ship `.env` files with `MicrosoftAppId=`: an empty value means unset. */
function emptyToUndefined(v: unknown): unknown {
  return v === '' ? undefined : v;
}

/**
 * Configuration comes from the environment only (12-factor), validated here once so a typo in a variable
 * fails at startup with the variable's name rather than as odd behaviour at 3 a.m.
 * Every variable is documented in README.md and .env.example.
 */
const EnvSchema = HttpEnvSchema.extend({
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  VPN_DOCTOR_KNOWLEDGE_DIR: z.string().min(1).optional(),
  // Read where the knowledge base is loaded (src/knowledge/parsed-yaml-cache.ts); validated here with the rest.
  VPN_DOCTOR_CACHE_DIR: z.string().min(1).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  HOST: z.string().min(1).default('0.0.0.0'),
  /** Absent: the per-user data directory (src/config/db-path.ts). */
  VPN_DOCTOR_DB: z.string().min(1).optional(),
  /**
   * PostgreSQL instead of the SQLite file, for several replicas on one database:
   * postgres://USER:PASSWORD@HOST:PORT/DATABASE (or ?host=/socket/folder).
   */
  VPN_DOCTOR_DATABASE_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .regex(/^postgres(ql)?:\/\/\S+$/i, 'must be a postgres:// (or postgresql://) connection string')
      .optional(),
  ),
  VPN_DOCTOR_API_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** How often agents heartbeat; an agent silent for 3 intervals is dropped and its jobs fail. */
  VPN_DOCTOR_AGENT_HEARTBEAT_S: z.coerce.number().int().min(1).max(300).default(15),
  /** Files shared with a chat message (logs, gateway configurations): largest read, in MB, and how many per message. */
  VPN_DOCTOR_FILE_MAX_MB: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number()
      .positive()
      .max(100)
      .default(DEFAULT_FILE_LIMITS.maxBytes / 1024 / 1024),
  ),
  VPN_DOCTOR_FILE_MAX_COUNT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(20).default(DEFAULT_FILE_LIMITS.maxFiles)),
  /** Days keep-alive monitor events are kept (the drop analysis needs about 3 hours; alerts history more). */
  VPN_DOCTOR_MONITOR_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /** Days finished jobs stay in the audit log. */
  VPN_DOCTOR_AUDIT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
  /** Keep-alive monitor events one agent may send per minute; beyond it they are refused. */
  VPN_DOCTOR_MONITOR_EVENTS_PER_MINUTE: z.coerce.number().int().min(10).max(100_000).default(1000),
  /** With replicas (VPN_DOCTOR_DATABASE_URL): this replica's name in logs and listings; default HOST:PORT. */
  VPN_DOCTOR_REPLICA_NAME: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,62}$/, 'must be 1-63 letters, digits, dots, dashes, colons or underscores')
      .optional(),
  ),
  // Microsoft Teams (Bot Framework). Names as the Azure Bot resource and Microsoft's samples spell them.
  // An empty value counts as unset, as in the samples' .env templates.
  MicrosoftAppId: z.preprocess(emptyToUndefined, z.string().trim().min(1).optional()),
  MicrosoftAppPassword: z.preprocess(emptyToUndefined, z.string().min(1).optional()),
  MicrosoftAppType: z.preprocess(emptyToUndefined, z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant')),
  MicrosoftAppTenantId: z.preprocess(emptyToUndefined, z.string().trim().min(1).optional()),
  VPN_DOCTOR_TEAMS_DEV: z.preprocess(emptyToUndefined, z.enum(['0', '1', 'true', 'false']).default('0')),
  /** Comma-separated Azure AD tenant ids whose Teams may use the bot (default: MicrosoftAppTenantId when set). */
  VPN_DOCTOR_TEAMS_TENANTS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .transform((s) =>
        s
          .split(',')
          .map((t) => t.trim())
          .filter((t) => t !== ''),
      )
      .pipe(
        z
          .array(z.string().regex(/^[0-9A-Za-z._-]{1,100}$/, 'must be tenant ids (GUIDs) separated by commas'))
          .min(1, 'must list at least one tenant id'),
      )
      .optional(),
  ),
});

export interface AppConfig {
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  knowledgeDir: string | undefined;
  port: number;
  host: string;
  dbPath: string;
  /** A postgres:// connection string: PostgreSQL instead of the SQLite file at dbPath. Holds a password: never log it. */
  databaseUrl: string | undefined;
  apiToken: string | undefined;
  agentHeartbeatMs: number;
  /** Limits on files shared in Slack and Teams messages (VPN_DOCTOR_FILE_MAX_MB, VPN_DOCTOR_FILE_MAX_COUNT). */
  files: FileLimits;
  /** How long monitor events and finished audit rows are kept (src/store/retention.ts). */
  retention: RetentionPolicy;
  monitorEventsPerMinute: number;
  /** VPN_DOCTOR_REPLICA_NAME; undefined: HOST:PORT. */
  replicaName: string | undefined;
  /** Slow-client timeouts and the per-address connection cap (VPN_DOCTOR_HTTP_*; src/config/http-env.ts). */
  http: HttpEnvLimits;
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
  /**
   * Tenants whose activities are answered (VPN_DOCTOR_TEAMS_TENANTS, else [MicrosoftAppTenantId] when set).
   * Empty or absent: any tenant (the adapter then falls back to tenantId, and warns when there is none).
   */
  allowedTenants?: string[];
}

/** The Teams (Bot Framework) variables: setting any of them without MicrosoftAppId is a half-configured bot. */
const TEAMS_VARIABLES = ['MicrosoftAppPassword', 'MicrosoftAppType', 'MicrosoftAppTenantId', 'VPN_DOCTOR_TEAMS_TENANTS'] as const;

const LOOPBACK_HOST = /^(?:localhost|::1|\[::1\]|127(?:\.\d{1,3}){3})$/i;

/** True for a HOST that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOST.test(host.trim());
}

/**
 * The combinations botbuilder would otherwise reject with an assertion deep inside its constructor (or,
 * worse, accept and fail on the first reply), each naming the variable to fix. `set` lists the Teams
 * variables present in the environment (non-empty), `host` is where the server listens.
 */
export function teamsConfigProblems(
  c: TeamsConfig,
  context: { set?: readonly string[]; host?: string } = {},
): { variable: string; message: string }[] {
  const problems: { variable: string; message: string }[] = [];
  if (!c.appId) {
    if (!c.dev) {
      for (const name of context.set ?? []) {
        problems.push({
          variable: name,
          message:
            "is set but MicrosoftAppId is not: set MicrosoftAppId (the Azure Bot's app id) to enable Microsoft Teams, or unset the Microsoft Teams variables",
        });
      }
    } else if (context.host !== undefined && !isLoopbackHost(context.host)) {
      problems.push({
        variable: 'VPN_DOCTOR_TEAMS_DEV',
        message: `serves /api/messages without authentication, so HOST must be a loopback address (127.0.0.1, ::1, localhost), not "${context.host}"; or set MicrosoftAppId`,
      });
    }
    return problems;
  }
  if (c.appType === 'UserAssignedMSI') {
    if (!c.tenantId) problems.push({ variable: 'MicrosoftAppTenantId', message: 'is required when MicrosoftAppType is UserAssignedMSI' });
    if (c.appPassword)
      problems.push({ variable: 'MicrosoftAppPassword', message: 'must not be set when MicrosoftAppType is UserAssignedMSI' });
    return problems;
  }
  if (!c.appPassword)
    problems.push({ variable: 'MicrosoftAppPassword', message: `is required when MicrosoftAppId is set (MicrosoftAppType ${c.appType})` });
  if (c.appType === 'SingleTenant' && !c.tenantId)
    problems.push({ variable: 'MicrosoftAppTenantId', message: 'is required when MicrosoftAppType is SingleTenant' });
  return problems;
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
  const teams: TeamsConfig = {
    appId: e.MicrosoftAppId,
    appPassword: e.MicrosoftAppPassword,
    appType: e.MicrosoftAppType,
    tenantId: e.MicrosoftAppTenantId,
    dev: e.VPN_DOCTOR_TEAMS_DEV === '1' || e.VPN_DOCTOR_TEAMS_DEV === 'true',
    allowedTenants: e.VPN_DOCTOR_TEAMS_TENANTS ?? (e.MicrosoftAppTenantId ? [e.MicrosoftAppTenantId] : []),
  };
  // Checked here, before anything listens: a half-configured Teams bot must stop `serve`, not start silently.
  const teamsProblems = teamsConfigProblems(teams, {
    set: TEAMS_VARIABLES.filter((name) => typeof env[name] === 'string' && env[name].trim() !== ''),
    host: e.HOST,
  });
  if (teamsProblems.length > 0) {
    throw new ConfigError('invalid configuration:\n' + teamsProblems.map((p) => `  ${p.variable}: ${p.message}`).join('\n'));
  }
  return {
    logLevel: e.LOG_LEVEL,
    knowledgeDir: e.VPN_DOCTOR_KNOWLEDGE_DIR,
    port: e.PORT,
    host: e.HOST,
    dbPath: resolveDbPath(env),
    databaseUrl: e.VPN_DOCTOR_DATABASE_URL,
    apiToken: e.VPN_DOCTOR_API_TOKEN,
    agentHeartbeatMs: e.VPN_DOCTOR_AGENT_HEARTBEAT_S * 1000,
    files: { ...DEFAULT_FILE_LIMITS, maxBytes: Math.round(e.VPN_DOCTOR_FILE_MAX_MB * 1024 * 1024), maxFiles: e.VPN_DOCTOR_FILE_MAX_COUNT },
    retention: { monitorEventsMs: e.VPN_DOCTOR_MONITOR_RETENTION_DAYS * DAY_MS, auditMs: e.VPN_DOCTOR_AUDIT_RETENTION_DAYS * DAY_MS },
    monitorEventsPerMinute: e.VPN_DOCTOR_MONITOR_EVENTS_PER_MINUTE,
    replicaName: e.VPN_DOCTOR_REPLICA_NAME,
    http: httpLimitsOf(e),
    llm: llm.data,
    teams,
    slack: slack.config,
  };
}
