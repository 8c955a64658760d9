import {
  SNIPPET_KIND_LABEL,
  type Reply,
  type ReplyAction,
  type ReplyEvidence,
  type ReplyFinding,
  type ReplySnippet,
  type ReplyStep,
} from '../../src/reply/reply.js';
import type { CommandData, MoreData } from './card-actions.js';

/**
 * The Adaptive Card 1.5 elements one Reply part becomes. Pure JSON builders, SDK-free; render.ts decides
 * which of them go on which card.
 */

export type CardElement = { type: string } & Record<string, unknown>;
export type CardActionType = 'Action.Submit' | 'Action.Execute';

export interface ActionContext {
  actionType: CardActionType;
}

// Size limits of single strings, in bytes of their JSON encoding. Chosen so that any one element fits in a
// card on its own, which guarantees that a chain of continuation cards always makes progress.
export const LIMIT = {
  title: 400,
  meta: 400,
  summaryLine: 2000,
  stepText: 1500,
  command: 1000,
  platform: 120,
  code: 120,
  finding: 1500,
  quote: 400,
  cell: 600,
  evidenceShort: 300,
  evidenceOutcome: 1000,
  factLabel: 300,
  factValue: 1000,
  buttonTitle: 120,
} as const;
/** Commands per step: more than this is a script, not a step. */
const MAX_COMMANDS_PER_STEP = 12;
/** Platform snippets per step, and their lines all together (commands included). */
const MAX_SNIPPETS_PER_STEP = 10;
const MAX_CODE_LINES_PER_STEP = 30;
/** Bytes of code (commands and snippet lines) per step, so that one step always fits a card on its own. */
const MAX_CODE_BYTES_PER_STEP = 9000;

export function header(r: Reply): CardElement[] {
  const out: CardElement[] = [];
  const prefix = r.kind === 'progress' ? '⏳ ' : r.kind === 'error' ? '⚠️ ' : r.kind === 'analysis' ? '🔎 ' : '';
  out.push({
    type: 'TextBlock',
    text: clip(prefix + r.title, LIMIT.title),
    style: 'heading',
    size: 'Medium',
    weight: 'Bolder',
    wrap: true,
    ...(r.kind === 'error' ? { color: 'Attention' } : {}),
  });
  if (r.verdict) {
    const v = VERDICT[r.verdict];
    out.push({
      type: 'TextBlock',
      text: `${v.mark} Verdict: ${r.verdict.toUpperCase()}`,
      color: v.color,
      weight: 'Bolder',
      spacing: 'Small',
      wrap: true,
    });
  }
  const meta: string[] = [];
  if (r.section) meta.push(`Guide: ${r.section}`);
  if (r.confidence !== undefined && Number.isFinite(r.confidence)) meta.push(`confidence ${Math.round(r.confidence * 100)}%`);
  if (r.answeredBy && r.answeredBy !== 'local') meta.push(`via ${r.answeredBy}`);
  if (meta.length > 0)
    out.push({ type: 'TextBlock', text: clip(meta.join(' · '), LIMIT.meta), isSubtle: true, size: 'Small', spacing: 'None', wrap: true });
  return out;
}

const VERDICT = {
  healthy: { mark: '✅', color: 'Good' },
  degraded: { mark: '⚠️', color: 'Warning' },
  down: { mark: '❌', color: 'Attention' },
} as const;

const SEVERITY = {
  error: { label: '❌ ERROR', color: 'Attention' },
  warning: { label: '⚠️ WARNING', color: 'Warning' },
  info: { label: 'ℹ️ INFO', color: 'Accent' },
} as const;

export function heading(text: string): CardElement {
  return { type: 'TextBlock', text, weight: 'Bolder', spacing: 'Medium', wrap: true };
}

export function finding(f: ReplyFinding): CardElement {
  const s = SEVERITY[f.severity] ?? SEVERITY.info;
  // TextRuns are not markdown, so codes and summaries show exactly as written.
  const line: CardElement = {
    type: 'RichTextBlock',
    spacing: 'Small',
    inlines: [
      { type: 'TextRun', text: `${s.label}  `, weight: 'Bolder', color: s.color },
      { type: 'TextRun', text: f.code, weight: 'Bolder', fontType: 'Monospace' },
      { type: 'TextRun', text: `: ${f.summary}` },
    ],
  };
  const quotes = f.lines ?? [];
  if (quotes.length === 0) return line;
  const w = Math.max(...quotes.map((q) => String(q.n).length));
  return {
    type: 'Container',
    spacing: 'Small',
    items: [
      { ...line, spacing: 'None' },
      {
        type: 'Container',
        style: 'emphasis',
        spacing: 'Small',
        // The quoted lines of the pasted text, with their numbers, as typed (monospace, not markdown).
        items: quotes.map((q, i) => ({
          type: 'RichTextBlock',
          spacing: i === 0 ? 'Default' : 'None',
          inlines: [
            { type: 'TextRun', text: `${String(q.n).padStart(w)}  `, fontType: 'Monospace', isSubtle: true },
            { type: 'TextRun', text: q.text, fontType: 'Monospace' },
          ],
        })),
      },
    ],
  };
}

export function step(s: ReplyStep, n: number): CardElement {
  const items: CardElement[] = [{ type: 'TextBlock', text: s.text, wrap: true }];
  const commands = s.commands ?? [];
  if (commands.length > 0) {
    items.push({
      type: 'Container',
      style: 'emphasis',
      spacing: 'Small',
      // Monospace TextRuns rather than markdown code: Teams would otherwise eat "*" and "_" in commands.
      items: commands.map((c, i) => ({
        type: 'RichTextBlock',
        spacing: i === 0 ? 'Default' : 'None',
        inlines: [{ type: 'TextRun', text: c, fontType: 'Monospace' }],
      })),
    });
  }
  for (const sn of s.snippets ?? []) {
    // The platform label and the kind as TextRuns, like the lines: "*" or "_" in a platform name show as typed.
    items.push({
      type: 'RichTextBlock',
      spacing: 'Small',
      inlines: [
        { type: 'TextRun', text: sn.platform, weight: 'Bolder' },
        { type: 'TextRun', text: ` (${SNIPPET_KIND_LABEL[sn.kind] ?? 'shell'})`, isSubtle: true },
      ],
    });
    items.push({
      type: 'Container',
      style: 'emphasis',
      spacing: 'None',
      items: sn.lines.map((l, i) => ({
        type: 'RichTextBlock',
        spacing: i === 0 ? 'Default' : 'None',
        inlines: [{ type: 'TextRun', text: l, fontType: 'Monospace' }],
      })),
    });
  }
  return {
    type: 'ColumnSet',
    spacing: 'Small',
    columns: [
      { type: 'Column', width: 'auto', items: [{ type: 'TextBlock', text: `${n}.`, weight: 'Bolder' }] },
      { type: 'Column', width: 'stretch', items },
    ],
  };
}

export function evidenceTable(rows: ReplyEvidence[]): CardElement {
  const cell = (text: string, extra: Record<string, unknown> = {}): CardElement => ({
    type: 'TableCell',
    items: [{ type: 'TextBlock', text, wrap: true, ...extra }],
  });
  const mark = (ok: boolean | null) =>
    ok === true
      ? cell('✅ ok', { color: 'Good' })
      : ok === false
        ? cell('❌ FAIL', { color: 'Attention', weight: 'Bolder' })
        : cell('ℹ️ info');
  return {
    type: 'Table',
    gridStyle: 'accent',
    firstRowAsHeader: true,
    showGridLines: true,
    columns: [{ width: 2 }, { width: 3 }, { width: 4 }, { width: 6 }],
    rows: [
      {
        type: 'TableRow',
        cells: [
          cell('Result', { weight: 'Bolder' }),
          cell('Check', { weight: 'Bolder' }),
          cell('Target', { weight: 'Bolder' }),
          cell('Outcome', { weight: 'Bolder' }),
        ],
      },
      ...rows.map((e) => ({
        type: 'TableRow',
        cells: [mark(e.ok), cell(e.label), cell(e.target), cell(e.outcome)],
      })),
    ],
  };
}

/**
 * A parameter table. Adaptive Card's Table element is not rendered by every Teams client, so the table is
 * a ColumnSet per row (header row in bold): it lines up on desktop, web and mobile alike. Status is a
 * word and a mark, not only a colour.
 */
export function tableHeader(columns: string[]): CardElement {
  return tableRow(['', ...columns], { weight: 'Bolder' });
}

export function tableRowElement(cells: string[], ok: boolean | null): CardElement {
  const mark = ok === true ? '✅ ok' : ok === false ? '❌ FAIL' : 'ℹ️ info';
  return tableRow([mark, ...cells], {}, ok === false ? 'Attention' : ok === true ? 'Good' : undefined);
}

function tableRow(cells: string[], style: Record<string, unknown>, markColor?: string): CardElement {
  return {
    type: 'ColumnSet',
    spacing: 'None',
    columns: cells.map((text, i) => ({
      type: 'Column',
      width: i === 0 ? 'auto' : 'stretch',
      items: [
        {
          type: 'TextBlock',
          text: text === '' ? ' ' : text,
          wrap: true,
          size: 'Small',
          ...style,
          ...(i === 0 && markColor ? { color: markColor } : {}),
        },
      ],
    })),
  };
}

/** The direct answer to the question asked: first and bold. */
export function answerBlock(text: string): CardElement {
  return { type: 'TextBlock', text: `Answer: ${text}`, weight: 'Bolder', size: 'Medium', wrap: true, spacing: 'Medium' };
}

/** A notice that must not be missed (a redacted secret): an attention-coloured box. */
export function noticeBlock(text: string): CardElement {
  return {
    type: 'Container',
    style: 'attention',
    spacing: 'Small',
    items: [{ type: 'TextBlock', text: `⚠️ ${text}`, weight: 'Bolder', wrap: true }],
  };
}

export function action(ctx: ActionContext, a: ReplyAction, title: string): CardElement {
  const data: CommandData = { command: a.command, actionId: a.id };
  const style = a.style === 'primary' ? 'positive' : a.style === 'danger' ? 'destructive' : undefined;
  return button(ctx, title, data, a.id, style);
}

export function button(
  ctx: ActionContext,
  title: string,
  data: CommandData | MoreData,
  verb: string,
  style?: 'positive' | 'destructive',
): CardElement {
  return {
    type: ctx.actionType,
    title: clip(title, LIMIT.buttonTitle),
    ...(ctx.actionType === 'Action.Execute' ? { verb } : {}),
    data,
    ...(style ? { style } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------------

export function byteSize(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

// C0 controls other than tab and newline would each cost six bytes as JSON escapes and render as nothing.
const CONTROL_CHARS = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/** Cleans a string and clips it (with "…") so that its JSON encoding stays within maxBytes. */
export function clip(text: string, maxBytes: number): string {
  const s = String(text).replace(CONTROL_CHARS, '');
  if (byteSize(s) <= maxBytes) return s;
  let lo = 0;
  let hi = Math.min(s.length, maxBytes); // every character costs at least one byte
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (byteSize(cut(s, mid) + '…') <= maxBytes) lo = mid;
    else hi = mid - 1;
  }
  return cut(s, lo) + '…';
}

/** A prefix that does not end in the middle of a surrogate pair. */
function cut(s: string, n: number): string {
  const code = s.charCodeAt(n - 1);
  return code >= 0xd800 && code <= 0xdbff ? s.slice(0, n - 1) : s.slice(0, n);
}

/**
 * A step clipped to what one card can always hold: its commands and snippet lines share a line count and a
 * byte budget, in order, so a step with many vendors loses its last lines (with a note), never the card.
 */
export function clipStep(st: ReplyStep): ReplyStep {
  let lines = 0;
  let bytes = 0;
  const code = (l: string): string | undefined => {
    if (lines >= MAX_CODE_LINES_PER_STEP || bytes >= MAX_CODE_BYTES_PER_STEP) return undefined;
    const c = clip(l, Math.min(LIMIT.command, MAX_CODE_BYTES_PER_STEP - bytes));
    lines += 1;
    bytes += byteSize(c);
    return c;
  };
  const commands = st.commands ? st.commands.slice(0, MAX_COMMANDS_PER_STEP).flatMap((c) => code(c) ?? []) : undefined;
  const snippets: ReplySnippet[] = [];
  for (const sn of (st.snippets ?? []).slice(0, MAX_SNIPPETS_PER_STEP)) {
    const kept = sn.lines.flatMap((l) => code(l) ?? []);
    if (kept.length === 0) break;
    const cut = sn.lines.length - kept.length;
    snippets.push({ platform: clip(sn.platform, LIMIT.platform), kind: sn.kind, lines: cut > 0 ? [...kept, `… ${cut} more`] : kept });
  }
  return {
    text: clip(st.text, LIMIT.stepText),
    ...(commands ? { commands } : {}),
    ...(snippets.length > 0 ? { snippets } : {}),
  };
}
