/**
 * Issue 12, point 4: accuracy floors of the log reader on its own labelled corpus (the blind corpus is the
 * benchmark's business, never this test's). Real entries: >= 0.90 of faults to the right guide section,
 * >= 0.80 to the right code, >= 0.95 of normal entries not alarmed.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeLogText } from '../../src/evidence/analyze.js';
import { judgeEntry, readCorpus, score } from '../../src/evidence/corpus.js';

const DIR = join(fileURLToPath(new URL('.', import.meta.url)), '..', 'fixtures', 'evidence', 'logs');

describe('the log corpus', () => {
  const entries = readCorpus(DIR);
  const results = entries.map((e) => judgeEntry(e, analyzeLogText(e.text)));

  it('is labelled as the evidence contract says: at least 150 entries over at least 12 families, each with a source', () => {
    expect(entries.length).toBeGreaterThanOrEqual(150);
    expect(new Set(entries.map((e) => e.family)).size).toBeGreaterThanOrEqual(12);
    for (const e of entries) expect(e.source.length, e.id).toBeGreaterThan(0);
  });

  it('meets the accuracy floors on the real entries', () => {
    const s = score(results.filter((r) => r.entry.origin === 'real'));
    const misses = results
      .filter((r) => !r.rightCode || r.falseAlarm)
      .map((r) => `${r.entry.id}: expected ${r.entry.expect.code ?? r.entry.expect.verdict}, got ${r.code ?? r.verdict}`);
    expect(s.faults).toBeGreaterThan(30);
    expect(s.faultSection / s.faults, misses.join('\n')).toBeGreaterThanOrEqual(0.9);
    expect(s.faultCode / s.faults, misses.join('\n')).toBeGreaterThanOrEqual(0.8);
    expect(s.normalNotAlarmed / s.normals, misses.join('\n')).toBeGreaterThanOrEqual(0.95);
  });

  it('names the right code for every lab fault (our own strongSwan logs)', () => {
    const lab = results.filter((r) => r.entry.origin === 'lab' && r.entry.expect.verdict === 'fault');
    expect(lab.length).toBeGreaterThanOrEqual(5);
    for (const r of lab) expect(r.code, r.entry.id).toBe(r.entry.expect.code);
  });
});
