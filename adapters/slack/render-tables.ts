import type { ReplyEvidence, ReplyFinding, ReplyQuote, ReplyTable } from '../../src/reply/reply.js';
import { codeBlocks, defuseFences, escapeMrkdwn, fitEscaped, truncate } from './mrkdwn.js';

/**
 * Tables and quoted lines in Block Kit. Slack messages have no table that renders on every client, so a
 * table is monospace text in code blocks: it lines up everywhere and pastes cleanly into a ticket.
 * Status is a word (ok, FAIL, info), never only a colour. Every code block repeats the column header, so
 * a table split over several sections (3,000 characters each) still reads.
 */

export interface MonospaceTable {
  header: string;
  rows: string[];
}

const mark = (ok: boolean | null) => (ok === true ? 'ok' : ok === false ? 'FAIL' : 'info');
const cell = (s: string, w: number) => truncate(s.replace(/\s+/g, ' ').trim(), w);

/** Columns padded to their widest cell (each cut to its width cap); the last column is not padded. */
function monospace(header: string[], rows: string[][], caps: number[]): MonospaceTable {
  const cut = rows.map((r) => r.map((c, i) => cell(c, caps[Math.min(i, caps.length - 1)]!)));
  const widths = header.map((h, i) => Math.max(h.length, ...cut.map((r) => r[i]?.length ?? 0)));
  const line = (cells: string[]) =>
    escapeMrkdwn(
      cells
        .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
    );
  return { header: line(header), rows: cut.map(line) };
}

const EVIDENCE_CAPS = [4, 28, 40, 110];

export function evidenceTable(rows: ReplyEvidence[]): MonospaceTable {
  return monospace(
    ['', 'check', 'target', 'result'],
    rows.map((r) => [mark(r.ok), r.label, r.target, r.outcome]),
    EVIDENCE_CAPS,
  );
}

/** A parameter table (configuration analysis): the row's status first, then its cells. */
export function parameterTable(table: ReplyTable): MonospaceTable {
  const caps = [4, ...table.columns.map((_, i) => (i === table.columns.length - 1 ? 120 : 40))];
  return monospace(
    ['', ...table.columns],
    table.rows.map((r) => [mark(r.ok), ...r.cells]),
    caps,
  );
}

/** Table rows as section texts of at most `max` characters, each a code block under `title` with the header. */
export function tableSections(title: string, table: MonospaceTable, max: number): string[] {
  const prefix = `${title}\n`;
  return codeBlocks(table.rows, max - prefix.length - table.header.length - 1).map(
    (b) => prefix + b.replace('```\n', `\`\`\`\n${table.header}\n`),
  );
}

/** Quoted lines of one finding: at most this many, each cut to a screen width. */
const QUOTED_LINES = 8;
const QUOTED_LINE_CHARS = 160;

const SEVERITY_EMOJI: Record<ReplyFinding['severity'], string> = {
  error: ':red_circle:',
  warning: ':warning:',
  info: ':information_source:',
};

/** One finding: its code and summary, then the lines it relies on with their numbers, in a code block. */
export function findingText(f: ReplyFinding): string {
  const head = `${SEVERITY_EMOJI[f.severity]} *${fitEscaped(f.code, 100)}* (${f.severity}): ${fitEscaped(f.summary, 1500)}`;
  const quotes = f.lines ?? [];
  if (quotes.length === 0) return head;
  return `${head}\n\`\`\`\n${quotedLines(quotes).join('\n')}\n\`\`\``;
}

function quotedLines(quotes: ReplyQuote[]): string[] {
  const shown = quotes.slice(0, QUOTED_LINES);
  const w = Math.max(...shown.map((q) => String(q.n).length));
  const lines = shown.map((q) =>
    defuseFences(fitEscaped(`${String(q.n).padStart(w)} | ${q.text.replace(/\r?\n/g, ' ')}`, QUOTED_LINE_CHARS)),
  );
  const more = quotes.length - shown.length;
  return more > 0 ? [...lines, `… ${more} more line${more === 1 ? '' : 's'}`] : lines;
}
