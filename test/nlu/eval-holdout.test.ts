/**
 * The evaluation set must stay held out: written apart from the knowledge files' examples, never copied or
 * lightly edited from them. Enforced here as "no evaluation message has a token Jaccard similarity above
 * 0.8 with any training text" (examples, keywords, titles, and the built-in off-topic corpus).
 */
import { describe, expect, it } from 'vitest';
import { loadKnowledgeBase } from '../../src/knowledge/loader.js';
import { OFF_TOPIC_CORPUS } from '../../src/nlu/offtopic-corpus.js';
import { loadEvalSet } from '../fixtures/nlu-eval.js';

const MAX_JACCARD = 0.8;
const kb = loadKnowledgeBase();
const evalSet = loadEvalSet();

const tokens = (s: string) => new Set(s.toLowerCase().match(/[a-z0-9_]+/g) ?? []);
function jaccard(a: Set<string>, b: Set<string>): number {
  let inter = 0;
  for (const t of a) if (b.has(t)) inter++;
  const union = a.size + b.size - inter;
  return union === 0 ? 1 : inter / union;
}

describe('held-out evaluation set', () => {
  it('has enough messages over every topic', () => {
    expect(evalSet.inScope.length).toBeGreaterThanOrEqual(170);
    expect(evalSet.offTopic.length).toBeGreaterThanOrEqual(40);
    const perTopic = new Map<string, number>();
    for (const e of evalSet.inScope) perTopic.set(e.topic, (perTopic.get(e.topic) ?? 0) + 1);
    for (const t of kb.topics) expect(perTopic.get(t.id) ?? 0, t.id).toBeGreaterThanOrEqual(6);
    for (const id of perTopic.keys()) expect(kb.byId.has(id), `unknown topic id ${id}`).toBe(true);
  });

  it('has no duplicate messages', () => {
    const all = [...evalSet.inScope, ...evalSet.offTopic].map((e) => e.text.toLowerCase().trim());
    expect(new Set(all).size).toBe(all.length);
  });

  it(`no message is (near-)equal to a training text (token Jaccard <= ${MAX_JACCARD})`, () => {
    const training = [
      ...kb.topics.flatMap((t) => [...t.examples, ...t.keywords, t.title].map((text) => ({ source: t.id, text }))),
      ...OFF_TOPIC_CORPUS.map((text) => ({ source: 'off-topic corpus', text })),
    ].map((x) => ({ ...x, tokens: tokens(x.text) }));
    const offenders: string[] = [];
    for (const e of [...evalSet.inScope, ...evalSet.offTopic]) {
      const a = tokens(e.text);
      for (const t of training) {
        const j = jaccard(a, t.tokens);
        if (j > MAX_JACCARD) offenders.push(`${j.toFixed(2)}  "${e.text}"  ~  "${t.text}" (${t.source})`);
      }
    }
    expect(offenders, offenders.join('\n')).toEqual([]);
  });
});
