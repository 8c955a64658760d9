/**
 * Teams puts an @mention into the message text as `<at>Name</at>` and describes it in a `mention` entity
 * ({ mentioned: { id, name }, text: "<at>Name</at>" }). The new Teams client splits a multi-word bot name
 * into several `<at>` tags, one entity each, so every entity that names the bot is removed, not just the
 * first. SDK-free: the Microsoft 365 Agents SDK delivers the same activity shape.
 */

export interface MentionResult {
  /** The message without the bot's mentions, other mentions reduced to the plain name, entities decoded. */
  text: string;
  /** Whether any mention entity names the bot (channel and group-chat messages must address it). */
  botMentioned: boolean;
}

/** Upper bound on the entities looked at: a message has a handful; a crafted one must not cost more. */
const MAX_ENTITIES = 64;

/** Bot ids appear as "28:<app id>" in Teams and sometimes bare; compare them without the prefix. */
export function sameAccountId(a: string, b: string): boolean {
  const norm = (s: string) => s.trim().replace(/^28:/, '').toLowerCase();
  return norm(a) !== '' && norm(a) === norm(b);
}

export function stripMentions(text: string, entities: unknown, botId: string | undefined): MentionResult {
  let out = text;
  let botMentioned = false;

  const list = Array.isArray(entities) ? entities.slice(0, MAX_ENTITIES) : [];
  for (const entity of list) {
    if (!isRecord(entity) || entity.type !== 'mention') continue;
    const mentioned = isRecord(entity.mentioned) ? entity.mentioned : {};
    const id = typeof mentioned.id === 'string' ? mentioned.id : '';
    const name = typeof mentioned.name === 'string' ? mentioned.name : '';
    const tag = typeof entity.text === 'string' && entity.text !== '' ? entity.text : name ? `<at>${name}</at>` : '';
    const isBot = botId !== undefined && sameAccountId(id, botId);
    if (isBot) botMentioned = true;
    if (tag === '') continue;
    // Someone else's mention stays readable ("ask <at>Ana</at>" -> "ask Ana"); the bot's disappears.
    out = out.split(tag).join(isBot ? ' ' : innerText(tag));
  }

  // Tags without an entity (older clients, copy-paste) are unwrapped rather than kept as markup.
  out = out.replace(/<at\b[^>]*>([\s\S]*?)<\/at>/gi, '$1');
  return { text: tidy(decodeEntities(out)), botMentioned };
}

function innerText(tag: string): string {
  return tag.replace(/<\/?at\b[^>]*>/gi, '');
}

const NAMED: Record<string, string> = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Teams HTML-encodes a few characters in message text; decode them once, after the tags are gone. */
export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,6});/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isInteger(code) && code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)
        ? String.fromCodePoint(code)
        : whole;
    }
    return NAMED[body.toLowerCase()] ?? whole;
  });
}

/** Collapses the spaces a removed mention leaves behind; keeps line breaks (pasted log lines matter). */
function tidy(s: string): string {
  return s
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
