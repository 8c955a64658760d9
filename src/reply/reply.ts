/**
 * The platform-neutral answer. This value is the whole contract between the conversation core and the
 * adapters (terminal, Slack Block Kit, Teams Adaptive Cards, JSON): the core never formats for a platform,
 * an adapter never decides what to say.
 */

export type ReplyKind =
  | 'answer' // a knowledge topic answering a question
  | 'choices' // not sure: asks the user to pick one of a few topics
  | 'help' // usage, or a friendly nudge for off-topic chatter
  | 'list' // a listing (topics, agents)
  | 'check' // results of a connectivity check
  | 'progress' // a check still running
  | 'analysis' // a pasted or uploaded log or configuration, read by the evidence engine
  | 'error'; // something went wrong; summary says what

/**
 * Platform-specific lines of a step. `shell` = typed at an OS shell prompt, `cli` = typed at a network
 * device's CLI, `config` = lines of a configuration file (never shown as something to type at a prompt).
 */
export interface ReplySnippet {
  platform: string;
  kind: 'shell' | 'cli' | 'config';
  lines: string[];
}

/** How a snippet's kind reads next to its platform in every renderer ("FortiGate (cli)"). */
export const SNIPPET_KIND_LABEL: Record<ReplySnippet['kind'], string> = {
  shell: 'shell',
  cli: 'cli',
  config: 'config file',
};

export interface ReplyStep {
  text: string;
  /** Commands that run the same on every platform. */
  commands?: string[];
  /** Platform-specific commands or configuration, each labelled with its platform. */
  snippets?: ReplySnippet[];
}

export interface ReplyFact {
  label: string;
  value: string;
}

/** One row of evidence, typically one probe result. */
export interface ReplyEvidence {
  label: string;
  target: string;
  outcome: string;
  /** true = as expected, false = a problem, null = informational. */
  ok: boolean | null;
}

/** A finding of a diagnosis, already tied to a knowledge topic. */
export interface ReplyFinding {
  code: string;
  severity: 'error' | 'warning' | 'info';
  summary: string;
  topic?: string;
  /** The lines of the pasted text this finding relies on, with their 1-based line numbers. */
  lines?: ReplyQuote[];
}

/**
 * The reply's part of an analyser finding (log or configuration): those carry more (steps, evidence, fixes)
 * that the reply shows elsewhere or not at all.
 */
export function asReplyFinding(f: ReplyFinding): ReplyFinding {
  return { code: f.code, severity: f.severity, summary: f.summary, topic: f.topic, lines: f.lines };
}

/** One line of a pasted log or configuration, quoted with its line number. */
export interface ReplyQuote {
  n: number;
  text: string;
}

/**
 * A table of values (a configuration's parameters judged one by one). Rows come in the order to show them
 * (problems first); `ok` colours the row: true fine, false a problem, null informational.
 */
export interface ReplyTable {
  caption?: string;
  columns: string[];
  rows: { cells: string[]; ok: boolean | null }[];
}

/**
 * Something the user can do next. `command` is the text the conversation core understands when the
 * action is taken (a button click is fed back as if the user had typed it).
 */
export interface ReplyAction {
  id: string;
  label: string;
  command: string;
  style?: 'primary' | 'danger';
}

export interface ReplyListItem {
  label: string;
  detail?: string;
}

export interface Reply {
  kind: ReplyKind;
  title: string;
  summary: string;
  /** The guide's section this answer comes from, verbatim. */
  section?: string;
  topic?: string;
  /** 0..1: how sure the classifier was; absent when the reply did not come from classification. */
  confidence?: number;
  /** Which engine picked the topic ("local", "llm:openai", ...). */
  answeredBy?: string;
  verdict?: 'healthy' | 'degraded' | 'down';
  /**
   * The direct answer to the question asked (a number, a yes/no with its rule), shown first by every
   * renderer; null when the message was not such a question.
   */
  answer?: string | null;
  steps: ReplyStep[];
  /** Steps the reply holds back for brevity; "Show all steps" reveals them. */
  moreSteps?: number;
  facts: ReplyFact[];
  findings: ReplyFinding[];
  evidence: ReplyEvidence[];
  items: ReplyListItem[];
  actions: ReplyAction[];
  followUps: string[];
  /** A parameter table (configuration analysis). */
  table?: ReplyTable;
  /** Short notices shown prominently, e.g. that a secret was redacted and the key should be rotated. */
  notices?: string[];
}

/** A reply with every list present, so renderers never need to null-check. */
export function reply(fields: Partial<Reply> & Pick<Reply, 'kind' | 'title' | 'summary'>): Reply {
  return {
    steps: [],
    facts: [],
    findings: [],
    evidence: [],
    items: [],
    actions: [],
    followUps: [],
    ...fields,
  };
}
