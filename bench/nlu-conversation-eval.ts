/**
 * NLU figures measured through the real conversation core (the Assistant, as Slack, Teams and `chat --json`
 * use it), shared by `bench:nlu` and `bench:nlu-blind`:
 *  - questions: top-1 on in-scope messages (an ask-back counts with its first choice; a rejection is
 *    wrong), off-topic messages rejected, confident errors (a wrong topic shown as the answer, for in-scope
 *    and off-topic messages alike), and a reliability table: the shown confidence in bins against how often
 *    the topic was right;
 *  - fact questions: the direct answer (`Reply.answer`) contains the expected value; yes/no questions must
 *    start with the expected "Yes"/"No";
 *  - conversations: each turn's reply is on the expected topic (null = no topic, e.g. thanks or off-topic).
 * Each question or conversation gets its own conversation key, so nothing leaks between them.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { Assistant } from '../src/conversation/assistant.js';
import type { KnowledgeBase } from '../src/knowledge/loader.js';
import type { LocalClassifier } from '../src/nlu/local-classifier.js';
import type { Reply } from '../src/reply/reply.js';

export const BlindSchema = z.object({
  questions: z.array(z.strictObject({ text: z.string().min(1), topic: z.string().nullable() })).min(1),
  facts: z.array(z.strictObject({ text: z.string().min(1), expect: z.string().min(1), kind: z.string() })),
  conversations: z.array(
    z.strictObject({ turns: z.array(z.strictObject({ text: z.string().min(1), topic: z.string().nullable() })).min(1) }),
  ),
});
export type BlindSet = z.infer<typeof BlindSchema>;

export function loadBlindSet(file: string | URL): BlindSet {
  return BlindSchema.parse(parse(readFileSync(file, 'utf8')));
}

/** The topic a reply puts forward: its topic, or the first choice it offers; null when it offers none. */
export function replyTopic(r: Reply): string | null {
  if (r.kind === 'choices') {
    const first = r.actions.find((a) => a.command.startsWith('topic '));
    return first ? first.command.split(/\s+/)[1]! : null;
  }
  return r.kind === 'answer' || r.kind === 'check' ? (r.topic ?? null) : null;
}

export interface Bin {
  lo: number;
  hi: number;
  shown: number;
  right: number;
}

export interface QuestionFigures {
  inScope: number;
  top1: number;
  off: number;
  offRejected: number;
  total: number;
  confidentErrors: number;
  askedBack: number;
  bins: Bin[];
  confusions: string[];
}

const BIN_EDGES = [0, 0.3, 0.5, 0.7, 0.85, 1.0001];

let conversationSeq = 0;
function newChannel(): string {
  conversationSeq++;
  return `eval-${conversationSeq}`;
}

export function makeAssistant(kb: KnowledgeBase, classifier: LocalClassifier): Assistant {
  return new Assistant({ kb, classifier });
}

async function say(assistant: Assistant, channel: string, text: string): Promise<Reply> {
  return assistant.handle({ text, user: 'eval', channel, platform: 'bench' });
}

export async function evalQuestions(assistant: Assistant, questions: { text: string; topic: string | null }[]): Promise<QuestionFigures> {
  const f: QuestionFigures = {
    inScope: 0,
    top1: 0,
    off: 0,
    offRejected: 0,
    total: questions.length,
    confidentErrors: 0,
    askedBack: 0,
    bins: [],
    confusions: [],
  };
  f.bins = BIN_EDGES.slice(0, -1).map((lo, i) => ({ lo, hi: BIN_EDGES[i + 1]!, shown: 0, right: 0 }));
  for (const q of questions) {
    const r = await say(assistant, newChannel(), q.text);
    const got = replyTopic(r);
    if (r.kind === 'choices') f.askedBack++;
    // Shown as the answer: an answer reply with a topic (not a question back).
    if (r.kind === 'answer' && got !== null) {
      if (got !== q.topic) f.confidentErrors++;
      const conf = r.confidence ?? 1;
      const bin = f.bins.find((b) => conf >= b.lo && conf < b.hi)!;
      bin.shown++;
      if (got === q.topic) bin.right++;
    }
    const shown = `${got ?? r.kind}${r.kind === 'choices' ? ' (asked back)' : ''} (${(r.confidence ?? 0).toFixed(2)})`;
    if (q.topic === null) {
      f.off++;
      if (got === null) f.offRejected++;
      else f.confusions.push(`  off-topic -> ${shown}: ${q.text}`);
    } else {
      f.inScope++;
      if (got === q.topic) f.top1++;
      else f.confusions.push(`  ${q.topic} -> ${shown}: ${q.text}`);
    }
  }
  return f;
}

export interface FactFigures {
  total: number;
  right: number;
  misses: string[];
}

export async function evalFacts(assistant: Assistant, facts: BlindSet['facts']): Promise<FactFigures> {
  const f: FactFigures = { total: facts.length, right: 0, misses: [] };
  for (const q of facts) {
    const r = await say(assistant, newChannel(), q.text);
    const answer = (r.answer ?? '').trim();
    const ok =
      q.kind === 'yes-no' ? answer.toLowerCase().startsWith(q.expect.toLowerCase()) : answer.toLowerCase().includes(q.expect.toLowerCase());
    if (ok) f.right++;
    else f.misses.push(`  expected "${q.expect}": ${q.text} => ${answer || `(no direct answer; ${r.kind} ${r.topic ?? ''})`}`);
  }
  return f;
}

export interface ConversationFigures {
  turns: number;
  right: number;
  misses: string[];
}

export async function evalConversations(assistant: Assistant, conversations: BlindSet['conversations']): Promise<ConversationFigures> {
  const f: ConversationFigures = { turns: 0, right: 0, misses: [] };
  for (const [i, conv] of conversations.entries()) {
    const channel = newChannel();
    for (const [k, turn] of conv.turns.entries()) {
      const r = await say(assistant, channel, turn.text);
      const got = replyTopic(r);
      f.turns++;
      if (got === turn.topic) f.right++;
      else f.misses.push(`  conversation ${i + 1} turn ${k + 1}: ${turn.topic ?? 'no topic'} -> ${got ?? r.kind}: ${turn.text}`);
    }
  }
  return f;
}

/** The reliability table as text: confidence bins of answers shown, and how often their topic was right. */
export function reliabilityTable(bins: Bin[]): string {
  const rows = bins.map(
    (b) => `| ${b.lo.toFixed(2)}-${Math.min(1, b.hi).toFixed(2)} | ${b.shown} | ${b.shown ? (b.right / b.shown).toFixed(3) : '-'} |`,
  );
  return ['| confidence shown | answers | topic right |', '|---|---|---|', ...rows].join('\n');
}
