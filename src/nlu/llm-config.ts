/**
 * Configuration of the optional LLM classifier, validated with zod.
 *
 *  - `LlmOptionsSchema`: the normalised options `createClassifier` takes (provider, model, baseUrl ...).
 *  - `LlmConfigSchema`: parses the environment variables (VPN_DOCTOR_LLM, VPN_DOCTOR_LLM_MODEL,
 *    VPN_DOCTOR_LLM_BASE_URL, VPN_DOCTOR_LLM_TIMEOUT_MS, OPENAI_API_KEY, ANTHROPIC_API_KEY) into
 *    `LlmOptions | undefined` (undefined = LLM mode off, the default). src/config can reuse it as is.
 *
 * This module imports zod only: it must stay cheap, because the CLI loads it even when LLM mode is off.
 */
import { z } from 'zod';

export const LLM_PROVIDERS = ['openai', 'anthropic', 'ollama'] as const;
export type LlmProvider = (typeof LLM_PROVIDERS)[number];

/** Used when VPN_DOCTOR_LLM_MODEL is not set: small, cheap models that handle structured output. */
export const DEFAULT_LLM_MODELS: Record<LlmProvider, string> = {
  openai: 'gpt-4o-mini',
  anthropic: 'claude-3-5-haiku-latest',
  ollama: 'llama3.1',
};

export const DEFAULT_LLM_TIMEOUT_MS = 8000;

export const LlmOptionsSchema = z.strictObject({
  provider: z.enum(LLM_PROVIDERS),
  model: z.string().trim().min(1),
  /** OpenAI-compatible endpoint, Anthropic API URL or Ollama server; provider default when absent. */
  baseUrl: z.url().optional(),
  apiKey: z.string().min(1).optional(),
  /** Whole-request budget; past it the local classifier answers. */
  timeoutMs: z.number().int().positive().max(600_000).default(DEFAULT_LLM_TIMEOUT_MS),
  /** Client retries inside the timeout budget (tests use 0). */
  maxRetries: z.number().int().min(0).max(10).default(1),
});

export type LlmOptions = z.infer<typeof LlmOptionsSchema>;
/** What callers may pass: defaults filled in by the schema. */
export type LlmOptionsInput = z.input<typeof LlmOptionsSchema>;

/** Environment variables are strings; an empty one means "not set" (VAR= in a .env file). */
const optionalEnv = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

const OFF_VALUES = ['off', 'none', 'local', 'false', '0'] as const;

/**
 * Parses `process.env` (or any record of strings). Unknown variables are ignored, so the whole environment
 * can be passed. Result: the LLM options, or undefined when VPN_DOCTOR_LLM is unset or "off".
 */
export const LlmConfigSchema = z
  .object({
    VPN_DOCTOR_LLM: optionalEnv(
      z
        .string()
        .trim()
        .toLowerCase()
        .pipe(z.enum([...LLM_PROVIDERS, ...OFF_VALUES], { error: `must be one of ${LLM_PROVIDERS.join(', ')} (or off)` })),
    ),
    VPN_DOCTOR_LLM_MODEL: optionalEnv(z.string().trim().min(1)),
    VPN_DOCTOR_LLM_BASE_URL: optionalEnv(z.url({ error: 'must be a URL such as http://127.0.0.1:11434' })),
    VPN_DOCTOR_LLM_TIMEOUT_MS: optionalEnv(z.coerce.number().int().positive().max(600_000)),
    OPENAI_API_KEY: optionalEnv(z.string()),
    ANTHROPIC_API_KEY: optionalEnv(z.string()),
  })
  .superRefine((env, ctx) => {
    const p = env.VPN_DOCTOR_LLM;
    // An OpenAI-compatible server of your own (VPN_DOCTOR_LLM_BASE_URL) may not need a key.
    if (p === 'openai' && !env.OPENAI_API_KEY && !env.VPN_DOCTOR_LLM_BASE_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['OPENAI_API_KEY'],
        message: 'VPN_DOCTOR_LLM=openai needs OPENAI_API_KEY (or VPN_DOCTOR_LLM_BASE_URL for a compatible server)',
      });
    }
    if (p === 'anthropic' && !env.ANTHROPIC_API_KEY) {
      ctx.addIssue({ code: 'custom', path: ['ANTHROPIC_API_KEY'], message: 'VPN_DOCTOR_LLM=anthropic needs ANTHROPIC_API_KEY' });
    }
  })
  .transform((env): LlmOptions | undefined => {
    const p = env.VPN_DOCTOR_LLM;
    if (p === undefined || !(LLM_PROVIDERS as readonly string[]).includes(p)) return undefined;
    const provider = p as LlmProvider;
    const apiKey = provider === 'openai' ? env.OPENAI_API_KEY : provider === 'anthropic' ? env.ANTHROPIC_API_KEY : undefined;
    return LlmOptionsSchema.parse({
      provider,
      model: env.VPN_DOCTOR_LLM_MODEL ?? DEFAULT_LLM_MODELS[provider],
      ...(env.VPN_DOCTOR_LLM_BASE_URL ? { baseUrl: env.VPN_DOCTOR_LLM_BASE_URL } : {}),
      ...(apiKey ? { apiKey } : {}),
      timeoutMs: env.VPN_DOCTOR_LLM_TIMEOUT_MS ?? DEFAULT_LLM_TIMEOUT_MS,
    });
  });

/** The parsed environment: the LLM options, or undefined when LLM mode is off. */
export type LlmConfig = z.output<typeof LlmConfigSchema>;

/** Convenience: the LLM options from an environment, throwing a readable error when it is invalid. */
export function llmOptionsFromEnv(env: Record<string, string | undefined> = process.env): LlmOptions | undefined {
  const r = LlmConfigSchema.safeParse(env);
  if (r.success) return r.data;
  throw new Error(`invalid LLM configuration:\n${r.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
}
