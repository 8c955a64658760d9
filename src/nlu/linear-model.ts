/**
 * Multinomial logistic regression over sparse vectors, trained by SGD at start-up.
 *
 * Why this model: on ~600 short training texts a discriminative linear model learns which words separate
 * neighbouring topics (phase 1 vs phase 2, ping DNS vs ping front-ends) far better than similarity to a
 * topic's centroid, trains in tens of milliseconds, and predicts with one sparse dot product per class.
 * Weights are stored feature-major ([feature][class]) so a prediction walks contiguous memory.
 */
import type { SparseVector } from './features.js';

export interface TrainOptions {
  epochs: number;
  learningRate: number;
  /** L2 penalty, applied to the weights a sample updates (lazy regularisation keeps SGD sparse). */
  l2: number;
  seed: number;
  /** Classes whose gradient |p - y| is below this are not updated for a sample (sparse SGD). */
  minGradient: number;
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = { epochs: 6, learningRate: 1.2, l2: 3e-4, seed: 7, minGradient: 0.01 };

export interface TrainingSample {
  x: SparseVector;
  y: number;
  /** Per-sample weight: keywords and titles count less than full example sentences. */
  weight: number;
}

export class SoftmaxModel {
  private constructor(
    readonly classes: number,
    readonly features: number,
    private readonly w: Float32Array,
    private readonly b: Float64Array,
  ) {}

  static train(samples: TrainingSample[], classes: number, features: number, opts: TrainOptions): SoftmaxModel {
    const w = new Float32Array(features * classes);
    const b = new Float64Array(classes);
    const model = new SoftmaxModel(classes, features, w, b);
    const order = samples.map((_, i) => i);
    const rand = mulberry32(opts.seed);
    const p = new Float64Array(classes);
    const active = new Int32Array(classes);
    let step = 0;
    const total = opts.epochs * samples.length;
    for (let epoch = 0; epoch < opts.epochs; epoch++) {
      shuffle(order, rand);
      for (const si of order) {
        const s = samples[si]!;
        // Linear decay: big steps first, fine-tuning at the end (no tuning of a schedule needed).
        const lr = opts.learningRate * (1 - step / total) + 0.01;
        step++;
        model.logits(s.x, p);
        softmaxInPlace(p);
        p[s.y]! -= 1;
        const { idx, val } = s.x;
        // Only classes with a real gradient are updated: once a sample is learned most p[c] are ~0, and
        // skipping them makes later epochs several times cheaper (the build budget is 200 ms).
        let nActive = 0;
        for (let c = 0; c < classes; c++) {
          if (Math.abs(p[c]!) < opts.minGradient) continue;
          active[nActive++] = c;
          b[c]! -= lr * s.weight * p[c]!;
        }
        const decay = 1 - lr * opts.l2;
        for (let k = 0; k < idx.length; k++) {
          const base = idx[k]! * classes;
          const v = val[k]! * lr * s.weight;
          for (let a = 0; a < nActive; a++) {
            const c = active[a]!;
            w[base + c] = w[base + c]! * decay - v * p[c]!;
          }
        }
      }
    }
    return model;
  }

  /** Raw class scores into `out` (length = classes). */
  logits(x: SparseVector, out: Float64Array): Float64Array {
    const { classes, w, b } = this;
    for (let c = 0; c < classes; c++) out[c] = b[c]!;
    const { idx, val } = x;
    for (let k = 0; k < idx.length; k++) {
      const base = idx[k]! * classes;
      const v = val[k]!;
      for (let c = 0; c < classes; c++) out[c]! += w[base + c]! * v;
    }
    return out;
  }

  /** Weight of one feature for one class (for explanations and debugging). */
  weight(feature: number, cls: number): number {
    return this.w[feature * this.classes + cls]!;
  }

  /** Class probabilities. */
  predict(x: SparseVector): Float64Array {
    return softmaxInPlace(this.logits(x, new Float64Array(this.classes)));
  }
}

export function softmaxInPlace(z: Float64Array, temperature = 1): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < z.length; i++) if (z[i]! > max) max = z[i]!;
  let sum = 0;
  for (let i = 0; i < z.length; i++) {
    z[i] = Math.exp((z[i]! - max) / temperature);
    sum += z[i]!;
  }
  for (let i = 0; i < z.length; i++) z[i]! /= sum;
  return z;
}

/** Small deterministic PRNG: the same knowledge base always trains the same model. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle(a: number[], rand: () => number): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
}
