/**
 * One reply of a conversation as a JSON document (`vpn-doctor chat --json`): the `ask --json` fields, read
 * off the Reply the conversation produced, plus `kind` (the reply's kind: answer, choices, help, check...)
 * and `intent` (what the classifier made of the message, when it was a question).
 */
import type { KnowledgeBase } from '../knowledge/loader.js';
import type { Step } from '../knowledge/schema.js';
import { extractEntities } from '../nlu/entities.js';
import type { Entities } from '../nlu/types.js';
import type { Reply } from '../reply/reply.js';

export interface ReplyDocument {
  text: string;
  kind: Reply['kind'];
  answer: string | null;
  topic: string | null;
  section: string | null;
  title: string;
  confidence: number | null;
  engine: string | null;
  summary: string;
  steps: Step[];
  facts: { label: string; value: string }[];
  /** Topics offered as choices (kind "choices"), in order. */
  alternatives: { topic: string; title: string }[];
  actions: { label: string; command: string }[];
  entities: Entities;
}

export function replyDocument(kb: KnowledgeBase, text: string, r: Reply): ReplyDocument {
  const alternatives =
    r.kind === 'choices'
      ? r.actions.flatMap((a) => {
          const id = /^topic\s+(\S+)/.exec(a.command)?.[1];
          const t = id ? kb.byId.get(id) : undefined;
          return t ? [{ topic: t.id, title: t.title }] : [];
        })
      : [];
  return {
    text,
    kind: r.kind,
    answer: r.answer ?? null,
    topic: r.topic ?? null,
    section: r.section ?? null,
    title: r.title,
    confidence: r.confidence ?? null,
    engine: r.answeredBy ?? null,
    summary: r.summary,
    steps: r.steps.map((s) => ({
      action: s.text,
      ...(s.commands ? { commands: s.commands } : {}),
      ...(s.snippets ? { snippets: s.snippets } : {}),
    })),
    facts: r.facts.map((f) => ({ label: f.label, value: f.value })),
    alternatives,
    actions: r.actions.map((a) => ({ label: a.label, command: a.command })),
    entities: extractEntities(text),
  };
}
