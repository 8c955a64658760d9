import {
  SNIPPET_KIND_LABEL,
  type Reply,
  type ReplyAction,
  type ReplyEvidence,
  type ReplyFact,
  type ReplyFinding,
  type ReplyListItem,
  type ReplySnippet,
  type ReplyStep,
} from '../../src/reply/reply.js';
import type { CommandData, MoreData } from './card-actions.js';

/**
 * Renders a Reply as an Adaptive Card 1.5 for Microsoft Teams. Pure and SDK-free (plain JSON out), so it
 * survives a move from botbuilder to the Microsoft 365 Agents SDK unchanged.
 *
 * Teams refuses messages above about 28 KB, envelope included. The card is therefore built greedily
 * against a byte budget: header and summary first, then buttons, findings, steps, evidence, facts, items
 * and follow-ups, each section keeping as many of its entries (in order) as fit. Whatever does not fit
 * is returned as `rest`, a Reply of its own, and the card gets a "Show the rest" button whose data the
 * caller supplies (it stores `rest` and renders it when clicked). Nothing is silently lost, except the
 * extreme: single strings are clipped to a sane length and buttons whose command is too long to be one.
 */

/** A message as the adapter posts it: one attachment (the card) and a short notification text. */
export interface TeamsMessage {
  attachments: { contentType: string; content: unknown }[];
  summary: string;
}

/** An answer never becomes more cards than this; the rest is left out (and the last card says so). */
export const MAX_CARDS = 10;

/** Teams' limit for one message (activity JSON) is about 28 KB. */
export const TEAMS_MESSAGE_MAX_BYTES = 28 * 1024;
/** The card's own budget: leaves room for the activity envelope (ids, conversation, service URL...). */
export const CARD_MAX_BYTES = 26 * 1024;
export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
const CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';

export type CardElement = { type: string } & Record<string, unknown>;

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.5';
  body: CardElement[];
  actions?: CardElement[];
  msteams: { width: 'Full' };
}

export type CardActionType = 'Action.Submit' | 'Action.Execute';

/** The part of a Reply that did not fit, and where its step numbering continues. */
export interface CardContinuation {
  reply: Reply;
  firstStepNumber: number;
}

export interface RenderCardOptions {
  maxBytes?: number;
  /** Action.Submit (default; a click arrives as a message) or Action.Execute (an adaptiveCard/action invoke). */
  actionType?: CardActionType;
  /** Number of the first step shown (continuation cards go on counting). */
  firstStepNumber?: number;
  /** Called when the reply does not fit; returns the "Show the rest" button's data, or undefined for none. */
  onOverflow?: (rest: CardContinuation) => MoreData | undefined;
}

export interface RenderedCard {
  card: AdaptiveCard;
  /** UTF-8 size of the card's JSON. */
  bytes: number;
  rest: CardContinuation | null;
}

// Size limits of single strings, in bytes of their JSON encoding. Chosen so that any one entry fits in a
// card on its own, which guarantees that a chain of continuation cards always makes progress.
const LIMIT = {
  title: 400,
  meta: 400,
  summaryLine: 2000,
  stepText: 1500,
  command: 1000,
  platform: 120,
  code: 120,
  finding: 1500,
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
/** A button's command longer than this cannot be one button (and would be refused when read back). */
const MAX_ACTION_COMMAND_CHARS = 2000;
/** Teams shows at most six buttons at the bottom of a card. */
const MAX_CARD_ACTIONS = 6;
/** More entries than this per section cannot fit anyway; they go to `rest` without being measured. */
const MAX_MEASURED_ENTRIES = 400;
const MORE_TOKEN_PLACEHOLDER = 'x'.repeat(64);
const MORE_PAGE_PLACEHOLDER = 9999;

interface Parts {
  summary: string[];
  actions: ReplyAction[];
  findings: ReplyFinding[];
  steps: ReplyStep[];
  evidence: ReplyEvidence[];
  facts: ReplyFact[];
  items: ReplyListItem[];
  followUps: string[];
}

type Section = keyof Parts;
/** Inclusion priority when space is short (display order is fixed separately). */
const PRIORITY: Section[] = ['summary', 'actions', 'findings', 'steps', 'evidence', 'facts', 'items', 'followUps'];

export function renderCard(r: Reply, options: RenderCardOptions = {}): RenderedCard {
  const maxBytes = options.maxBytes ?? CARD_MAX_BYTES;
  const ctx: Ctx = { reply: r, actionType: options.actionType ?? 'Action.Submit', firstStep: options.firstStepNumber ?? 1 };
  const { measured: raw, tail } = split(r);

  // Entries are clipped (and sized) lazily, and only as far as the budget could reach: a huge reply costs
  // about as much as a full card, not as much as the reply.
  const clipped = emptyParts();
  const clippedBytes = new Map<Section, number>();
  const affordable = (section: Section, budget: number): unknown[] => {
    const src = raw[section] as unknown[];
    const dst = clipped[section] as unknown[];
    let total = clippedBytes.get(section) ?? 0;
    while (dst.length < src.length && total <= budget) {
      const entry = clipEntry(section, src[dst.length]);
      total += entrySize(ctx, section, entry);
      dst.push(entry);
    }
    clippedBytes.set(section, total);
    // Entries add at least their own size: the prefix whose sizes alone exceed the budget bounds the search.
    let n = 0;
    for (let sum = 0; n < dst.length; n++) {
      sum += entrySize(ctx, section, dst[n]);
      if (sum > budget) break;
    }
    return dst.slice(0, n);
  };

  const wholeFits =
    isEmpty(tail) && PRIORITY.every((section) => affordable(section, maxBytes).length === (raw[section] as unknown[]).length);
  if (wholeFits) {
    const whole = assemble(ctx, clipped, null);
    const bytes = byteSize(whole);
    if (bytes <= maxBytes) return { card: whole, bytes, rest: null };
  }

  // Greedy: every section keeps the longest prefix that fits, with room reserved for the "rest" button
  // (which takes one of the six button places).
  if (r.kind !== 'choices' && raw.actions.length > MAX_CARD_ACTIONS - 1) {
    tail.actions.unshift(...raw.actions.splice(MAX_CARD_ACTIONS - 1));
    clipped.actions.splice(MAX_CARD_ACTIONS - 1);
    clippedBytes.delete('actions');
  }
  const kept = emptyParts();
  const rest = emptyParts();
  const reserve: Overflow = { data: { moreToken: MORE_TOKEN_PLACEHOLDER, page: MORE_PAGE_PLACEHOLDER } };
  for (const section of PRIORITY) {
    const candidates = affordable(section, maxBytes);
    const fits = (k: number) => byteSize(assemble(ctx, { ...kept, [section]: candidates.slice(0, k) }, reserve)) <= maxBytes;
    let k = candidates.length;
    if (!fits(k)) {
      let lo = 0;
      let hi = k - 1; // the largest k that fits lies in [lo, hi]
      while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2);
        if (fits(mid)) lo = mid;
        else hi = mid - 1;
      }
      k = lo;
    }
    (kept as unknown as Record<Section, unknown[]>)[section] = candidates.slice(0, k);
    // The rest keeps the original, unclipped entries: its own card clips them again if need be.
    (rest as unknown as Record<Section, unknown[]>)[section] = [...(raw[section] as unknown[]).slice(k), ...(tail[section] as unknown[])];
  }

  const continuation: CardContinuation = {
    reply: continuationReply(r, rest),
    firstStepNumber: ctx.firstStep + kept.steps.length,
  };
  const data = options.onOverflow?.(continuation);
  const fitsReserve = data && data.moreToken.length <= MORE_TOKEN_PLACEHOLDER.length && (data.page ?? 0) <= MORE_PAGE_PLACEHOLDER;
  const overflow: Overflow = { data: fitsReserve ? data : undefined };
  const card = assemble(ctx, kept, overflow);
  const bytes = byteSize(card);
  if (bytes <= maxBytes) return { card, bytes, rest: continuation };

  // Unreachable with the limits above; kept so that a future change cannot send an oversized card.
  const minimal = assemble(ctx, { ...emptyParts(), summary: ['This answer is too large to show in Teams.'] }, null);
  return { card: minimal, bytes: byteSize(minimal), rest: continuation };
}

export interface RenderMessagesOptions {
  actionType?: CardActionType;
  maxBytes?: number;
  /** Key under which the caller keeps cards 2..n; their "Show the rest" buttons carry it. Omit: one card. */
  continuationToken?: string;
  /** Default MAX_CARDS. */
  maxCards?: number;
}

/**
 * A Reply as Teams messages: the first card, and when it does not fit, the chain of continuation cards
 * (each "Show the rest" button names the next card's page), numbering steps on across cards.
 */
export function renderMessages(r: Reply, options: RenderMessagesOptions = {}): TeamsMessage[] {
  const token = options.continuationToken;
  const maxCards = options.maxCards ?? MAX_CARDS;
  const messages: TeamsMessage[] = [];
  let next: CardContinuation | null = { reply: r, firstStepNumber: 1 };
  while (next) {
    const page = messages.length + 1;
    const more = token !== undefined && page < maxCards;
    const { card, rest } = renderCard(next.reply, {
      actionType: options.actionType ?? 'Action.Submit',
      firstStepNumber: next.firstStepNumber,
      ...(options.maxBytes ? { maxBytes: options.maxBytes } : {}),
      onOverflow: () => (more ? { moreToken: token, page: page + 1 } : undefined),
    });
    // `summary` is what Teams shows in notifications and the activity feed for a card.
    messages.push({ attachments: [cardAttachment(card)], summary: clip(r.title, 200) });
    next = more ? rest : null;
  }
  return messages;
}

/** The card wrapped as a Bot Framework attachment. */
export function cardAttachment(card: AdaptiveCard): { contentType: string; content: AdaptiveCard } {
  return { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card };
}

export function byteSize(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

// ---------------------------------------------------------------------------------------------------------

interface Ctx {
  reply: Reply;
  actionType: CardActionType;
  firstStep: number;
}

interface Overflow {
  data: MoreData | undefined;
}

function emptyParts(): Parts {
  return { summary: [], actions: [], findings: [], steps: [], evidence: [], facts: [], items: [], followUps: [] };
}

/**
 * The reply's lists, split into what is measured for the card and a tail that cannot fit in any case
 * (beyond MAX_MEASURED_ENTRIES, or beyond the six buttons Teams shows) and goes straight to the rest.
 */
function split(r: Reply): { measured: Parts; tail: Parts } {
  const usable = (command: string) => command.length <= MAX_ACTION_COMMAND_CHARS;
  const all: Parts = {
    summary: summaryLines(r.summary),
    actions: r.actions.filter((a) => usable(a.command)),
    findings: r.findings,
    steps: r.steps,
    evidence: r.evidence,
    facts: r.facts,
    items: r.items,
    followUps: r.followUps.filter(usable),
  };
  const measured = emptyParts();
  const tail = emptyParts();
  for (const section of PRIORITY) {
    const limit = section === 'actions' && r.kind !== 'choices' ? MAX_CARD_ACTIONS : MAX_MEASURED_ENTRIES;
    const xs = all[section] as unknown[];
    (measured as unknown as Record<Section, unknown[]>)[section] = xs.slice(0, limit);
    (tail as unknown as Record<Section, unknown[]>)[section] = xs.slice(limit);
  }
  return { measured, tail };
}

/** The size of one entry's rendering on its own: a lower bound of what it adds to a card. */
function entrySize(ctx: Ctx, section: Section, entry: unknown): number {
  switch (section) {
    case 'summary':
      return byteSize(entry);
    case 'actions':
      return byteSize(action(ctx, entry as ReplyAction, (entry as ReplyAction).label));
    case 'findings':
      return byteSize(finding(entry as ReplyFinding));
    case 'steps':
      return byteSize(step(entry as ReplyStep, 1));
    case 'evidence':
      return byteSize(entry);
    case 'facts':
      return byteSize(entry);
    case 'items':
      return byteSize(entry) - 8; // "detail" is one letter longer than the "value" it becomes, and so on
    case 'followUps':
      return byteSize(entry);
  }
}

function clipEntry(section: Section, x: unknown): unknown {
  switch (section) {
    case 'summary':
      return clip((x as string).trim(), LIMIT.summaryLine);
    case 'actions': {
      const a = x as ReplyAction;
      return { ...a, label: clip(a.label, LIMIT.buttonTitle) };
    }
    case 'findings': {
      const f = x as ReplyFinding;
      return { ...f, code: clip(f.code, LIMIT.code), summary: clip(f.summary, LIMIT.finding) };
    }
    case 'steps':
      return clipStep(x as ReplyStep);
    case 'evidence': {
      const e = x as ReplyEvidence;
      return {
        ...e,
        label: clip(e.label, LIMIT.evidenceShort),
        target: clip(e.target, LIMIT.evidenceShort),
        outcome: clip(e.outcome, LIMIT.evidenceOutcome),
      };
    }
    case 'facts': {
      const f = x as ReplyFact;
      return { label: clip(f.label, LIMIT.factLabel), value: clip(f.value, LIMIT.factValue) };
    }
    case 'items': {
      const i = x as ReplyListItem;
      return { label: clip(i.label, LIMIT.factLabel), ...(i.detail !== undefined ? { detail: clip(i.detail, LIMIT.factValue) } : {}) };
    }
    case 'followUps':
      return x;
  }
}

/**
 * A step clipped to what one card can always hold: its commands and snippet lines share a line count and a
 * byte budget, in order, so a step with many vendors loses its last lines (with a note), never the card.
 */
function clipStep(st: ReplyStep): ReplyStep {
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

function isEmpty(p: Parts): boolean {
  return PRIORITY.every((section) => p[section].length === 0);
}

function continuationReply(r: Reply, rest: Parts): Reply {
  const { confidence: _c, answeredBy: _a, ...base } = r;
  return {
    ...base,
    title: r.title.endsWith('(continued)') ? r.title : `${r.title} (continued)`,
    summary: rest.summary.join('\n'),
    steps: rest.steps,
    findings: rest.findings,
    evidence: rest.evidence,
    facts: rest.facts,
    items: rest.items,
    actions: rest.actions,
    followUps: rest.followUps,
  };
}

function summaryLines(summary: string): string[] {
  return summary.replace(/\r\n?/g, '\n').split('\n');
}

// ---------------------------------------------------------------------------------------------------------
// Assembly: display order, whatever subset of the parts was chosen.

function assemble(ctx: Ctx, p: Parts, overflow: Overflow | null): AdaptiveCard {
  const r = ctx.reply;
  const body: CardElement[] = [...header(r)];

  // A single "\n" does not break a line in a Teams TextBlock, so each summary line is its own block.
  let gap = true;
  for (const line of p.summary) {
    const text = line;
    if (text === '') {
      gap = true;
      continue;
    }
    body.push({ type: 'TextBlock', text, wrap: true, spacing: gap ? 'Medium' : 'None' });
    gap = false;
  }

  const choices = r.kind === 'choices';
  if (choices) {
    // Choices are whole guide sections with long titles: one button per row so each title stays readable.
    p.actions.forEach((a, i) => body.push({ type: 'ActionSet', actions: [action(ctx, a, `${i + 1}. ${a.label}`)] }));
  }

  if (p.findings.length > 0) {
    body.push(heading('Findings'));
    for (const f of p.findings) body.push(finding(f));
  }

  if (p.steps.length > 0) {
    body.push(heading('Steps'));
    p.steps.forEach((s, i) => body.push(step(s, ctx.firstStep + i)));
  }
  const allStepsShown = p.steps.length === r.steps.length || (p.steps.length > 0 && p.steps.at(-1) === r.steps.at(-1));
  if (r.moreSteps && allStepsShown && p.steps.length > 0) {
    body.push({
      type: 'TextBlock',
      text: `${r.moreSteps} more step${r.moreSteps === 1 ? '' : 's'} not shown.`,
      isSubtle: true,
      size: 'Small',
      wrap: true,
    });
  }

  if (p.evidence.length > 0) {
    body.push(heading('Evidence'));
    body.push(evidenceTable(p.evidence));
  }

  if (p.facts.length > 0) {
    body.push(heading('Facts'));
    body.push({ type: 'FactSet', facts: p.facts.map((f) => ({ title: f.label, value: f.value })) });
  }

  if (p.items.length > 0) {
    if (p.items.some((i) => i.detail)) {
      body.push({
        type: 'FactSet',
        spacing: 'Medium',
        facts: p.items.map((i) => ({ title: i.label, value: i.detail ?? '' })),
      });
    } else {
      p.items.forEach((i, n) => body.push({ type: 'TextBlock', text: `• ${i.label}`, wrap: true, spacing: n === 0 ? 'Medium' : 'None' }));
    }
  }

  if (p.followUps.length > 0) {
    body.push({ type: 'TextBlock', text: 'You can also ask:', isSubtle: true, size: 'Small', spacing: 'Medium', wrap: true });
    for (const f of p.followUps)
      body.push({ type: 'ActionSet', spacing: 'None', actions: [action(ctx, { id: 'follow-up', label: f, command: f }, f)] });
  }

  const actions: CardElement[] = choices ? [] : p.actions.map((a) => action(ctx, a, a.label));
  if (overflow) {
    body.push({
      type: 'TextBlock',
      text: overflow.data
        ? 'This answer is longer than one Teams message allows; "Show the rest" shows what is missing.'
        : 'Part of this answer did not fit in one Teams message and was left out.',
      isSubtle: true,
      size: 'Small',
      wrap: true,
      spacing: 'Medium',
    });
    if (overflow.data) actions.push(button(ctx, 'Show the rest', overflow.data, 'show-rest'));
  }

  return {
    type: 'AdaptiveCard',
    $schema: CARD_SCHEMA,
    version: '1.5',
    body,
    ...(actions.length > 0 ? { actions } : {}),
    msteams: { width: 'Full' },
  };
}

function header(r: Reply): CardElement[] {
  const out: CardElement[] = [];
  const prefix = r.kind === 'progress' ? '⏳ ' : r.kind === 'error' ? '⚠️ ' : '';
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

function heading(text: string): CardElement {
  return { type: 'TextBlock', text, weight: 'Bolder', spacing: 'Medium', wrap: true };
}

function finding(f: ReplyFinding): CardElement {
  const s = SEVERITY[f.severity] ?? SEVERITY.info;
  // TextRuns are not markdown, so codes and summaries show exactly as written.
  return {
    type: 'RichTextBlock',
    spacing: 'Small',
    inlines: [
      { type: 'TextRun', text: `${s.label}  `, weight: 'Bolder', color: s.color },
      { type: 'TextRun', text: f.code, weight: 'Bolder', fontType: 'Monospace' },
      { type: 'TextRun', text: `: ${f.summary}` },
    ],
  };
}

function step(s: ReplyStep, n: number): CardElement {
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

function evidenceTable(rows: ReplyEvidence[]): CardElement {
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

function action(ctx: Ctx, a: ReplyAction, title: string): CardElement {
  const data: CommandData = { command: a.command, actionId: a.id };
  const style = a.style === 'primary' ? 'positive' : a.style === 'danger' ? 'destructive' : undefined;
  return button(ctx, title, data, a.id, style);
}

function button(ctx: Ctx, title: string, data: CommandData | MoreData, verb: string, style?: 'positive' | 'destructive'): CardElement {
  return {
    type: ctx.actionType,
    title: clip(title, LIMIT.buttonTitle),
    ...(ctx.actionType === 'Action.Execute' ? { verb } : {}),
    data,
    ...(style ? { style } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------------

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
