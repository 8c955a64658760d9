/**
 * Text normalisation for the classifier: lowercasing, contraction expansion, typo correction against the
 * known vocabulary, the field's phrase/abbreviation layer (lexicon.ts), light stemming, concept features.
 *
 * The same function runs over training examples and over user messages, so the two always agree: the
 * stemmer only has to be consistent, not linguistically right.
 */
import { ALIASES, CONCEPTS, PHRASES, STOPWORDS } from './lexicon.js';

export interface NormalizedText {
  /** Content tokens: canonical, stemmed, stopwords removed. */
  tokens: string[];
  /** "#concept" features implied by the tokens (see lexicon.ts). */
  concepts: string[];
  /** Canonical tokens joined by spaces, stopwords kept: input for character n-grams. */
  canonical: string;
}

// IPs, CIDRs and ports are entities (entities.ts); their digits as tokens would only add noise.
const MASK_RE = /(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?:\/\d{1,2})?(?::\d{1,5})?(?![\d.])/g;
// "sql01.corp.local", "acme.internal": a private DNS name is a feature by itself (resolving internal domains).
// Only the last label is looked at, so the scan stays linear even on "a.a.a.a..." input.
const INTERNAL_NAME_RE = /(?<=[a-z0-9])\.(?:local|lan|internal|intranet|corp|home|localdomain|ad)\b(?!\.[a-z])/g;
const CONTRACTIONS: [RegExp, string][] = [
  [/\bcan'?t\b|\bcannot\b|\bcan not\b|\bunable to\b/g, ' cannot '],
  [/\bwon'?t\b/g, ' will not '],
  [/\b(do|does|did|is|are|was|were|has|have|had|could|would|should|need)n'?t\b/g, ' $1 not '],
  [/n't\b/g, ' not'],
  [/'(re|ll|ve|d|m|s)\b/g, ''],
];

/** Consistent, tiny suffix stripper (Porter would be overkill and slower for ~10-word messages). */
export function stem(word: string): string {
  if (word.length <= 3 || hasDigit(word) || word.startsWith('#')) return word;
  let w = word;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(?:ss|us|is|os)$/.test(w)) w = w.slice(0, -1);
  for (const suffix of ['ing', 'ed']) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 3) {
      w = w.slice(0, -suffix.length);
      // "dropped" -> "dropp" -> "drop"; keep ll/ss/zz ("installed" -> "install").
      if (/([b-df-hj-km-np-rtv-y])\1$/.test(w)) w = w.slice(0, -1);
      break;
    }
  }
  // Final "e" always goes, so "move"/"moved"/"moving" and "resolve"/"resolved" share one stem.
  if (w.endsWith('e') && w.length > 3) w = w.slice(0, -1);
  return w;
}

const STEMMED_CONCEPTS = new Map<string, string[]>();
for (const [word, concepts] of Object.entries(CONCEPTS)) {
  for (const key of new Set([word, stem(word)])) {
    STEMMED_CONCEPTS.set(key, [...new Set([...(STEMMED_CONCEPTS.get(key) ?? []), ...concepts])]);
  }
}

/** Every word the lexicon itself knows: always a valid typo-correction target. */
export function lexiconWords(): string[] {
  const words = new Set<string>();
  for (const [k, v] of Object.entries(ALIASES)) {
    words.add(k);
    words.add(v);
  }
  for (const k of Object.keys(CONCEPTS)) words.add(k);
  for (const [re] of PHRASES) for (const w of re.source.match(/[a-z]{4,}/g) ?? []) words.add(w);
  return [...words];
}

/** Lowercase, unify apostrophes and dashes, expand contractions, mask addresses. */
export function prepare(text: string): string {
  // NFKC only when needed: most messages are plain ASCII and normalize() is not free.
  let s = (/[^\x00-\x7f]/.test(text) ? text.normalize('NFKC') : text).toLowerCase().replace(/[\u2018\u2019\u201b\u2032`´]/g, "'");
  s = s.replace(MASK_RE, ' ');
  s = s.replace(INTERNAL_NAME_RE, '$& internaldomain ');
  for (const [re, rep] of CONTRACTIONS) s = s.replace(re, rep);
  return s;
}

/** Splits prepared text into raw word tokens (letters/digits only). */
export function rawTokens(prepared: string): string[] {
  return prepared.match(/[a-z0-9]+/g) ?? [];
}

/**
 * Typo correction by Damerau-Levenshtein distance 1 against a vocabulary. Words are bucketed by first
 * letter and length: typos rarely hit the first letter (requiring it also avoids "printer" -> "pointer"
 * jumps), and a distance-1 fix differs in length by at most one, so three small buckets hold every
 * candidate. Building the buckets is a single pass (the build budget is 200 ms).
 */
export class TypoCorrector {
  private readonly vocab = new Map<string, number>();
  private readonly buckets = new Map<string, string[]>();
  private readonly cache = new Map<string, string>();

  constructor(words: Iterable<string>) {
    for (const w of words) this.vocab.set(w, (this.vocab.get(w) ?? 0) + 1);
    for (const w of this.vocab.keys()) {
      if (w.length < 3 || hasDigit(w)) continue;
      const k = w[0]! + w.length;
      const list = this.buckets.get(k);
      if (list) list.push(w);
      else this.buckets.set(k, [w]);
    }
  }

  has(word: string): boolean {
    return this.vocab.has(word);
  }

  /** The corrected word, or the word itself when it is known, short, numeric or has no fix. */
  correct(word: string): string {
    if (word.length < 4 || this.vocab.has(word) || hasDigit(word)) return word;
    const cached = this.cache.get(word);
    if (cached !== undefined) return cached;
    let best = word;
    let bestFreq = 0;
    for (let len = word.length - 1; len <= word.length + 1; len++) {
      for (const c of this.buckets.get(word[0]! + len) ?? []) {
        if (!withinOneEdit(word, c)) continue;
        const freq = this.vocab.get(c)!;
        // Most frequent candidate wins; ties go to the alphabetically first, so results are stable.
        if (freq > bestFreq || (freq === bestFreq && c < best)) {
          best = c;
          bestFreq = freq;
        }
      }
    }
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(word, best);
    return best;
  }
}

function hasDigit(w: string): boolean {
  for (let i = 0; i < w.length; i++) {
    const c = w.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}

/** True when a and b differ by one insertion, deletion, substitution or adjacent transposition. */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  if (a.length === b.length) {
    let i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // substitution
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // transposition
  }
  const [s, l] = a.length < b.length ? [a, b] : [b, a];
  if (l.length - s.length !== 1) return false;
  let i = 0;
  while (i < s.length && s[i] === l[i]) i++;
  return s.slice(i) === l.slice(i + 1);
}

export class Normalizer {
  constructor(private readonly corrector?: TypoCorrector) {}

  normalize(text: string): NormalizedText {
    return this.normalizeBatch([text])[0]!;
  }

  /**
   * Normalises many texts at once. The phrase layer runs each of its ~100 patterns once over all texts
   * joined by newlines (no pattern can span a newline), which makes building from ~1,000 training texts
   * several times faster than one call per text, with exactly the same result.
   */
  normalizeBatch(texts: readonly string[]): NormalizedText[] {
    return this.normalizeTokenized(texts.map((t) => rawTokens(prepare(t))));
  }

  /** `normalizeBatch` for texts already through `prepare` + `rawTokens` (the build needs those tokens too). */
  normalizeTokenized(tokenLists: readonly string[][]): NormalizedText[] {
    // 1. word tokens, typo-corrected and aliased one by one
    const lines = tokenLists.map((words) =>
      words
        .map((w) => {
          const fixed = this.corrector ? this.corrector.correct(w) : w;
          return ALIASES[fixed] ?? fixed;
        })
        .join(' '),
    );
    // 2. phrase layer (multi-word forms -> one canonical token)
    let joined = ` ${lines.join(' \n ')} `;
    for (const [re, rep] of PHRASES) joined = joined.replace(re, rep);
    // 3. aliases again (phrases can produce alias keys), stopwords, stemming, concepts
    return joined.split('\n').map((line) => {
      const canonicalWords: string[] = [];
      const tokens: string[] = [];
      const concepts = new Set<string>();
      for (const raw of line.split(' ')) {
        if (!raw) continue;
        const w = ALIASES[raw] ?? raw;
        canonicalWords.push(w);
        if (STOPWORDS.has(w) || (w.length < 2 && !hasDigit(w))) continue;
        const s = stem(w);
        tokens.push(s);
        for (const c of STEMMED_CONCEPTS.get(w) ?? STEMMED_CONCEPTS.get(s) ?? []) concepts.add(c);
      }
      return { tokens, concepts: [...concepts], canonical: canonicalWords.join(' ') };
    });
  }
}
