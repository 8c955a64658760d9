/**
 * Entry point of the NLU: `createClassifier(kb, options)` returns the local classifier, or the LLM
 * classifier (with the local one as its fallback) when `options.llm` is set.
 *
 * Nothing here imports LangChain: llm-classifier.ts only type-imports it and loads providers with
 * `await import()` on first use, so local mode starts without it.
 */
import type { KnowledgeBase } from '../knowledge/loader.js';
import { LlmClassifier, type StructuredChatModel } from './llm-classifier.js';
import { type LlmOptionsInput, LlmOptionsSchema } from './llm-config.js';
import { LocalClassifier, type LocalClassifierOptions } from './local-classifier.js';
import type { IntentClassifier } from './types.js';

export interface CreateClassifierOptions {
  /** LLM mode; undefined (the default) = local only. Validated with LlmOptionsSchema. */
  llm?: LlmOptionsInput | undefined;
  /** Tuning of the local classifier (benchmarks, tests). */
  local?: LocalClassifierOptions;
  /** A ready LangChain chat model instead of the configured provider (tests). */
  chatModel?: StructuredChatModel;
}

export async function createClassifier(
  kb: Pick<KnowledgeBase, 'topics'>,
  options: CreateClassifierOptions = {},
): Promise<IntentClassifier> {
  const local = new LocalClassifier(kb, options.local);
  if (!options.llm) return local;
  const llm = LlmOptionsSchema.parse(options.llm);
  return new LlmClassifier({ local, topics: kb.topics, options: llm, ...(options.chatModel ? { chatModel: options.chatModel } : {}) });
}

export { LocalClassifier } from './local-classifier.js';
export type { DecisionThresholds, LocalClassifierOptions, RankedTopics } from './local-classifier.js';
export { LlmClassifier, answerSchema, fallbackReason } from './llm-classifier.js';
export type { StructuredChatModel } from './llm-classifier.js';
export { LlmConfigSchema, LlmOptionsSchema, llmOptionsFromEnv, LLM_PROVIDERS, DEFAULT_LLM_MODELS } from './llm-config.js';
export type { LlmConfig, LlmOptions, LlmOptionsInput, LlmProvider } from './llm-config.js';
export { extractEntities, emptyEntities } from './entities.js';
export type * from './types.js';
