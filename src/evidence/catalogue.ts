import { join } from 'node:path';
import { defaultKnowledgeDir, formatProblem, LOG_SIGNATURES_FILE, readLogSignatures, type KnowledgeProblem } from '../knowledge/loader.js';
import type { LogFamily, LogSignature } from '../knowledge/log-signatures.js';

export interface CompiledSignature extends LogSignature {
  re: RegExp;
  /**
   * Lower-case words one of which every match contains (one per top-level alternative), or undefined when
   * the pattern has none to offer. A line without any of them cannot match: a substring test is far cheaper
   * than running the regex.
   */
  keywords: string[] | undefined;
}

const SPECIAL = new Set(['.', '*', '+', '?', '(', ')', '[', ']', '{', '}', '^', '$', '|']);

/**
 * Visits the characters of a pattern that are neither escaped nor inside a character class, with the group
 * depth before each; stops when `visit` returns true.
 */
function walk(pattern: string, visit: (c: string, i: number, depth: number) => boolean | void): void {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      continue;
    }
    if (visit(c, i, depth)) return;
    if (c === '(') depth++;
    else if (c === ')') depth--;
  }
}

/** Splits a pattern at its top-level `|` (not inside groups or classes). */
function topLevelBranches(pattern: string): string[] {
  const out: string[] = [];
  let start = 0;
  walk(pattern, (c, i, depth) => {
    if (c === '|' && depth === 0) {
      out.push(pattern.slice(start, i));
      start = i + 1;
    }
  });
  out.push(pattern.slice(start));
  return out;
}

/** The longest run of literal characters that every match of a branch contains (groups and classes skipped). */
function requiredLiteral(branch: string, min = 3): string | undefined {
  let best = '';
  let run = '';
  const flush = () => {
    if (run.length > best.length) best = run;
    run = '';
  };
  for (let i = 0; i < branch.length; i++) {
    const c = branch[i]!;
    const next = branch[i + 1];
    const optional = next === '?' || next === '*' || (next === '{' && branch[i + 2] === '0');
    if (c === '\\') {
      const e = branch[i + 1] ?? '';
      const after = branch[i + 2];
      i++;
      if (/[A-Za-z0-9]/.test(e)) {
        flush(); // \d, \s, \S, \w, \b: not a literal
        continue;
      }
      if (after === '?' || after === '*' || (after === '{' && branch[i + 2] === '0')) {
        flush();
        continue;
      }
      run += e;
      continue;
    }
    if (c === '(' || c === '[') {
      flush();
      // Find the end of the group or class: what is inside may be optional or alternative.
      const open = i;
      let depth = 0;
      for (; i < branch.length; i++) {
        const d = branch[i]!;
        if (d === '\\') {
          i++;
          continue;
        }
        if (d === '(' || d === '[') depth++;
        else if (d === ')' || d === ']') {
          depth--;
          if (depth === 0) break;
        }
      }
      // A group that must match (no quantifier after it) with a single branch inside contributes its own
      // required literal: "(?<received>received proposals: .+)" requires "received proposals: ".
      const after = branch[i + 1];
      if (c === '(' && after !== '?' && after !== '*' && after !== '{') {
        const inner = branch.slice(open + 1, i).replace(/^\?(?::|<[A-Za-z][A-Za-z0-9]*>)/, '');
        if (
          !branch.slice(open + 1, i).startsWith('?=') &&
          !branch.slice(open + 1, i).startsWith('?!') &&
          topLevelBranches(inner).length === 1
        ) {
          const w = requiredLiteral(inner, 1);
          if (w && w.length > best.length) best = w;
        }
      }
      continue;
    }
    if (SPECIAL.has(c)) {
      flush();
      continue;
    }
    if (optional) {
      flush();
      continue;
    }
    run += c;
  }
  flush();
  return best.length >= min ? best.toLowerCase() : undefined;
}

/**
 * A branch with a required group of plain alternatives ("generating (?:QUICK_MODE|CREATE_CHILD_SA) request")
 * as one branch per alternative, so each can offer a longer literal than the text around the group
 * ("generating " alone is on every other line of a charon log). Undefined when there is no such group.
 */
function expandAlternatives(branch: string): string[] | undefined {
  let variants: string[] | undefined;
  walk(branch, (c, i, depth) => {
    if (c !== '(' || depth !== 0) return false;
    const close = branch.indexOf(')', i);
    const alts = topLevelBranches(branch.slice(i + 1, close).replace(/^\?(?::|<[A-Za-z][A-Za-z0-9]*>)/, ''));
    const required = close > i && !/[?*{+]/.test(branch[close + 1] ?? '');
    if (!required || alts.length < 2 || alts.length > 8 || !alts.every((a) => /^[A-Za-z0-9 _:,=#'-]+$/.test(a))) return false;
    variants = alts.map((a) => branch.slice(0, i) + a + branch.slice(close + 1));
    return true;
  });
  return variants;
}

export function keywordsOf(pattern: string): string[] | undefined {
  const words: string[] = [];
  for (const branch of topLevelBranches(pattern)) {
    const w = requiredLiteral(branch);
    if (!w) return undefined;
    const variants = expandAlternatives(branch)?.map((v) => requiredLiteral(v));
    if (variants && variants.every((v): v is string => v !== undefined && v.length > w.length)) words.push(...variants);
    else words.push(w);
  }
  return words;
}

/**
 * The catalogue compiled for one family: its own signatures first (they are more precise), then the ones
 * shared by every family. `quick` is all their patterns in one alternation: most lines of a long log match
 * nothing, and one failed test is much cheaper than dozens.
 */
export interface Matcher {
  signatures: CompiledSignature[];
  quick: RegExp;
  /**
   * For searching a whole block of lines at once (global): when every signature has keywords, their literal
   * alternation, to run on the lower-cased block (`lowerCase` true); else the patterns' alternation.
   */
  scan: RegExp;
  lowerCase: boolean;
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class SignatureCatalogue {
  private readonly compiled: CompiledSignature[];
  private readonly matchers = new Map<string, Matcher>();

  constructor(signatures: readonly LogSignature[]) {
    this.compiled = signatures.map((s) => ({ ...s, re: new RegExp(s.pattern, 'i'), keywords: keywordsOf(s.pattern) }));
  }

  get size(): number {
    return this.compiled.length;
  }

  /** Signatures for a family (or every signature while the family is not known). */
  matcher(family: LogFamily | undefined): Matcher {
    const key = family ?? '*';
    let m = this.matchers.get(key);
    if (!m) {
      const own = this.compiled.filter(
        (s) => family === undefined || (Array.isArray(s.family) ? s.family.includes(family) : s.family === family),
      );
      const shared = family === undefined ? [] : this.compiled.filter((s) => s.family === 'any');
      const signatures = [...own, ...shared];
      // Named groups cannot repeat inside one regex: the quick test needs none of them.
      const source = signatures.map((s) => `(?:${s.pattern.replace(/\(\?<[A-Za-z][A-Za-z0-9]*>/g, '(?:')})`).join('|');
      const words = signatures.every((s) => s.keywords) ? [...new Set(signatures.flatMap((s) => s.keywords!))] : undefined;
      m = words
        ? { signatures, quick: new RegExp(source, 'i'), scan: new RegExp(words.map(escapeRegExp).join('|'), 'g'), lowerCase: true }
        : { signatures, quick: new RegExp(source, 'i'), scan: new RegExp(source, 'gim'), lowerCase: false };
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
