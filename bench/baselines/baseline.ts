/**
 * What the NLU benchmark needs from a baseline: a ranking of topics for a message, and whether the
 * baseline would reject it as off-topic. Baselines get the same training data as vpn-doctor's classifier
 * (the topics' examples, keywords and titles, plus the same off-topic corpus as an "other" class).
 */
import type { Topic } from '../../src/knowledge/schema.js';

export interface BaselineResult {
  /** Best topic, or null when the baseline rejects the message as off-topic. */
  topic: string | null;
  /** Topics best first (for top-k accuracy), regardless of rejection. */
  ranked: string[];
}

export interface Baseline {
  name: string;
  buildMs: number;
  classify(text: string): BaselineResult;
}

export type TopicTexts = Pick<Topic, 'id' | 'title' | 'examples' | 'keywords'>;

/** Label of the off-topic pseudo-class in the baselines' training data. */
export const OTHER = '__other__';
