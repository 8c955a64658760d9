import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ratio, readConfigCorpus, scoreConfigCorpus } from '../../../src/evidence/config/evaluate.js';

const MAIN = join(import.meta.dirname, '../../fixtures/evidence/configs');

describe('configuration reader on the labelled corpus', () => {
  const entries = readConfigCorpus(MAIN);
  const score = scoreConfigCorpus(entries);

  it('has at least 30 real configurations over at least 10 formats, plus mutated variants', () => {
    const real = entries.filter((e) => e.label.origin === 'real');
    expect(real.length).toBeGreaterThanOrEqual(30);
    expect(new Set(real.map((e) => e.label.format)).size).toBeGreaterThanOrEqual(10);
    expect(new Set(real.map((e) => e.label.vendor)).size).toBeGreaterThanOrEqual(10);
    expect(entries.filter((e) => e.label.origin === 'mutated').length).toBeGreaterThanOrEqual(15);
  });

  it('reads every configuration', () => {
    expect(score.total.unread).toBe(0);
  });

  it('gets >= 95% of labelled verdicts right', () => {
    expect(score.mismatches).toEqual([]);
    expect(ratio(score.total.right, score.total.labelled)).toBeGreaterThanOrEqual(0.95);
  });

  it('finds every injected deviation', () => {
    expect(score.total.injected).toBeGreaterThan(0);
    expect(score.total.injectedFound).toBe(score.total.injected);
  });

  it('raises <= 3% false alarms on parameters labelled ok', () => {
    expect(ratio(score.total.falseAlarms, score.total.okLabelled)).toBeLessThanOrEqual(0.03);
  });
});
