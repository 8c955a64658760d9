import type { LogFamily, LogFindingCode } from '../knowledge/log-signatures.js';

/** One line of the analysed text, quoted with its 1-based line number (already redacted). */
export interface QuotedLine {
  n: number;
  text: string;
}

/** A step of the topic the finding points to (the guide's advice), in the Reply's step shape. */
export interface FindingStep {
  text: string;
  commands?: string[];
  snippets?: { platform: string; kind: 'shell' | 'cli' | 'config'; lines: string[] }[];
}

export interface LogFinding {
  code: LogFindingCode;
  severity: 'error' | 'warning' | 'info';
  topic: string;
  /** The guide's section, verbatim (from the topic). */
  section: string;
  summary: string;
  /** The lines this finding relies on (first occurrences, at most a few). */
  lines: QuotedLine[];
  /** Values read from the lines and comparisons with the OutSystems policy. */
  evidence: Record<string, unknown>;
  steps: FindingStep[];
}

/** One event of the timeline; consecutive repeats of the same signature are collapsed into one entry. */
export interface TimelineEntry {
  /** Line of the first occurrence. */
  n: number;
  /** Line of the last occurrence when repeated. */
  lastN?: number;
  count: number;
  /** Timestamp as written in the log, when the line has one. */
  time?: string;
  signature: string;
  severity: 'error' | 'warning' | 'info';
  normal: boolean;
  code?: LogFindingCode;
  means: string;
  text: string;
}

export type LogVerdict = 'fault' | 'healthy' | 'unknown';

/** The log document of `vpn-doctor analyze --json` (GUIDE.md, "Stable contracts"). */
export interface LogDocument {
  kind: 'log';
  family: LogFamily | 'unknown';
  verdict: LogVerdict;
  /** Root cause first (the first error/warning in the order the log shows them), then the others. */
  findings: LogFinding[];
  timeline: TimelineEntry[];
  stats: {
    lines: number;
    /** Lines a signature recognised. */
    recognised: number;
    /** Timeline entries left out because the timeline is bounded. */
    timelineDropped: number;
    /** Secrets replaced in the quoted lines. */
    redactions: number;
  };
  /** Short notices for the user (a secret was redacted, rotate it; the log was not recognised). */
  notices: string[];
}
