import type { KnowledgeBase } from '../knowledge/loader.js';
import type { Step } from '../knowledge/schema.js';
import type { Classification, Entities, IntentClassifier } from '../nlu/types.js';
import { DirectAnswerer } from './direct-answer.js';

/**
 * The machine-readable answer to one question: what `ask --json` prints and `POST /api/v1/ask` returns.
 * A stable contract for runbook automation, so it carries the topic's full steps and facts.
 */
export interface AnswerDocument {
  text: string;
  /**
   * The direct answer when the message asks for a requirement, a number, a port or a yes/no rule
   * ("Phase 2 lifetime: 3600 s (60 min). ..."); null otherwise.
   */
  answer: string | null;
  kind: string;
  topic: string | null;
  section: string | null;
  title: string | null;
  confidence: number;
  engine: string;
  summary: string;
  steps: Step[];
  facts: { label: string; value: string; kind: string }[];
  alternatives: { topic: string; section: string; title: string; confidence: number }[];
  entities: Entities;
}

/** What a script (or the person reading its output) is told when no topic answers the message. */
const NO_TOPIC_SUMMARY: Record<Classification['kind'], string> = {
  smalltalk: 'Not a question: describe the VPN problem (symptom, error message, phase) to get an answer.',
  'off-topic': 'Not about the site-to-site IPsec VPN to the OutSystems Cloud, so no topic applies.',
  'follow-up': 'A follow-up with no earlier question to continue: describe the problem.',
  ambiguous: 'Fits several topics: see alternatives, or add a detail (an error message, the phase, the symptom).',
  topic: 'No topic found.',
};

// One answerer per knowledge base: its fact index is built once, not per request.
const answerers = new WeakMap<KnowledgeBase, DirectAnswerer>();

export function directAnswererFor(kb: KnowledgeBase): DirectAnswerer {
  let a = answerers.get(kb);
  if (!a) {
    a = new DirectAnswerer(kb);
    answerers.set(kb, a);
  }
  return a;
}

export async function answerDocument(kb: KnowledgeBase, classifier: IntentClassifier, text: string): Promise<AnswerDocument> {
  const c = await classifier.classify(text);
  const direct = c.kind === 'smalltalk' ? null : directAnswererFor(kb).answer(text, [c.topic]);
  const usable = direct && (c.kind !== 'off-topic' || direct.basis === 'policy' || direct.coverage >= 0.95) ? direct : null;
  // A fact question's topic is the one whose facts answer it, when the classifier did not find one.
  const topicId = c.topic ?? usable?.topic ?? null;
  const topic = topicId ? kb.byId.get(topicId) : undefined;
  return {
    text,
    answer: usable?.text ?? null,
    kind: usable && c.topic === null ? 'topic' : c.kind,
    topic: topic?.id ?? null,
    section: topic?.section ?? null,
    title: topic?.title ?? null,
    confidence: round(c.confidence),
    engine: c.engine,
    summary: topic?.summary ?? NO_TOPIC_SUMMARY[c.kind],
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
