import { paginate, type PageBudget } from '../../src/chat/paginate.js';
import type { Reply, ReplyAction } from '../../src/reply/reply.js';
import {
  action,
  answerBlock,
  button,
  byteSize,
  clip,
  clipStep,
  evidenceTable,
  finding,
  header,
  heading,
  LIMIT,
  noticeBlock,
  step,
  tableHeader,
  tableRowElement,
  type ActionContext,
  type CardActionType,
  type CardElement,
} from './render-elements.js';

export { byteSize, clip, type CardActionType, type CardElement } from './render-elements.js';

/**
 * Renders a Reply as Adaptive Cards 1.5 for Microsoft Teams. Pure and SDK-free (plain JSON out), so it
 * survives a move from botbuilder to the Microsoft 365 Agents SDK unchanged.
 *
 * Teams refuses messages above about 28 KB, envelope included. The reply's parts become card elements in
 * reading order (answer, notices, summary, findings, parameters, steps, evidence, facts, items, follow-ups)
 * and the shared paginator (src/chat/paginate.ts) packs them into cards by their JSON size; what does not
 * fit the first card goes on continuation cards reached with "Show the rest", steps numbered on. Single
 * strings are clipped to a sane length, long tables and lists are split into chunks that each fit a card.
 */

/** A message as the adapter posts it: one attachment (the card) and a short notification text. */
export interface TeamsMessage {
  attachments: { contentType: string; content: unknown }[];
  summary: string;
}

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.5';
  body: CardElement[];
  actions?: CardElement[];
  msteams: { width: 'Full' };
}

/** Teams' limit for one message (activity JSON) is about 28 KB. */
export const TEAMS_MESSAGE_MAX_BYTES = 28 * 1024;
/** The card's own budget: leaves room for the activity envelope (ids, conversation, service URL...). */
export const CARD_MAX_BYTES = 26 * 1024;
/** An answer never becomes more cards than this; the rest is left out (and the last card says so). */
export const MAX_CARDS = 10;
export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
const CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';

/** A button's command longer than this cannot be one button (and would be refused when read back). */
const MAX_ACTION_COMMAND_CHARS = 2000;
/** Teams shows at most six buttons at the bottom of a card. */
const MAX_CARD_ACTIONS = 6;
/** Bytes of one chunk of a long table, fact list or item list: a chunk always fits a card on its own. */
const CHUNK_BYTES = 8000;
/** Quoted lines per finding. */
const MAX_QUOTES = 20;

export interface RenderMessagesOptions {
  actionType?: CardActionType;
  maxBytes?: number;
  /** Key under which the caller keeps cards 2..n; their "Show the rest" buttons carry it. Omit: one card. */
  continuationToken?: string;
  /** Default MAX_CARDS. */
  maxCards?: number;
}

/** One or more card elements that go together (a heading and its first entry), with their JSON size. */
interface Unit {
  els: CardElement[];
  size: number;
}

const unitOf = (...els: CardElement[]): Unit => ({ els, size: els.reduce((n, e) => n + byteSize(e) + 1, 0) });

/** A Reply as Teams messages: the first card and, when it does not fit, its continuation cards. */
export function renderMessages(r: Reply, options: RenderMessagesOptions = {}): TeamsMessage[] {
  return renderCards(r, options).cards.map((card) => ({ attachments: [cardAttachment(card)], summary: clip(r.title, 200) }));
}

export interface RenderedCard {
  card: AdaptiveCard;
  /** UTF-8 size of the card's JSON. */
  bytes: number;
  /** Null when the whole reply is on this card; otherwise how many parts did not fit. */
  rest: { parts: number } | null;
}

/** The reply as one card (without continuation): what fits, and a note when something was left out. */
export function renderCard(r: Reply, options: Omit<RenderMessagesOptions, 'continuationToken' | 'maxCards'> = {}): RenderedCard {
  const { cards, trimmed } = renderCards(r, options);
  const card = cards[0]!;
  return { card, bytes: byteSize(card), rest: trimmed > 0 ? { parts: trimmed } : null };
}

function renderCards(r: Reply, options: RenderMessagesOptions): { cards: AdaptiveCard[]; trimmed: number } {
  const ctx: ActionContext = { actionType: options.actionType ?? 'Action.Submit' };
  const maxBytes = options.maxBytes ?? CARD_MAX_BYTES;
  const token = options.continuationToken;
  const usable = r.kind === 'choices' ? [] : r.actions.filter((a) => a.command.length <= MAX_ACTION_COMMAND_CHARS);

  const plan = (cardActions: number) => {
    const tail = usable.slice(0, cardActions).map((a) => unitOf(action(ctx, a, a.label)));
    const extra = usable.slice(cardActions);
    const budget: PageBudget<Unit> = {
      size: (u) => u.size,
      maxSize: maxBytes - byteSize(assemble([], [])),
      maxUnits: Number.MAX_SAFE_INTEGER,
      // The "Show the rest" note and button (or the note that something was left out).
      reservedSize:
        byteSize(overflowNote(true)) + byteSize(button(ctx, 'Show the rest', { moreToken: 'x'.repeat(64), page: 9999 }, 'show-rest')) + 8,
      maxPages: options.maxCards ?? MAX_CARDS,
    };
    const title = clip(`${r.title} (continued)`, LIMIT.title);
    return paginate(
      {
        head: [unitOf(...header(r))],
        body: bodyUnits(r, ctx, extra),
        tail,
        continuedHead: () => [unitOf({ type: 'TextBlock', text: title, style: 'heading', size: 'Medium', weight: 'Bolder', wrap: true })],
      },
      budget,
      { continue: token !== undefined },
    );
  };
  // All of Teams' six card buttons when the reply fits one card; five when a "Show the rest" needs the sixth.
  let p = plan(MAX_CARD_ACTIONS);
  if ((p.pages.length > 1 || p.trimmed > 0) && usable.length >= MAX_CARD_ACTIONS) p = plan(MAX_CARD_ACTIONS - 1);

  const cards = p.pages.map((page, i) => {
    const body = [...page.head, ...page.body].flatMap((u) => u.els);
    const actions = page.tail.flatMap((u) => u.els);
    const more = i < p.pages.length - 1;
    if (more || (i === p.pages.length - 1 && p.trimmed > 0)) body.push(overflowNote(more));
    if (more) actions.push(button(ctx, 'Show the rest', { moreToken: token!, page: i + 2 }, 'show-rest'));
    return assemble(body, actions);
  });
  return { cards, trimmed: p.trimmed };
}

function overflowNote(more: boolean): CardElement {
  return {
    type: 'TextBlock',
    text: more
      ? 'This answer is longer than one Teams message allows; "Show the rest" shows what is missing.'
      : 'Part of this answer did not fit in Teams messages and was left out.',
    isSubtle: true,
    size: 'Small',
    wrap: true,
    spacing: 'Medium',
  };
}

function assemble(body: CardElement[], actions: CardElement[]): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: CARD_SCHEMA,
    version: '1.5',
    body,
    ...(actions.length > 0 ? { actions } : {}),
    msteams: { width: 'Full' },
  };
}

/** The card wrapped as a Bot Framework attachment. */
export function cardAttachment(card: AdaptiveCard): { contentType: string; content: AdaptiveCard } {
  return { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card };
}

// ---------------------------------------------------------------------------------------------------------

/** The reply's body in reading order; a heading travels with its first entry so it never ends a card alone. */
function bodyUnits(r: Reply, ctx: ActionContext, extraActions: ReplyAction[]): Unit[] {
  const units: Unit[] = [];
  const section = (title: string | null, entries: CardElement[]) => {
    entries.forEach((e, i) => units.push(i === 0 && title ? unitOf(heading(title), e) : unitOf(e)));
  };

  if (r.answer) units.push(unitOf(answerBlock(clip(r.answer, LIMIT.summaryLine))));
  for (const n of r.notices ?? []) units.push(unitOf(noticeBlock(clip(n, LIMIT.summaryLine))));

  // A single "\n" does not break a line in a Teams TextBlock, so each summary line is its own block.
  let gap = true;
  for (const line of r.summary.replace(/\r\n?/g, '\n').split('\n')) {
    const text = clip(line.trim(), LIMIT.summaryLine);
    if (text === '') {
      gap = true;
      continue;
    }
    units.push(unitOf({ type: 'TextBlock', text, wrap: true, spacing: gap ? 'Medium' : 'None' }));
    gap = false;
  }

  if (r.kind === 'choices') {
    // Choices are whole guide sections with long titles: one button per row so each title stays readable.
    const usable = r.actions.filter((a) => a.command.length <= MAX_ACTION_COMMAND_CHARS);
    usable.forEach((a, i) => units.push(unitOf({ type: 'ActionSet', actions: [action(ctx, a, `${i + 1}. ${a.label}`)] })));
  }

  section(
    'Findings',
    r.findings.map((f) =>
      finding({
        ...f,
        code: clip(f.code, LIMIT.code),
        summary: clip(f.summary, LIMIT.finding),
        ...(f.lines ? { lines: f.lines.slice(0, MAX_QUOTES).map((q) => ({ n: q.n, text: clip(q.text, LIMIT.quote) })) } : {}),
      }),
    ),
  );

  if (r.table && r.table.rows.length > 0) {
    const columns = r.table.columns.map((c) => clip(c, LIMIT.factLabel));
    const rows = r.table.rows.map((row) =>
      tableRowElement(
        columns.map((_, i) => clip(row.cells[i] ?? '', LIMIT.cell)),
        row.ok,
      ),
    );
    section(
      clip(r.table.caption ?? 'Parameters', LIMIT.title),
      chunks(rows).map((c) => container([tableHeader(columns), ...c])),
    );
  }

  section(
    'Steps',
    r.steps.map((s, i) => step(clipStep(s), i + 1)),
  );
  if (r.moreSteps && r.steps.length > 0) {
    units.push(
      unitOf({
        type: 'TextBlock',
        text: `${r.moreSteps} more step${r.moreSteps === 1 ? '' : 's'} not shown.`,
        isSubtle: true,
        size: 'Small',
        wrap: true,
      }),
    );
  }

  const evidence = r.evidence.map((e) => ({
    ...e,
    label: clip(e.label, LIMIT.evidenceShort),
    target: clip(e.target, LIMIT.evidenceShort),
    outcome: clip(e.outcome, LIMIT.evidenceOutcome),
  }));
  section(
    'Evidence',
    chunkBy(evidence, (rows) => evidenceTable(rows)),
  );

  const facts = r.facts.map((f) => ({ title: clip(f.label, LIMIT.factLabel), value: clip(f.value, LIMIT.factValue) }));
  section(
    'Facts',
    chunkBy(facts, (fs) => ({ type: 'FactSet', facts: fs })),
  );

  if (r.items.length > 0) {
    if (r.items.some((i) => i.detail)) {
      const facts = r.items.map((i) => ({ title: clip(i.label, LIMIT.factLabel), value: clip(i.detail ?? '', LIMIT.factValue) }));
      section(
        null,
        chunkBy(facts, (fs) => ({ type: 'FactSet', spacing: 'Medium', facts: fs })),
      );
    } else {
      r.items.forEach((i, n) =>
        units.push(
          unitOf({ type: 'TextBlock', text: `• ${clip(i.label, LIMIT.factLabel)}`, wrap: true, spacing: n === 0 ? 'Medium' : 'None' }),
        ),
      );
    }
  }

  const followUps = r.followUps.filter((f) => f.length <= MAX_ACTION_COMMAND_CHARS);
  followUps.forEach((f, i) => {
    const set: CardElement = { type: 'ActionSet', spacing: 'None', actions: [action(ctx, { id: 'follow-up', label: f, command: f }, f)] };
    units.push(
      i === 0
        ? unitOf({ type: 'TextBlock', text: 'You can also ask:', isSubtle: true, size: 'Small', spacing: 'Medium', wrap: true }, set)
        : unitOf(set),
    );
  });
  // Buttons beyond the six a card shows at its bottom stay clickable, in the body.
  for (const a of extraActions) units.push(unitOf({ type: 'ActionSet', spacing: 'Small', actions: [action(ctx, a, a.label)] }));
  return units;
}

function container(items: CardElement[]): CardElement {
  return { type: 'Container', spacing: 'Small', items };
}

/** Elements grouped into chunks of about CHUNK_BYTES each. */
function chunks(elements: CardElement[]): CardElement[][] {
  return groupBySize(elements, (e) => byteSize(e));
}

/** Entries grouped into chunks of about CHUNK_BYTES, each made into one element (a table, a fact set). */
function chunkBy<T>(entries: T[], make: (chunk: T[]) => CardElement): CardElement[] {
  return groupBySize(entries, (e) => byteSize(e) + 40).map(make);
}

function groupBySize<T>(entries: T[], size: (e: T) => number): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const e of entries) {
    const n = size(e);
    if (current.length > 0 && bytes + n > CHUNK_BYTES) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(e);
    bytes += n;
  }
  if (current.length > 0) out.push(current);
  return out;
}
