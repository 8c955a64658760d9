import type { LogFamily, LogFindingCode } from '../knowledge/log-signatures.js';
import type { CompiledSignature, Matcher, SignatureCatalogue } from './catalogue.js';
import { FamilyVote } from './family.js';
import { readTimestamp } from './timestamps.js';
import { Timeline } from './timeline.js';
import type { TimelineEntry } from './types.js';
import { judgeProposals } from './proposal-phase.js';
import { SaCounters } from './sa-counters.js';
import { Lifetimes } from './lifetimes.js';

/** Lines longer than this are matched and quoted by their start only (a binary blob, a JSON dump). */
const MAX_LINE = 4096;
const QUOTE_CHARS = 600;
/** The family is decided after this many lines that carry a family mark, or this many lines in all. */
const FAMILY_MARKED = 40;
const FAMILY_LINES = 400;
const MAX_TIMELINE = 400;
const LINES_PER_FINDING = 4;
const MAX_DOWN_TIMES = 10_000;
/** Lines back from a "no proposal chosen" within which a rekey request makes it a rekey failure. */
const REKEY_WINDOW = 40;
/** How many lines before a "no proposal chosen" its proposal lists may be logged (strongSwan logs them just before). */
const PROPOSAL_WINDOW = 30;

export interface RawLine {
  n: number;
  text: string;
}

/** A proposal as a line names it: `value` is the proposal itself, `line` the whole line for quoting. */
export interface ProposalLine extends RawLine {
  line: string;
}

/** What the reader gathered for one finding code, in constant space. */
export interface FindingAcc {
  code: LogFindingCode;
  severity: 'error' | 'warning';
  firstN: number;
  count: number;
  lines: RawLine[];
  /** Lines that explain the finding without being it (the proposals in force when it happened). */
  context: RawLine[];
  values: Record<string, string[]>;
  signatures: string[];
  means: string;
}

export interface ReaderResult {
  family: LogFamily | undefined;
  lines: number;
  recognised: number;
  normalEvents: number;
  findings: FindingAcc[];
  timeline: TimelineEntry[];
  timelineDropped: number;
  /** Times (seconds) at which the tunnel went down, for periodicity. */
  downTimes: { n: number; seconds: number; text: string }[];
  /** Proposal strings seen, by role (received / configured / proposal), newest last, a few each. */
  proposals: Record<string, ProposalLine[]>;
  /** SAs whose counters show no traffic either way (idle, not a fault), with a line to quote. */
  idleSas: { count: number; line?: RawLine };
}

/**
 * Reads a log line by line in constant memory: every line is tested against the catalogue (one quick
 * alternation first), matched lines update a small state (is an SA up, is a rekey running, SA counters)
 * that decides what an ambiguous line means, and feed bounded accumulators (findings, timeline).
 */
export class LogReader {
  private n = 0;
  private recognised = 0;
  private normalEvents = 0;
  private readonly vote = new FamilyVote();
  private family: LogFamily | undefined;
  private familyFixed = false;
  private matcher: Matcher;
  private readonly findings = new Map<LogFindingCode, FindingAcc>();
  private readonly timeline = new Timeline(MAX_TIMELINE);
  private readonly downTimes: ReaderResult['downTimes'] = [];
  private readonly proposals: Record<string, ProposalLine[]> = {};
  // State that gives ambiguous lines their meaning.
  private ikeUp = false;
  private childUpEver = false;
  private lastRekeyN = -Infinity;
  private readonly counters = new SaCounters();
  private readonly lifetimes = new Lifetimes();
  private readonly idleSas: ReaderResult['idleSas'] = { count: 0 };
  private idlePackets = 0;
  private idleBytes = 0;
  /** What a rule found beyond the matched line: the lines to quote, values and severity of the finding. */
  private pending: { lines: RawLine[]; values: Record<string, string>; severity?: 'warning' } | undefined;

  constructor(private readonly catalogue: SignatureCatalogue) {
    this.matcher = catalogue.matcher(undefined);
  }

  push(raw: string): void {
    this.n += 1;
    const line = raw.length > MAX_LINE ? raw.slice(0, MAX_LINE) : raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (this.familyFixed) {
      this.match(line, this.n);
      return;
    }
    // Until the family is known the first lines wait (bounded): another vendor's broad pattern must not read them.
    this.head.push(line);
    this.vote.add(line);
    if (this.vote.marked >= FAMILY_MARKED || this.n >= FAMILY_LINES) this.fixFamily();
  }

  private readonly head: string[] = [];

  /**
   * A block of complete lines ("a\nb\n"; the last line may lack its newline). Once the family is known the
   * block is searched as a whole: only the lines where the catalogue's alternation matches are cut out and
   * examined, the others cost one newline count. Most lines of a long log match nothing, so this is where
   * the time goes.
   */
  pushBlock(text: string, from = 0, to = text.length): void {
    let pos = from;
    while (!this.familyFixed && pos < to) {
      const end = text.indexOf('\n', pos);
      const stop = end < 0 || end > to ? to : end;
      this.push(text.slice(pos, stop));
      pos = stop + 1;
    }
    if (pos >= to) return;
    const { scan } = this.matcher;
    // Lower-casing keeps positions for ASCII; where it would not (a few Unicode letters), search the original.
    const lowered = this.matcher.lowerCase ? text.toLowerCase() : text;
    const haystack = lowered.length === text.length ? lowered : text;
    const searchRe = haystack === text && this.matcher.lowerCase ? new RegExp(scan.source, 'gi') : scan;
    let counted = pos; // newlines before `counted` are already in this.n
    let n = this.n;
    searchRe.lastIndex = pos;
    for (let m = searchRe.exec(haystack); m !== null && m.index < to; m = searchRe.exec(haystack)) {
      const start = Math.max(pos, text.lastIndexOf('\n', m.index - 1) + 1);
      for (let i = text.indexOf('\n', counted); i >= 0 && i < start; i = text.indexOf('\n', i + 1)) n++;
      counted = start;
      let end = text.indexOf('\n', m.index);
      if (end < 0 || end > to) end = to;
      let line = text.slice(start, Math.min(end, start + MAX_LINE));
      if (line.endsWith('\r')) line = line.slice(0, -1);
      this.n = n + 1;
      this.match(line, n + 1);
      searchRe.lastIndex = end + 1;
      if (end >= to) break;
    }
    for (let i = text.indexOf('\n', counted); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
    // A last line without its newline is a line too.
    if (to > pos && text.charCodeAt(to - 1) !== 10) n++;
    this.n = n;
  }

  private match(line: string, n: number): void {
    if (line.length < 8 || !this.matcher.quick.test(line)) return;
    let sig: CompiledSignature | undefined;
    let m: RegExpExecArray | null = null;
    const lower = line.toLowerCase();
    for (const s of this.matcher.signatures) {
      if (s.keywords && !s.keywords.some((k) => lower.includes(k))) continue;
      const hit = s.re.exec(line);
      if (!hit) continue;
      // Known family: its catalogue order decides. Unknown family: the most specific (longest) match wins.
      if (this.family !== undefined) {
        sig = s;
        m = hit;
        break;
      }
      if (!m || hit[0].length > m[0].length) {
        sig = s;
        m = hit;
      }
    }
    if (!sig || !m) return;
    this.recognised += 1;
    this.apply(sig, m, { n, text: line.length > QUOTE_CHARS ? `${line.slice(0, QUOTE_CHARS)}...` : line });
  }

  private fixFamily(): void {
    this.familyFixed = true;
    this.family = this.vote.winner();
    if (this.family) this.matcher = this.catalogue.matcher(this.family);
    const first = this.n - this.head.length + 1;
    this.head.forEach((line, i) => this.match(line, first + i));
    this.head.length = 0;
  }

  private apply(sig: CompiledSignature, m: RegExpExecArray, line: RawLine): void {
    const groups = m.groups ?? {};
    let code: LogFindingCode | undefined = sig.code;
    switch (sig.event) {
      case 'ike-up':
        this.ikeUp = true;
        break;
      case 'ike-was-up':
        this.reclassifyAsPhase2();
        break;
      case 'retransmit':
        // Message IDs 0 and 1 are the IKE_SA_INIT/IKE_AUTH (or main mode) exchanges; a later ID is sent on an SA that is up.
        if (Number(groups.msgid ?? 0) >= 2) this.ikeUp = true;
        else if (!this.ikeUp && this.initialRetransmits.length < 1000) this.initialRetransmits.push({ n: line.n, text: line.text });
        break;
      case 'child-up':
        this.ikeUp = true;
        this.childUpEver = true;
        break;
      case 'rekey-start':
        this.lastRekeyN = line.n;
        break;
      case 'down':
        this.ikeUp = false;
        // The old SA closed by a rekey is no drop.
        if (line.n - this.lastRekeyN > REKEY_WINDOW) this.noteDown(line);
        break;
      case 'rekey':
        this.lastRekeyN = line.n;
        break;
      case 'give-up':
        // Retransmissions that end unanswered: on an SA that was up this is dead peer detection.
        code = this.ikeUp ? 'dpd-peer-dead' : 'ike-no-response';
        this.ikeUp = false;
        this.noteDown(line);
        break;
      case 'no-proposal':
        code = this.noProposalCode(code, line.n);
        break;
      case 'proposal':
        for (const role of ['received', 'configured', 'proposal'] as const) {
          if (groups[role]) this.keepProposal(role, line, groups[role]);
        }
        break;
      case 'counters':
        code = this.counted(groups, line);
        break;
      case 'lifetime': {
        const m = this.lifetimes.add(groups, sig.phase, line);
        if (m) {
          code = 'lifetime-mismatch';
          this.pending = {
            lines: m.lines,
            values: { lifeProposed: `${m.proposed} s`, lifeAccepted: `${m.accepted} s`, ...(m.phase ? { phase: String(m.phase) } : {}) },
            severity: 'warning',
          };
        }
        break;
      }
      default:
        break;
    }
    // A "no proposal chosen" in a CHILD_SA rekey of a CHILD_SA that came up: only the PFS group differs.
    if (code === 'child-proposal-mismatch' && this.childUpEver && line.n - this.lastRekeyN <= REKEY_WINDOW) code = 'pfs-mismatch';

    if (sig.normal) this.normalEvents += 1;
    const severity = code ? (this.pending?.severity ?? (sig.severity === 'info' ? 'error' : sig.severity)) : sig.severity;
    this.timeline.add(sig, line, code, severity);
    if (code) this.addFinding(code, sig, line, groups);
  }

  private noProposalCode(code: LogFindingCode | undefined, n: number): LogFindingCode {
    // The proposal lists logged just before say which phase failed, and whether only the PFS group differs.
    const recent = (role: string): string | undefined => {
      const p = this.proposals[role]?.at(-1);
      return p && n - p.n <= PROPOSAL_WINDOW ? p.text : undefined;
    };
    const judged = judgeProposals(recent('received'), recent('configured'));
    if (judged?.phase === 2) return judged.dhOnly ? 'pfs-mismatch' : code === 'pfs-mismatch' ? code : 'child-proposal-mismatch';
    if (judged?.phase === 1 && !this.ikeUp) return 'ike-proposal-mismatch';
    if (code && code !== 'ike-proposal-mismatch') return code;
    if (this.ikeUp) return 'child-proposal-mismatch';
    this.phaseGuessed = true;
    return 'ike-proposal-mismatch';
  }

  /** A "no proposal chosen" read as phase 1 only for want of evidence, and phase 1 turns out to have been up. */
  private phaseGuessed = false;
  private reclassifyAsPhase2(): void {
    const acc = this.findings.get('ike-proposal-mismatch');
    if (!acc || !this.phaseGuessed || this.findings.has('child-proposal-mismatch')) return;
    this.findings.delete('ike-proposal-mismatch');
    acc.code = 'child-proposal-mismatch';
    this.findings.set('child-proposal-mismatch', acc);
    for (const t of this.timeline.entries) if (t.code === 'ike-proposal-mismatch') t.code = 'child-proposal-mismatch';
  }

  /** Retransmissions of a first request while no SA is up (a few kept as evidence). */
  private readonly initialRetransmits: RawLine[] = [];

  private keepProposal(role: string, line: RawLine, value: string): void {
    const list = (this.proposals[role] ??= []);
    if (list.length > 0 && list[list.length - 1]!.line === line.text) return;
    list.push({ n: line.n, text: value, line: line.text });
    if (list.length > 6) list.shift();
  }

  /** SA counters come one direction per line (or both in one): judged once both are known. */
  private counted(groups: Record<string, string | undefined>, line: RawLine): LogFindingCode | undefined {
    const j = this.counters.add(groups, line);
    if (!j) return undefined;
    if (j.verdict === 'esp-not-received') {
      this.pending = { lines: j.lines, values: { sent: `${j.out} ${j.unit}`, received: `0 ${j.unit}` } };
      return 'esp-not-received';
    }
    if (j.verdict === 'flowing') this.normalEvents += 1;
    if (j.verdict === 'idle') {
      // An SA that exists and carries nothing yet: a normal state, said in a notice.
      this.normalEvents += 1;
      // A paste may give packets and bytes of the same SA: count SAs by packets where packets are given.
      if (j.unit === 'packets') this.idlePackets += 1;
      else this.idleBytes += 1;
      this.idleSas.count = this.idlePackets || this.idleBytes;
      this.idleSas.line ??= j.lines[0];
    }
    return undefined;
  }

  private noteDown(line: RawLine): void {
    const t = readTimestamp(line.text);
    if (t && this.downTimes.length < MAX_DOWN_TIMES) this.downTimes.push({ n: line.n, seconds: t.seconds, text: line.text });
  }

  private addFinding(code: LogFindingCode, sig: CompiledSignature, line: RawLine, groups: Record<string, string | undefined>): void {
    let acc = this.findings.get(code);
    const extra = this.pending;
    this.pending = undefined;
    // A code that a rule gave to an informational line (SA counters) is an error, unless the rule said otherwise.
    const severity = extra?.severity ?? (sig.severity === 'info' ? 'error' : sig.severity);
    if (!acc) {
      acc = {
        code,
        severity,
        firstN: line.n,
        count: 0,
        lines: [],
        context: [],
        values: {},
        signatures: [],
        means: sig.means,
      };
      this.findings.set(code, acc);
      // The proposals in force when it first happened explain a proposal failure.
      for (const role of ['configured', 'received', 'proposal']) {
        const p = this.proposals[role]?.at(-1);
        if (p && /proposal|pfs/.test(code)) acc.context.push({ n: p.n, text: p.line });
      }
    }
    if (severity === 'error') acc.severity = 'error';
    acc.count += 1;
    for (const l of extra?.lines ?? [line]) {
      if (acc.lines.length < LINES_PER_FINDING && !acc.lines.some((x) => x.text === l.text)) acc.lines.push(l);
    }
    if (!acc.signatures.includes(sig.id) && acc.signatures.length < 8) acc.signatures.push(sig.id);
    const values: Record<string, string | undefined> = { ...groups, ...extra?.values };
    for (const name of [...sig.extract, ...Object.keys(extra?.values ?? {})]) {
      const v = values[name];
      if (v === undefined) continue;
      const list = (acc.values[name] ??= []);
      if (!list.includes(v) && list.length < 5) list.push(v);
    }
  }

  finish(): ReaderResult {
    if (!this.familyFixed) this.fixFamily();
    // Three or more retransmissions of a first request and nothing else wrong: nobody answers.
    if (
      this.initialRetransmits.length >= 3 &&
      ![...this.findings.values()].some((f) => f.severity === 'error' || f.severity === 'warning') &&
      !this.ikeUp
    ) {
      const first = this.initialRetransmits[0]!;
      this.findings.set('ike-no-response', {
        code: 'ike-no-response',
        severity: 'error',
        firstN: first.n,
        count: this.initialRetransmits.length,
        lines: this.initialRetransmits.slice(0, LINES_PER_FINDING),
        context: [],
        values: {},
        signatures: ['retransmissions-unanswered'],
        means: 'The first request was sent again and again without an answer.',
      });
    }
    return {
      family: this.family,
      lines: this.n,
      recognised: this.recognised,
      normalEvents: this.normalEvents,
      findings: [...this.findings.values()].sort((a, b) => a.firstN - b.firstN),
      timeline: this.timeline.entries,
      timelineDropped: this.timeline.dropped,
      downTimes: this.downTimes,
      proposals: this.proposals,
      idleSas: this.idleSas,
    };
  }
}
