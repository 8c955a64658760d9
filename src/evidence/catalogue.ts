import { join } from 'node:path';
import { defaultKnowledgeDir, formatProblem, LOG_SIGNATURES_FILE, readLogSignatures, type KnowledgeProblem } from '../knowledge/loader.js';
import type { LogFamily, LogSignature } from '../knowledge/log-signatures.js';

export interface CompiledSignature extends LogSignature {
  re: RegExp;
}

/**
 * The catalogue compiled for one family: its own signatures first (they are more precise), then the ones
 * shared by every family. `quick` is all their patterns in one alternation: most lines of a long log match
 * nothing, and one failed test is much cheaper than dozens.
 */
export interface Matcher {
  signatures: CompiledSignature[];
  quick: RegExp;
}

export class SignatureCatalogue {
  private readonly compiled: CompiledSignature[];
  private readonly matchers = new Map<string, Matcher>();

  constructor(signatures: readonly LogSignature[]) {
    this.compiled = signatures.map((s) => ({ ...s, re: new RegExp(s.pattern, 'i') }));
  }

  get size(): number {
    return this.compiled.length;
  }

  /** Signatures for a family (or every signature while the family is not known). */
  matcher(family: LogFamily | undefined): Matcher {
    const key = family ?? '*';
    let m = this.matchers.get(key);
    if (!m) {
      const own = this.compiled.filter((s) => family === undefined || (Array.isArray(s.family) ? s.family.includes(family) : s.family === family));
      const shared = family === undefined ? [] : this.compiled.filter((s) => s.family === 'any');
      const signatures = [...own, ...shared];
      // Named groups cannot repeat inside one regex: the quick test needs none of them.
      const quick = new RegExp(signatures.map((s) => `(?:${s.pattern.replace(/\(\?<[A-Za-z][A-Za-z0-9]*>/g, '(?:')})`).join('|'), 'i');
      m = { signatures, quick };
      this.matchers.set(key, m);
    }
    return m;
  }
}

const cache = new Map<string, SignatureCatalogue>();

/** Loads (once per folder) and compiles the catalogue; throws naming every problem when it is invalid. */
export function loadSignatureCatalogue(dir: string = defaultKnowledgeDir()): SignatureCatalogue {
  const cached = cache.get(dir);
  if (cached) return cached;
  const problems: KnowledgeProblem[] = [];
  const data = readLogSignatures(join(dir, LOG_SIGNATURES_FILE), problems);
  if (!data) throw new Error(`log signature catalogue is invalid:\n${problems.map(formatProblem).join('\n')}`);
  const catalogue = new SignatureCatalogue(data.signatures);
  cache.set(dir, catalogue);
  return catalogue;
}
