/**
 * Turns the text of a Slack message back into what the user typed. Slack rewrites messages before
 * delivering them: it escapes `&<>`, and auto-links host names and addresses, so
 * "check acme-dev.outsystemsenterprise.com" arrives as "check <http://acme-dev.outsystemsenterprise.com|acme-dev.outsystemsenterprise.com>".
 * The conversation core parses commands from plain text, so the adapter undoes this first.
 */

/** `<...>` spans: links, user/channel mentions and special mentions. */
const SPAN = /<([^<>]*)>/g;

export interface DecodeOptions {
  /** The bot's own user id: mentions of it are addressing, not content, and are removed. */
  botUserId?: string | undefined;
}

export function decodeSlackText(text: string, options: DecodeOptions = {}): string {
  const decoded = text.replace(SPAN, (_whole, inner: string) => decodeSpan(inner, options));
  return unescapeEntities(decoded)
    .replace(/[ \t]+/g, ' ')
    .trim();
}

function decodeSpan(inner: string, options: DecodeOptions): string {
  const bar = inner.indexOf('|');
  const target = bar === -1 ? inner : inner.slice(0, bar);
  const label = bar === -1 ? undefined : inner.slice(bar + 1);

  if (target.startsWith('@')) {
    if (options.botUserId && target.slice(1) === options.botUserId) return ' ';
    return label ? `@${label}` : target;
  }
  if (target.startsWith('#')) return label ? `#${label}` : target;
  if (target.startsWith('!')) {
    // <!here>, <!channel>, <!subteam^ID|@team>, <!date^...|fallback>
    if (label) return label;
    return `@${target.slice(1).split('^')[0]}`;
  }
  // A link: what the user saw (and typed) is the label; an auto-linked bare host has label == host.
  if (label) return label;
  return target.replace(/^mailto:/, '');
}

function unescapeEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
