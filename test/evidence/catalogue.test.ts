import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { keywordsOf, loadSignatureCatalogue } from '../../src/evidence/catalogue.js';
import { checkKnowledgeDir, defaultKnowledgeDir } from '../../src/knowledge/loader.js';
import { LOG_FAMILIES, LOG_FINDING_CODES } from '../../src/knowledge/log-signatures.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A copy of the shipped knowledge folder whose signature catalogue gets one extra entry. */
function withSignature(entry: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'vd-sigs-'));
  dirs.push(dir);
  cpSync(defaultKnowledgeDir(), dir, { recursive: true });
  const file = join(dir, 'log-signatures.yaml');
  const doc = parse(readFileSync(file, 'utf8')) as { signatures: unknown[] };
  doc.signatures.push(entry);
  writeFileSync(file, stringify(doc));
  return dir;
}

const good = {
  id: 'test-extra',
  family: 'strongswan',
  pattern: 'something (?<peer>\\S+) failed',
  means: 'A test entry.',
  code: 'psk-mismatch',
  topic: 'phase1-ike-failure',
  severity: 'error',
  extract: ['peer'],
};

describe('the log signature catalogue (kb check)', () => {
  it('the shipped catalogue is valid, covers every family and every finding code', () => {
    const { kb, problems } = checkKnowledgeDir(defaultKnowledgeDir());
    expect(problems).toEqual([]);
    const sigs = kb!.logSignatures!.signatures;
    const families = new Set(sigs.flatMap((s) => (Array.isArray(s.family) ? s.family : [s.family])));
    for (const f of LOG_FAMILIES) expect(families, f).toContain(f);
    const codes = new Set(sigs.map((s) => s.code));
    // rekey-collision and lifetime-mismatch also come from the periodicity rule, esp-not-received from counters.
    for (const c of LOG_FINDING_CODES.filter((c) => !['lifetime-mismatch', 'esp-not-received'].includes(c))) expect(codes, c).toContain(c);
    expect(sigs.some((s) => s.normal)).toBe(true);
  });

  it('accepts a well-formed extra entry', () => {
    expect(checkKnowledgeDir(withSignature(good)).problems).toEqual([]);
  });

  it.each([
    ['a pattern that does not compile', { ...good, pattern: 'broken (' }, /does not compile/],
    ['a code with another topic', { ...good, topic: 'dpd-idle-instability' }, /belongs to topic phase1-ike-failure/],
    ['a code without its topic', { ...good, topic: undefined }, /must name its topic/],
    ['an extracted value without its named group', { ...good, extract: ['missing'] }, /no named group "missing"/],
    ['a normal event with a code', { ...good, normal: true, severity: 'info' }, /normal event carries no finding code/],
    ['an unknown family', { ...good, family: 'zyxel' }, /family/],
    ['an unknown code', { ...good, code: 'made-up-code' }, /code/],
    ['a duplicate id', { ...good, id: 'strongswan-ike-no-proposal' }, /duplicate id/],
  ])('names the problem of %s', (_what, entry, message) => {
    const { kb, problems } = checkKnowledgeDir(withSignature(entry));
    expect(kb).toBeUndefined();
    const text = problems.map((p) => `${p.file}: ${p.path}: ${p.message}`).join('\n');
    expect(text).toMatch(/log-signatures\.yaml/);
    expect(text).toMatch(message);
  });
});

describe('keywords (the cheap pre-test of a signature)', () => {
  it('are literal words every match contains, one per top-level alternative', () => {
    expect(keywordsOf('received AUTHENTICATION_FAILED notify(?: error)?')).toEqual(['received authentication_failed notify']);
    expect(keywordsOf('(?<received>received proposals: .+)|(?<configured>configured proposals: .+)')).toEqual([
      'received proposals: ',
      'configured proposals: ',
    ]);
    // An optional group offers nothing; a branch without a literal makes the whole signature keyword-less.
    expect(keywordsOf('(?:foo)?\\d+')).toBeUndefined();
  });

  it('split a required group of plain alternatives into one longer keyword each, and keep the short one when that gains nothing', () => {
    expect(keywordsOf('generating (?:QUICK_MODE|CREATE_CHILD_SA) request \\d+')).toEqual([
      'generating quick_mode request ',
      'generating create_child_sa request ',
    ]);
    expect(keywordsOf('(?:IKE_SA|CHILD_SA) \\S+ rekeyed')).toEqual([' rekeyed']);
  });

  it('never rule out a line the pattern matches (every shipped signature, on the corpus lines it matches)', () => {
    const catalogue = loadSignatureCatalogue();
    const dir = join(defaultKnowledgeDir(), '..', 'test', 'fixtures', 'evidence', 'logs');
    const lines: string[] = [];
    for (const f of ['lab-strongswan.yaml', 'real-cisco-asa.yaml', 'real-libreswan.yaml', 'real-juniper-srx.yaml']) {
      for (const e of parse(readFileSync(join(dir, f), 'utf8')) as { text: string }[]) lines.push(...e.text.split('\n'));
    }
    let checked = 0;
    for (const s of catalogue.matcher(undefined).signatures) {
      for (const line of lines) {
        if (!s.re.test(line) || !s.keywords) continue;
        checked++;
        expect(
          s.keywords.some((k) => line.toLowerCase().includes(k)),
          `${s.id} on ${line}`,
        ).toBe(true);
      }
    }
    expect(checked).toBeGreaterThan(50);
  });
});
