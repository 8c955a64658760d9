/**
 * Optional LLM classifier through LangChain (VPN_DOCTOR_LLM=openai|anthropic|ollama).
 *
 * - Providers are imported lazily (`await import()`), only when LLM mode is configured and first used:
 *   the CLI must start fast without LangChain loaded.
 * - Structured output with a zod schema whose topic field is the enum of knowledge topic ids, so the model
 *   cannot invent topics; the answer is validated again here whatever the provider's parser did.
 * - The local classifier always runs first (it is sub-millisecond): it supplies the entities, answers
 *   smalltalk without a round-trip, and is the answer whenever the LLM times out, errors or answers
 *   something invalid. `engine` says who answered: "llm:openai" or "local (llm fallback: timeout)".
 */
import type { Topic } from '../knowledge/schema.js';
import { z } from 'zod';
import type { LlmOptions } from './llm-config.js';
import type { LocalClassifier } from './local-classifier.js';
import type { Classification, ClassificationKind, ClassifyContext, IntentClassifier, TopicScore } from './types.js';

/** The part of a LangChain chat model this module uses (lets tests inject LangChain's fake models). */
export interface StructuredChatModel {
  withStructuredOutput(
    schema: z.ZodType,
    config?: Record<string, unknown>,
  ): {
    invoke(input: [string, string][], config?: { signal?: AbortSignal }): Promise<unknown>;
  };
}

const KINDS = ['topic', 'ambiguous', 'follow-up', 'smalltalk', 'off-topic'] as const satisfies readonly ClassificationKind[];

/** The schema the model must fill. Built per knowledge base: the topic enum is the list of topic ids. */
export function answerSchema(topicIds: readonly string[]) {
  const ids = z.enum(topicIds as [string, ...string[]]);
  return z.object({
    kind: z
      .enum(KINDS)
      .describe(
        'topic: one topic fits; ambiguous: 2-3 fit about equally; follow-up: continues the conversation; smalltalk: greetings/thanks; off-topic: not about this VPN',
      ),
    topic: ids.nullable().describe('Best topic id; null for smalltalk and off-topic'),
    confidence: z.number().min(0).max(1).describe('How sure you are, 0 to 1'),
    alternatives: z.array(ids).max(3).describe('Other plausible topic ids, best first; empty when none'),
  });
}

export type LlmAnswer = z.infer<ReturnType<typeof answerSchema>>;

export function systemPrompt(topics: readonly Pick<Topic, 'id' | 'title' | 'summary'>[]): string {
  const lines = topics.map((t) => `- ${t.id}: ${t.title}. ${firstSentence(t.summary)}`);
  return [
    'You classify chat messages sent to vpn-doctor, an assistant for ops teams troubleshooting the site-to-site',
    'IPsec VPN between their network and the OutSystems Cloud. Pick the troubleshooting topic the message is about.',
    '',
    'Topics (id: title. scope):',
    ...lines,
    '',
    'Rules:',
    '- kind "topic": one topic fits; set topic to its id.',
    '- kind "ambiguous": about the VPN, but two or three topics fit about equally; topic is the best, alternatives the others.',
    '- kind "follow-up": the message continues the conversation ("still failing", "what next?", "we are on Sentry"); topic is the current topic.',
    '- kind "smalltalk": greetings, thanks, chatter; topic null.',
    '- kind "off-topic": not about this VPN (other IT requests, OutSystems development questions); topic null.',
    '- Use only the topic ids listed above. Never invent one.',
  ].join('\n');
}

/** Why the LLM's answer was not used; shown in `engine`. */
export class LlmFallback extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'LlmFallback';
  }
}

export interface LlmClassifierDeps {
  local: LocalClassifier;
  topics: readonly Pick<Topic, 'id' | 'title' | 'summary'>[];
  options: LlmOptions;
  /** A ready chat model (tests); otherwise the provider's LangChain class is imported and built. */
  chatModel?: StructuredChatModel;
}

export class LlmClassifier implements IntentClassifier {
  private readonly ids: Set<string>;
  private readonly schema: ReturnType<typeof answerSchema>;
  private readonly prompt: string;
  private runnablePromise: Promise<ReturnType<StructuredChatModel['withStructuredOutput']>> | undefined;

  constructor(private readonly deps: LlmClassifierDeps) {
    this.ids = new Set(deps.topics.map((t) => t.id));
    this.schema = answerSchema(deps.topics.map((t) => t.id));
    this.prompt = systemPrompt(deps.topics);
  }

  get engine(): string {
    return `llm:${this.deps.options.provider}`;
  }

  async classify(text: string, context: ClassifyContext = {}): Promise<Classification> {
    const local = this.deps.local.classifySync(text, context);
    // Greetings and thanks are recognised reliably by rule: no need to pay a round-trip for them.
    if (local.kind === 'smalltalk') return local;
    try {
      const raw = await this.ask(text, context);
      return this.toClassification(this.validate(raw), local, text, context);
    } catch (err) {
      return { ...local, engine: `local (llm fallback: ${fallbackReason(err)})` };
    }
  }

  private async ask(text: string, context: ClassifyContext): Promise<unknown> {
    const { timeoutMs } = this.deps.options;
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new LlmFallback('timeout'));
      }, timeoutMs);
    });
    try {
      // Building the model counts against the budget too: a provider import can be slow on a cold disk.
      const work = (async () => {
        const runnable = await this.runnable();
        const current = context.currentTopic ? `Current topic of the conversation: ${context.currentTopic}` : 'No current topic.';
        return runnable.invoke(
          [
            ['system', `${this.prompt}\n${current}`],
            ['human', text],
          ],
          { signal: controller.signal },
        );
      })();
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private runnable(): Promise<ReturnType<StructuredChatModel['withStructuredOutput']>> {
    this.runnablePromise ??= (async () => {
      const model = this.deps.chatModel ?? (await createChatModel(this.deps.options));
      // includeRaw: on a parse failure we still see what the model said (to tell "unknown topic" apart).
      const config: Record<string, unknown> = { name: 'classify_message', includeRaw: true };
      if (this.deps.options.provider === 'openai') config['method'] = 'functionCalling';
      return model.withStructuredOutput(this.schema, config);
    })();
    // A failed build (bad key, missing package) is retried on the next message rather than cached.
    this.runnablePromise.catch(() => {
      this.runnablePromise = undefined;
    });
    return this.runnablePromise;
  }

  /** Accepts `{raw, parsed}` (includeRaw) or a bare object (fake models ignore includeRaw). */
  private validate(result: unknown): LlmAnswer {
    let candidate: unknown = result;
    let raw: unknown;
    if (isRecord(result) && 'raw' in result && 'parsed' in result) {
      raw = result['raw'];
      candidate = result['parsed'] ?? rawArguments(raw);
    }
    const parsed = this.schema.safeParse(candidate);
    if (parsed.success) {
      const a = parsed.data;
      if ((a.kind === 'topic' || a.kind === 'ambiguous') && a.topic === null) throw new LlmFallback('invalid answer: no topic');
      return a;
    }
    const topic = isRecord(candidate) ? candidate['topic'] : undefined;
    if (typeof topic === 'string' && !this.ids.has(topic)) throw new LlmFallback(`unknown topic "${topic.slice(0, 40)}"`);
    throw new LlmFallback('invalid answer');
  }

  private toClassification(a: LlmAnswer, local: Classification, text: string, context: ClassifyContext): Classification {
    const current = context.currentTopic ?? null;
    let topic: string | null = a.topic;
    if (a.kind === 'smalltalk' || a.kind === 'off-topic') topic = null;
    if (a.kind === 'follow-up') topic = current ?? a.topic;
    // Alternatives' confidences come from the local model: the LLM only names them.
    const localScores = new Map(this.deps.local.rank(text).ranked.map((r) => [r.topic, r.confidence]));
    const alternatives: TopicScore[] = a.alternatives
      .filter((id, i, all) => id !== topic && all.indexOf(id) === i)
      .slice(0, 3)
      .map((id) => ({ topic: id, confidence: Math.round((localScores.get(id) ?? 0) * 1000) / 1000 }));
    return { kind: a.kind, topic, confidence: a.confidence, alternatives, entities: local.entities, engine: this.engine };
  }
}

/** Builds the provider's LangChain chat model; the import happens here and only here. */
export async function createChatModel(o: LlmOptions): Promise<StructuredChatModel> {
  switch (o.provider) {
    case 'openai': {
      const { ChatOpenAI } = await import('@langchain/openai');
      return new ChatOpenAI({
        model: o.model,
        temperature: 0,
        // OpenAI-compatible servers (llama.cpp, vLLM, LM Studio) often need no key, but the client wants one.
        apiKey: o.apiKey ?? 'not-needed',
        maxRetries: o.maxRetries,
        timeout: o.timeoutMs,
        ...(o.baseUrl ? { configuration: { baseURL: o.baseUrl } } : {}),
      }) as unknown as StructuredChatModel;
    }
    case 'anthropic': {
      const { ChatAnthropic } = await import('@langchain/anthropic');
      return new ChatAnthropic({
        model: o.model,
        temperature: 0,
        ...(o.apiKey ? { apiKey: o.apiKey } : {}),
        maxRetries: o.maxRetries,
        ...(o.baseUrl ? { anthropicApiUrl: o.baseUrl } : {}),
      }) as unknown as StructuredChatModel;
    }
    case 'ollama': {
      const { ChatOllama } = await import('@langchain/ollama');
      return new ChatOllama({
        model: o.model,
        temperature: 0,
        maxRetries: o.maxRetries,
        ...(o.baseUrl ? { baseUrl: o.baseUrl } : {}),
      }) as unknown as StructuredChatModel;
    }
  }
}

/** A short, log-safe reason for `engine`: never the whole error (it may quote the request). */
export function fallbackReason(err: unknown): string {
  if (err instanceof LlmFallback) return err.reason;
  const e = err as { name?: string; status?: number; code?: string; message?: string };
  if (e?.name === 'AbortError' || /abort/i.test(e?.message ?? '')) return 'timeout';
  if (typeof e?.status === 'number') return `error: HTTP ${e.status}`;
  if (e?.code === 'ECONNREFUSED' || /ECONNREFUSED|fetch failed|connection error/i.test(e?.message ?? '')) return 'error: unreachable';
  if (/timed? ?out/i.test(e?.message ?? '')) return 'timeout';
  return `error: ${(e?.message ?? String(err)).split('\n')[0]!.slice(0, 80)}`;
}

/** The tool-call arguments or JSON content of a raw AI message, when the provider's parser gave up. */
function rawArguments(raw: unknown): unknown {
  if (!isRecord(raw)) return undefined;
  const calls = raw['tool_calls'];
  if (Array.isArray(calls) && isRecord(calls[0])) return calls[0]['args'];
  const content = raw['content'];
  if (typeof content === 'string') {
    try {
      return JSON.parse(content);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function firstSentence(s: string): string {
  const m = /^(.*?[.!?])(\s|$)/s.exec(s.trim());
  return (m ? m[1]! : s).replace(/\s+/g, ' ').slice(0, 220);
}
