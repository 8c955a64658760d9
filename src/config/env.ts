import { z } from 'zod';
import { LlmConfigSchema, type LlmConfig } from '../nlu/llm-config.js';

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
});

export interface AppConfig {
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  knowledgeDir: string | undefined;
  port: number;
  host: string;
  dbPath: string;
  apiToken: string | undefined;
  llm: LlmConfig;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = EnvSchema.safeParse(env);
  const llm = LlmConfigSchema.safeParse(env);
  const issues = [...(parsed.success ? [] : parsed.error.issues), ...(llm.success ? [] : llm.error.issues)];
  if (!parsed.success || !llm.success) {
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
    llm: llm.data,
  };
}
