import type { KnowledgeBase } from '../knowledge/loader.js';
import type { Step } from '../knowledge/schema.js';
import type { Entities, IntentClassifier } from '../nlu/types.js';

/**
 * The machine-readable answer to one question: what `ask --json` prints and `POST /api/v1/ask` returns.
 * A stable contract for runbook automation, so it carries the topic's full steps and facts.
 */
export interface AnswerDocument {
  text: string;
  kind: string;
  topic: string | null;
  section: string | null;
  title: string | null;
  confidence: number;
  engine: string;
  summary: string | null;
  steps: Step[];
  facts: { label: string; value: string; kind: string }[];
  alternatives: { topic: string; section: string; title: string; confidence: number }[];
  entities: Entities;
}

export async function answerDocument(kb: KnowledgeBase, classifier: IntentClassifier, text: string): Promise<AnswerDocument> {
  const c = await classifier.classify(text);
  const topic = c.topic ? kb.byId.get(c.topic) : undefined;
  return {
    text,
    kind: c.kind,
    topic: topic?.id ?? null,
    section: topic?.section ?? null,
    title: topic?.title ?? null,
    confidence: round(c.confidence),
    engine: c.engine,
    summary: topic?.summary ?? null,
    steps: topic?.steps ?? [],
    facts: topic?.facts ?? [],
    alternatives: c.alternatives.flatMap((a) => {
      const t = kb.byId.get(a.topic);
      return t ? [{ topic: t.id, section: t.section, title: t.title, confidence: round(a.confidence) }] : [];
    }),
    entities: c.entities,
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
