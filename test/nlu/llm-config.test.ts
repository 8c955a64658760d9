import { describe, expect, it } from 'vitest';
import { DEFAULT_LLM_MODELS, LlmConfigSchema, llmOptionsFromEnv, LlmOptionsSchema } from '../../src/nlu/llm-config.js';

describe('LlmConfigSchema (environment variables)', () => {
  it('is off by default, and for "off"', () => {
    expect(LlmConfigSchema.parse({})).toBeUndefined();
    expect(LlmConfigSchema.parse({ VPN_DOCTOR_LLM: '' })).toBeUndefined();
    expect(LlmConfigSchema.parse({ VPN_DOCTOR_LLM: 'off', OPENAI_API_KEY: 'k' })).toBeUndefined();
  });

  it('ignores unrelated variables (the whole environment can be passed)', () => {
    expect(LlmConfigSchema.parse({ PATH: '/usr/bin', HOME: '/root' })).toBeUndefined();
  });

  it('openai with a key, default model and timeout', () => {
    expect(LlmConfigSchema.parse({ VPN_DOCTOR_LLM: 'openai', OPENAI_API_KEY: 'sk-test' })).toEqual({
      provider: 'openai',
      model: DEFAULT_LLM_MODELS.openai,
      apiKey: 'sk-test',
      timeoutMs: 8000,
      maxRetries: 1,
    });
  });

  it('reads model, base URL and timeout; provider names are case-insensitive', () => {
    expect(
      LlmConfigSchema.parse({
        VPN_DOCTOR_LLM: 'Ollama',
        VPN_DOCTOR_LLM_MODEL: 'qwen2.5:7b',
        VPN_DOCTOR_LLM_BASE_URL: 'http://127.0.0.1:11434',
        VPN_DOCTOR_LLM_TIMEOUT_MS: '2500',
      }),
    ).toEqual({ provider: 'ollama', model: 'qwen2.5:7b', baseUrl: 'http://127.0.0.1:11434', timeoutMs: 2500, maxRetries: 1 });
  });

  it('openai-compatible server without a key is fine when a base URL is given', () => {
    expect(LlmConfigSchema.parse({ VPN_DOCTOR_LLM: 'openai', VPN_DOCTOR_LLM_BASE_URL: 'http://127.0.0.1:8080/v1' })).toMatchObject({
      provider: 'openai',
      baseUrl: 'http://127.0.0.1:8080/v1',
    });
  });

  it('uses the key of the chosen provider only', () => {
    const o = LlmConfigSchema.parse({ VPN_DOCTOR_LLM: 'anthropic', ANTHROPIC_API_KEY: 'a', OPENAI_API_KEY: 'o' });
    expect(o).toMatchObject({ provider: 'anthropic', apiKey: 'a', model: DEFAULT_LLM_MODELS.anthropic });
  });

  it.each([
    [{ VPN_DOCTOR_LLM: 'gpt' }, 'VPN_DOCTOR_LLM'],
    [{ VPN_DOCTOR_LLM: 'openai' }, 'OPENAI_API_KEY'],
    [{ VPN_DOCTOR_LLM: 'anthropic' }, 'ANTHROPIC_API_KEY'],
    [{ VPN_DOCTOR_LLM: 'ollama', VPN_DOCTOR_LLM_BASE_URL: 'not a url' }, 'VPN_DOCTOR_LLM_BASE_URL'],
    [{ VPN_DOCTOR_LLM: 'ollama', VPN_DOCTOR_LLM_TIMEOUT_MS: 'soon' }, 'VPN_DOCTOR_LLM_TIMEOUT_MS'],
    [{ VPN_DOCTOR_LLM: 'ollama', VPN_DOCTOR_LLM_TIMEOUT_MS: '-5' }, 'VPN_DOCTOR_LLM_TIMEOUT_MS'],
  ])('rejects %j naming %s', (env, variable) => {
    const r = LlmConfigSchema.safeParse(env);
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.'))).toContain(variable);
  });

  it('llmOptionsFromEnv throws a readable error', () => {
    expect(() => llmOptionsFromEnv({ VPN_DOCTOR_LLM: 'anthropic' })).toThrow(
      /ANTHROPIC_API_KEY: VPN_DOCTOR_LLM=anthropic needs ANTHROPIC_API_KEY/,
    );
  });
});

describe('LlmOptionsSchema', () => {
  it('fills defaults and rejects unknown fields', () => {
    expect(LlmOptionsSchema.parse({ provider: 'ollama', model: 'llama3.1' })).toEqual({
      provider: 'ollama',
      model: 'llama3.1',
      timeoutMs: 8000,
      maxRetries: 1,
    });
    expect(LlmOptionsSchema.safeParse({ provider: 'ollama', model: 'x', temperature: 1 }).success).toBe(false);
  });
});
