/**
 * Pure helpers for Slack's mrkdwn: escaping and cutting text to a length without breaking an escape
 * sequence, a surrogate pair or a code fence. Lengths are counted as Slack counts them: on the escaped
 * string, in UTF-16 code units (JavaScript string length).
 */

const ELLIPSIS = '…';

/**
 * Slack parses `<...>` as links and mentions (`<!channel>` pings everyone) and `&` as entities, so these
 * three characters must be escaped in any text that did not come from us. Nothing else is escaped: `*`
 * or `_` in a log line only changes emphasis.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts `text` to at most `max` UTF-16 units, ending with "…" when cut, never splitting a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  let cut = max - ELLIPSIS.length;
  if (cut <= 0) return ELLIPSIS.slice(0, max);
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1; // would leave half of a surrogate pair
  return text.slice(0, cut) + ELLIPSIS;
}

/** Escapes `raw` and cuts it so the escaped form fits in `max` (cutting first, so no entity is split). */
export function fitEscaped(raw: string, max: number): string {
  const escaped = escapeMrkdwn(raw);
  if (escaped.length <= max) return escaped;
  // The longest cut whose escaped form fits: escaping only lengthens text, so binary search works.
  let lo = 0;
  let hi = Math.min(raw.length, max);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (escapeMrkdwn(truncate(raw, mid)).length <= max) lo = mid;
    else hi = mid - 1;
  }
  return escapeMrkdwn(truncate(raw, lo));
}

/**
 * Escapes a long line into pieces that each fit in `max`, breaking at whitespace where it can (a pasted
 * log line in a support-case draft must not be cut off, only wrapped).
 */
export function splitEscaped(raw: string, max: number): string[] {
  if (escapeMrkdwn(raw).length <= max) return [escapeMrkdwn(raw)];
  const pieces: string[] = [];
  let current = '';
  for (const word of raw.split(/(?<=\s)/)) {
    if (escapeMrkdwn(current + word).length <= max) {
      current += word;
      continue;
    }
    if (current !== '') pieces.push(escapeMrkdwn(current.trimEnd()));
    current = word;
    // A single word longer than a piece: cut it into pieces of its own.
    while (escapeMrkdwn(current).length > max) {
      const head = fitEscaped(current, max).replace(/…$/, '');
      const headRawLength = unescapeLength(head);
      if (headRawLength === 0) return pieces; // max too small to hold even one character
      pieces.push(head);
      current = current.slice(headRawLength);
    }
  }
  if (current.trim() !== '') pieces.push(escapeMrkdwn(current.trimEnd()));
  return pieces;
}

/** Length of the raw text an escaped string came from. */
function unescapeLength(escaped: string): number {
  return escaped.replace(/&(amp|lt|gt);/g, '_').length;
}

/** Plain text (headers, button labels) needs no escaping, only a length. */
export function fitPlain(raw: string, max: number): string {
  return truncate(raw.replace(/\s+/g, ' ').trim(), max);
}

/**
 * Groups already-escaped lines into chunks of at most `max` characters each (joined by newlines). A line
 * longer than `max` on its own is cut. Used to split long lists over several section blocks.
 */
export function chunkLines(lines: string[], max: number): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const rawLine of lines) {
    const line = rawLine.length > max ? cutEscaped(rawLine, max) : rawLine;
    if (current === '') current = line;
    else if (current.length + 1 + line.length <= max) current += `\n${line}`;
    else {
      chunks.push(current);
      current = line;
    }
  }
  if (current !== '') chunks.push(current);
  return chunks;
}

/** Cuts already-escaped text without leaving half an entity ("&am…") behind. */
function cutEscaped(escaped: string, max: number): string {
  return truncate(escaped, max).replace(/&[a-z]{0,3}…$/, '…');
}

const FENCE = '```';

/** Makes text safe inside a ``` block: a literal fence would end the block early. */
export function defuseFences(text: string): string {
  return text.replace(/```/g, '`\u200b``');
}

/**
 * Wraps escaped lines in code blocks of at most `max` characters each, fences included, so a long table
 * splits into several blocks that each still render as monospace.
 */
export function codeBlocks(escapedLines: string[], max: number): string[] {
  const overhead = FENCE.length * 2 + 2; // "```\n" + "\n```"
  return chunkLines(escapedLines.map(defuseFences), max - overhead).map((body) => `${FENCE}\n${body}\n${FENCE}`);
}
