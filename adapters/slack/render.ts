import type { types } from '@slack/bolt';
import { SNIPPET_KIND_LABEL, type Reply, type ReplyAction, type ReplySnippet, type ReplyStep } from '../../src/reply/reply.js';
import { paginate as paginateUnits, type PageBudget } from '../../src/chat/paginate.js';
import { LIMITS, MAX_PAGES, MAX_PAGE_TEXT } from './limits.js';
import { chunkLines, defuseFences, fitEscaped, fitPlain, splitEscaped, truncate } from './mrkdwn.js';
import { evidenceTable, findingText, parameterTable, tableSections, type MonospaceTable } from './render-tables.js';

type KnownBlock = types.KnownBlock;
type Button = types.Button;
type MrkdwnElement = types.MrkdwnElement;

/**
 * Renders a Reply as Slack Block Kit messages. Pure: the same Reply and options always give the same
 * messages, and nothing here talks to Slack, so the limits can be tested on the largest possible answer.
 *
 * Layout of the first message: header (title, verdict), a context line (guide section, confidence),
 * who asked, the summary, findings, the evidence table, numbered steps with their commands in code
 * blocks (platform-specific snippets each in its own code block under a bold platform label), facts as two-column fields, list items, then the buttons. When the answer does not fit
 * Slack's limits it continues on further messages ("pages") reached with a "Show more" button; without a
 * continuation token (or past MAX_PAGES) the rest is trimmed with a note saying so.
 */

export interface SlackMessage {
  /** Notification and screen-reader text; Slack shows it when blocks cannot be rendered. */
  text: string;
  blocks: KnownBlock[];
}

export interface RenderOptions {
  /** Who caused this reply, shown above it so a channel sees who asked what ("<@U1>: tunnel drops"). */
  trigger?: { userId: string; text: string };
  /** Opaque key under which the caller keeps pages 2..n; "Show more" buttons carry it. Omit to trim instead. */
  continuationToken?: string;
}

/** Buttons that feed their value back as if typed; the number keeps action ids unique within a message. */
export const COMMAND_ACTION_PREFIX = 'vpn_cmd_';
export const MORE_ACTION_ID = 'vpn_more';

export function commandActionId(index: number): string {
  return `${COMMAND_ACTION_PREFIX}${index}`;
}

export function moreButtonValue(token: string, page: number): string {
  return `${token}:${page}`;
}

export function parseMoreButtonValue(value: string): { token: string; page: number } | undefined {
  const m = /^([A-Za-z0-9_-]{1,64}):(\d{1,3})$/.exec(value);
  return m ? { token: m[1]!, page: Number(m[2]) } : undefined;
}

interface Unit {
  block: KnownBlock;
  /** Characters of text the block carries, counted against MAX_PAGE_TEXT. */
  size: number;
}

export function renderReply(reply: Reply, options: RenderOptions = {}): SlackMessage[] {
  const head = headUnits(reply, options);
  const { main, overflow } = bodyUnits(reply);
  const interactive = interactiveUnits(reply);
  return paginate(reply, head, [...main, ...overflow], interactive, options.continuationToken);
}

// ---------------------------------------------------------------------------------------------- head

const VERDICT_EMOJI: Record<NonNullable<Reply['verdict']>, string> = {
  healthy: ':large_green_circle:',
  degraded: ':large_yellow_circle:',
  down: ':red_circle:',
};

function titleEmoji(reply: Reply): string {
  if (reply.verdict) return VERDICT_EMOJI[reply.verdict];
  if (reply.kind === 'progress') return ':hourglass_flowing_sand:';
  if (reply.kind === 'error') return ':warning:';
  if (reply.kind === 'analysis') return ':mag:';
  if (reply.kind === 'choices') return ':thinking_face:';
  return '';
}

function headUnits(reply: Reply, options: RenderOptions): Unit[] {
  const units: Unit[] = [];
  const emoji = titleEmoji(reply);
  const title = fitPlain(emoji ? `${emoji} ${reply.title}` : reply.title, LIMITS.headerText);
  units.push(unit({ type: 'header', text: { type: 'plain_text', text: title || '…', emoji: true } }));

  // Meaning never rides on the emoji alone: the verdict is spelled out here too.
  const meta: string[] = [];
  if (reply.verdict) meta.push(`Verdict: *${reply.verdict.toUpperCase()}*`);
  if (reply.section) meta.push(`:book: Guide: _${fitEscaped(reply.section, 300)}_`);
  if (reply.confidence !== undefined) meta.push(`Confidence: ${Math.round(reply.confidence * 100)}%`);
  if (reply.answeredBy && reply.answeredBy !== 'local') meta.push(`via ${fitEscaped(reply.answeredBy, 100)}`);
  if (meta.length > 0) units.push(contextUnit(meta));

  if (options.trigger) {
    const who = /^[UW][A-Z0-9]{2,}$/.test(options.trigger.userId) ? `<@${options.trigger.userId}>` : 'Someone';
    units.push(contextUnit([`:speech_balloon: ${who}: ${fitEscaped(options.trigger.text, 500)}`]));
  }
  return units;
}

// ---------------------------------------------------------------------------------------------- body

/** Evidence rows shown with the answer; a long tail of rows goes after everything else ("Show more"). */
const EVIDENCE_ROWS_INLINE = 25;

/**
 * The answer's body in reading order. `overflow` is what may wait until the very end: the long tail of a
 * big evidence table must not push the steps off the messages.
 */
function bodyUnits(reply: Reply): { main: Unit[]; overflow: Unit[] } {
  const units: Unit[] = [];
  const overflow: Unit[] = [];
  // The direct answer first, then what must not be missed (a redacted secret), then the explanation.
  if (reply.answer) units.push(sectionUnit(`*Answer:* ${fitEscaped(reply.answer, LIMITS.sectionText - 12)}`));
  for (const notice of reply.notices ?? []) units.push(sectionUnit(`:rotating_light: *${fitEscaped(notice, LIMITS.sectionText - 24)}*`));
  const lines = reply.summary.split('\n').flatMap((l) => splitEscaped(l, LIMITS.sectionText));
  for (const chunk of chunkLines(lines, LIMITS.sectionText)) {
    // Progress summaries are status lines, kept small; everything else is the answer's main text.
    units.push(reply.kind === 'progress' ? contextUnit([chunk]) : sectionUnit(chunk));
  }

  if (reply.findings.length > 0) {
    units.push(...labelledChunks('*Findings*', reply.findings.map(findingText)));
  }
  if (reply.table && reply.table.rows.length > 0) {
    const caption = reply.table.caption ? `*${fitEscaped(reply.table.caption, 200)}*` : '*Parameters*';
    units.push(...tableUnits(caption, parameterTable(reply.table)));
  }
  if (reply.evidence.length > 0) {
    const table = evidenceTable(reply.evidence);
    units.push(...tableUnits('*Evidence*', { header: table.header, rows: table.rows.slice(0, EVIDENCE_ROWS_INLINE) }));
    const rest = table.rows.length - EVIDENCE_ROWS_INLINE;
    if (rest > 0) {
      units.push(contextUnit([`_${rest} more evidence row${rest === 1 ? '' : 's'} at the end of the answer._`]));
      overflow.push(...tableUnits('*Evidence, continued*', { header: table.header, rows: table.rows.slice(EVIDENCE_ROWS_INLINE) }));
    }
  }

  reply.steps.forEach((step, i) => {
    units.push(...stepUnits(i + 1, step, i === 0));
  });
  if (reply.moreSteps) {
    const n = reply.moreSteps;
    units.push(contextUnit([`_${n} more step${n === 1 ? '' : 's'} not shown._`]));
  }

  for (let i = 0; i < reply.facts.length; i += LIMITS.sectionFields) {
    const fields = reply.facts.slice(i, i + LIMITS.sectionFields).map((f): MrkdwnElement => {
      const label = fitEscaped(f.label, 200);
      return { type: 'mrkdwn', text: `*${label}*\n${fitEscaped(f.value, LIMITS.fieldText - label.length - 3)}` };
    });
    const block: KnownBlock =
      i === 0 ? { type: 'section', text: { type: 'mrkdwn', text: '*Facts*' }, fields } : { type: 'section', fields };
    units.push(unit(block));
  }

  if (reply.items.length > 0) {
    const itemLines = reply.items.map((item) => {
      const label = `\`${fitEscaped(item.label.replace(/`/g, "'"), 200)}\``;
      return item.detail ? `• ${label}  ${fitEscaped(item.detail, 1000)}` : `• ${label}`;
    });
    for (const chunk of chunkLines(itemLines, LIMITS.sectionText)) units.push(sectionUnit(chunk));
  }
  return { main: units, overflow };
}

/** A heading glued to the first chunk, so it never ends up alone at the bottom of a page. */
function labelledChunks(heading: string, lines: string[]): Unit[] {
  return chunkLines([heading, ...lines], LIMITS.sectionText).map(sectionUnit);
}

/** A monospace table in as many sections as it needs. */
function tableUnits(title: string, table: MonospaceTable): Unit[] {
  return tableSections(title, table, LIMITS.sectionText).map(sectionUnit);
}

const COMMANDS_SHARE = 2000;

function stepText(n: number, text: string, commands: string[], first: boolean): string {
  const prefix = `${first ? '*Steps*\n' : ''}*${n}.* `;
  let code = '';
  if (commands.length > 0) {
    const lines = commands.map((c) => defuseFences(fitEscaped(c, 500)));
    const joined = chunkLines(lines, COMMANDS_SHARE - 8)[0] ?? '';
    const dropped = commands.length - joined.split('\n').length;
    code = `\n\`\`\`\n${joined}${dropped > 0 ? `\n… ${dropped} more` : ''}\n\`\`\``;
  }
  return `${prefix}${fitEscaped(text, LIMITS.sectionText - prefix.length - code.length)}${code}`;
}

/** Characters of one snippet's code block; more lines than fit are cut with "… n more". */
const SNIPPET_SHARE = 1500;

/**
 * A step as sections: its text (and universal commands) first, then its platform snippets, packed into as
 * few further sections as the section limit allows so a step with many vendors costs few blocks.
 */
function stepUnits(n: number, step: ReplyStep, first: boolean): Unit[] {
  const sections: string[] = [stepText(n, step.text, step.commands ?? [], first)];
  for (const sn of step.snippets ?? []) {
    const part = snippetText(sn);
    const last = sections[sections.length - 1]!;
    if (last.length + 1 + part.length <= LIMITS.sectionText) sections[sections.length - 1] = `${last}\n${part}`;
    else sections.push(part);
  }
  return sections.map(sectionUnit);
}

/** One snippet: a bold platform label with its kind, then its lines in a code block (never more than SNIPPET_SHARE + 150). */
function snippetText(sn: ReplySnippet): string {
  const platform =
    fitEscaped(
      sn.platform
        .replace(/[*_~`]/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
      100,
    ) || 'Other';
  const label = `*${platform}* _(${SNIPPET_KIND_LABEL[sn.kind] ?? 'shell'})_`;
  const lines = sn.lines.map((l) => defuseFences(fitEscaped(l.replace(/\r?\n/g, ' '), 500)));
  const joined = chunkLines(lines, SNIPPET_SHARE - 8)[0] ?? '';
  const dropped = sn.lines.length - (joined === '' ? 0 : joined.split('\n').length);
  return `${label}\n\`\`\`\n${joined}${dropped > 0 ? `\n… ${dropped} more` : ''}\n\`\`\``;
}

// ---------------------------------------------------------------------------------------- interactive

/** Buttons stay on the first message: feedback and next steps must not hide behind "Show more". */
function interactiveUnits(reply: Reply): Unit[] {
  const units: Unit[] = [];
  const usable = reply.actions.filter((a) => a.command.length > 0 && a.command.length <= LIMITS.buttonValue);
  if (reply.kind === 'choices') {
    // Each choice as its own line with a button: topic titles are longer than a button label allows.
    usable.slice(0, 20).forEach((a, i) => {
      units.push(
        unit({
          type: 'section',
          text: { type: 'mrkdwn', text: `*${i + 1}.* ${fitEscaped(a.label, 1000)}` },
          accessory: button(a, i, `Choose ${i + 1}`),
        }),
      );
    });
  } else {
    const buttons = usable.slice(0, LIMITS.actionsElements * 2).map((a, i) => button(a, i));
    for (let i = 0; i < buttons.length; i += LIMITS.actionsElements) {
      units.push(unit({ type: 'actions', elements: buttons.slice(i, i + LIMITS.actionsElements) }));
    }
  }

  const followUps = reply.followUps.filter((f) => f.trim() !== '' && f.length <= LIMITS.buttonValue).slice(0, 5);
  if (followUps.length > 0) {
    units.push(contextUnit(['_Related:_']));
    const offset = usable.length;
    units.push(
      unit({
        type: 'actions',
        elements: followUps.map((f, i) => button({ id: `follow-up-${i}`, label: f, command: f }, offset + i)),
      }),
    );
  }
  return units;
}

function button(action: ReplyAction, index: number, label?: string): Button {
  return {
    type: 'button',
    action_id: commandActionId(index),
    text: { type: 'plain_text', text: fitPlain(label ?? action.label, LIMITS.buttonText) || '…', emoji: true },
    value: action.command,
    ...(action.style ? { style: action.style } : {}),
  };
}

// ------------------------------------------------------------------------------------------ pages

/** Slack's page: 50 blocks, about 12,000 characters of text, room kept for the "Show more" block. */
const PAGE_BUDGET: PageBudget<Unit> = {
  size: (u) => u.size,
  maxSize: MAX_PAGE_TEXT,
  maxUnits: LIMITS.blocksPerMessage,
  reservedSize: 200,
  maxPages: MAX_PAGES,
};

function paginate(reply: Reply, head: Unit[], body: Unit[], interactive: Unit[], token: string | undefined): SlackMessage[] {
  // The divider separates reading from clicking; buttons close the first message.
  const tail = interactive.length > 0 ? [unit({ type: 'divider' }), ...interactive] : [];
  const { pages, trimmed } = paginateUnits(
    { head, body, tail, continuedHead: () => [contextUnit([`*${fitEscaped(reply.title, 300)}*, continued`])] },
    PAGE_BUDGET,
    { continue: token !== undefined },
  );
  return pages.map((page, i) => {
    const blocks = [...page.head, ...page.body].map((u) => u.block);
    if (i < pages.length - 1) blocks.push(moreBlock(token!, i + 2, pages.length));
    else if (trimmed > 0) {
      blocks.push(
        contextUnit([`_${trimmed} more part${trimmed === 1 ? '' : 's'} not shown: the answer is longer than Slack messages allow._`]).block,
      );
    }
    blocks.push(...page.tail.map((u) => u.block));
    return { text: fallbackText(reply, i + 1, pages.length), blocks };
  });
}

function moreBlock(token: string, page: number, total: number): KnownBlock {
  return {
    type: 'actions',
    elements: [
      {
        type: 'button',
        action_id: MORE_ACTION_ID,
        text: { type: 'plain_text', text: `Show more (${page}/${total})`, emoji: true },
        value: moreButtonValue(token, page),
      },
    ],
  };
}

function fallbackText(reply: Reply, page: number, total: number): string {
  if (page > 1) return fitEscaped(`${reply.title} (continued ${page}/${total})`, LIMITS.fallbackText);
  const summary = reply.summary.split('\n')[0] ?? '';
  return fitEscaped(summary ? `${reply.title}: ${truncate(summary, 280)}` : reply.title, LIMITS.fallbackText);
}

// ------------------------------------------------------------------------------------------ blocks

function sectionUnit(mrkdwn: string): Unit {
  return unit({ type: 'section', text: { type: 'mrkdwn', text: mrkdwn } });
}

function contextUnit(texts: string[]): Unit {
  return unit({
    type: 'context',
    elements: texts.slice(0, LIMITS.contextElements).map((t): MrkdwnElement => ({ type: 'mrkdwn', text: truncate(t, LIMITS.contextText) })),
  });
}

function unit(block: KnownBlock): Unit {
  return { block, size: textSize(block) };
}

/** All text a block carries (text, fields, element labels), as counted against the page budget. */
export function textSize(block: KnownBlock): number {
  let n = 0;
  const visit = (v: unknown): void => {
    if (typeof v === 'string') return;
    if (Array.isArray(v)) return v.forEach(visit);
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.text === 'string') n += o.text.length;
      for (const [k, child] of Object.entries(o)) if (k !== 'text' || typeof child !== 'string') visit(child);
    }
  };
  visit(block);
  return n;
}
