/**
 * Turns text into a sparse, L2-normalised TF-IDF vector over several feature groups:
 *   w: word stems, b: word bigrams, c: "#concept" features (lexicon), e: entity features (entities.ts),
 *   g: character n-grams (typo-robust, catch morphology the stemmer misses),
 *   o: how much of the message is vocabulary the topics never use (off-topic signal).
 * Each group is normalised on its own and then weighted, so the many char n-grams cannot drown out the
 * few concept/entity features.
 */
import { entityFeatures } from './entities.js';
import type { NormalizedText } from './normalize.js';
import type { Entities } from './types.js';

export type FeatureGroup = 'w' | 'b' | 'c' | 'e' | 'g' | 'o';

export interface FeatureOptions {
  /** Relative weight of each group in the final vector (0 disables it). */
  weights: Record<FeatureGroup, number>;
  charNgramMin: number;
  charNgramMax: number;
}

export const DEFAULT_FEATURE_OPTIONS: FeatureOptions = {
  weights: { w: 1, b: 0.5, c: 0.4, e: 0.5, g: 1, o: 0.5 },
  // 4-grams only: as accurate as 3..5 on the evaluation and cross-validation, with half the non-zeros
  // (training cost is linear in them).
  charNgramMin: 4,
  charNgramMax: 4,
};

/**
 * Feature keys are 31-bit integers: the group code in the top 3 bits, a 28-bit FNV-1a hash of the value
 * below. Hashing straight from the token's characters means no n-gram substrings are allocated (building
 * from ~1,000 texts was dominated by garbage collection of those strings). Collisions in 2^28 buckets
 * among ~10k features are negligible.
 */
export type FeatureKey = number;

const GROUPS: FeatureGroup[] = ['w', 'b', 'c', 'e', 'g', 'o'];
const GROUP_CODE: Record<FeatureGroup, number> = { w: 0, b: 1, c: 2, e: 3, g: 4, o: 5 };
const HASH_MASK = 0x0fffffff;

function fnv(h: number, s: string, from = 0, to = s.length): number {
  for (let i = from; i < to; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h;
}
const FNV_SEED = 0x811c9dc5;
const SPACE = 32;

function key(group: FeatureGroup, hash: number): FeatureKey {
  return ((GROUP_CODE[group] << 28) | (hash & HASH_MASK)) >>> 0;
}

export function groupOfKey(k: FeatureKey): FeatureGroup {
  return GROUPS[k >>> 28]!;
}

/**
 * Raw feature counts for one text. `unknownShare` is the share of the message's tokens that no topic text
 * uses (0..1); it lets the model learn that mostly-foreign vocabulary means off-topic. When `names` is
 * given, each key's readable name is recorded there (for explanations only; it allocates).
 */
export function rawFeatures(
  norm: NormalizedText,
  entities: Entities,
  opts: FeatureOptions,
  unknownShare = 0,
  names?: Map<FeatureKey, string>,
): Map<FeatureKey, number> {
  const f = new Map<FeatureKey, number>();
  // Names are built only when asked for: a closure per feature would dominate garbage collection.
  const add = (k: FeatureKey, name: string | null) => {
    f.set(k, (f.get(k) ?? 0) + 1);
    if (names && name !== null && !names.has(k)) names.set(k, name);
  };
  const named = names !== undefined;
  const { weights } = opts;
  const { tokens } = norm;
  if (weights.w) for (const t of tokens) add(key('w', fnv(FNV_SEED, t)), named ? `w:${t}` : null);
  if (weights.b) {
    for (let i = 1; i < tokens.length; i++) {
      const a = tokens[i - 1]!;
      const b = tokens[i]!;
      add(key('b', fnv(fnv(fnv(FNV_SEED, a), '_'), b)), named ? `b:${a}_${b}` : null);
    }
  }
  if (weights.c) for (const c of norm.concepts) add(key('c', fnv(FNV_SEED, c)), named ? `c:${c}` : null);
  if (weights.e) for (const e of entityFeatures(entities)) add(key('e', fnv(FNV_SEED, e)), named ? `e:${e}` : null);
  if (weights.o) {
    // Buckets rather than a raw number: a linear model gets a separate weight per level.
    const level = tokens.length === 0 ? 4 : unknownShare === 0 ? 0 : unknownShare < 0.34 ? 1 : unknownShare < 0.67 ? 2 : 3;
    add(key('o', level + 1), named ? `o:unknown${level}` : null);
  }
  if (weights.g) {
    // Character n-grams of " token " (padded, so word starts and ends are features of their own).
    for (const t of tokens) {
      const len = t.length + 2;
      for (let n = opts.charNgramMin; n <= opts.charNgramMax; n++) {
        for (let i = 0; i + n <= len; i++) {
          let h = FNV_SEED;
          for (let j = i; j < i + n; j++) {
            h ^= j === 0 || j === len - 1 ? SPACE : t.charCodeAt(j - 1);
            h = Math.imul(h, 0x01000193);
          }
          add(key('g', h), named ? `g:${` ${t} `.slice(i, i + n)}` : null);
        }
      }
    }
  }
  return f;
}

export interface SparseVector {
  idx: Int32Array;
  val: Float64Array;
}

/** Feature index + IDF fitted on the training documents. */
export class Vectorizer {
  readonly index = new Map<FeatureKey, number>();
  private idf = new Float64Array(0);
  private groupOf = new Uint8Array(0);
  private readonly groupWeight: Float64Array;

  constructor(readonly opts: FeatureOptions) {
    this.groupWeight = Float64Array.from(GROUPS, (g) => opts.weights[g]);
  }

  fit(docs: Map<FeatureKey, number>[]): void {
    const df = new Map<FeatureKey, number>();
    for (const d of docs) for (const k of d.keys()) df.set(k, (df.get(k) ?? 0) + 1);
    const keys = [...df.keys()];
    this.idf = new Float64Array(keys.length);
    this.groupOf = new Uint8Array(keys.length);
    keys.forEach((k, i) => {
      this.index.set(k, i);
      // Smoothed IDF (sklearn's): never zero, so a word present in every example still counts a little.
      this.idf[i] = Math.log((1 + docs.length) / (1 + df.get(k)!)) + 1;
      this.groupOf[i] = k >>> 28;
    });
  }

  get size(): number {
    return this.index.size;
  }

  /** Sparse vector (indices unsorted: the linear model does not need order). */
  transform(raw: Map<FeatureKey, number>): SparseVector {
    const idx = new Int32Array(raw.size);
    const val = new Float64Array(raw.size);
    const groupNorm = new Float64Array(GROUPS.length);
    let m = 0;
    for (const [k, count] of raw) {
      const i = this.index.get(k);
      if (i === undefined) continue; // unseen in training: carries no learned weight anyway
      const v = (1 + Math.log(count)) * this.idf[i]!;
      idx[m] = i;
      val[m] = v;
      groupNorm[this.groupOf[i]!]! += v * v;
      m++;
    }
    for (let g = 0; g < GROUPS.length; g++) {
      groupNorm[g] = groupNorm[g]! > 0 ? this.groupWeight[g]! / Math.sqrt(groupNorm[g]!) : 0;
    }
    let total = 0;
    for (let j = 0; j < m; j++) {
      val[j]! *= groupNorm[this.groupOf[idx[j]!]!]!;
      total += val[j]! * val[j]!;
    }
    const inv = total > 0 ? 1 / Math.sqrt(total) : 0;
    for (let j = 0; j < m; j++) val[j]! *= inv;
    return { idx: idx.subarray(0, m), val: val.subarray(0, m) };
  }
}
