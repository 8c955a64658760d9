import type { App } from '@slack/bolt';
import type { Logger } from 'pino';
import { filesFields } from '../../src/chat/inbound-files.js';
import type { TurnEngine } from '../../src/chat/turn-engine.js';
import type { Reply } from '../../src/reply/reply.js';
import type { SlackApi } from './api.js';
import type { SlackFiles } from './files.js';
import { BlockActionsPayload, inbound, MessageEventPayload, SlashCommandPayload } from './inbound.js';

import { SlackPort, type SlackTarget } from './port.js';
import { COMMAND_ACTION_PREFIX, MORE_ACTION_ID, parseMoreButtonValue, type SlackMessage } from './render.js';
import { SLASH_COMMAND } from './surface.js';
import { decodeSlackText } from './text.js';
import type { SharedMemory } from '../../src/chat/shared-memory.js';

export interface ListenerDeps {
  engine: TurnEngine<SlackMessage>;
  api: SlackApi;
  logger: Logger;
  /** SLACK_TEAM_ID: only these workspaces (or Enterprise Grid orgs) are answered; empty or absent: any. */
  allowedTeams?: readonly string[];
  /** Reads files shared with a message into Inbound.files; without it files are ignored. */
  files?: SlackFiles;
  /** Thread aliases and double clicks, remembered where every replica sees them (the engine's memory too). */
  memory: SharedMemory;
}

/** What a /vpn command shows only to the person who typed it: nobody else needs to see a help text. */
const PRIVATE_KINDS: ReadonlySet<Reply['kind']> = new Set(['help', 'list', 'error']);

/** Message subtypes that are still a person talking; every other subtype (edits, joins, bots) is not. */
const HUMAN_SUBTYPES = new Set(['thread_broadcast', 'file_share']);

/** A second click on the same button of the same message within this window is a double click. */
const DOUBLE_CLICK_MS = 3000;
/** How long a /vpn answer's thread stays tied to the command's conversation. */
const THREAD_MEMORY_MS = 24 * 60 * 60 * 1000;

/**
 * Maps Slack's entry points onto conversation turns. Every listener acknowledges first (Bolt acks events
 * itself before listeners run; commands and actions ack here, before any work), then hands the work to
 * the turn engine. Conversations:
 * - an @mention or DM is answered in its thread, and the thread is the conversation;
 * - a /vpn command is the user's own running conversation in that channel (like a terminal session); its
 *   public answer opens a thread that continues it;
 * - a button click continues the conversation of the message it is on, as if its command had been typed.
 */
export function registerListeners(app: App, deps: ListenerDeps): void {
  const { logger, engine, memory } = deps;
  // `channel:ts` of a message that opened a conversation (a /vpn answer) -> that conversation's thread id.
  // Kept in the shared memory, so a reply in that thread continues the conversation on any replica; when the
  // memory cannot be read the thread is its own conversation (the state of the command is not found).
  const threadOf = async (channel: string, rootTs: string) =>
    (await memory.get<string>(`slack:thread:${channel}:${rootTs}`).catch(() => undefined)) ?? rootTs;
  const aliasThread = (channel: string, ts: string, thread: string) =>
    memory.put(`slack:thread:${channel}:${ts}`, thread, THREAD_MEMORY_MS).catch((err: unknown) => {
      logger.warn({ err }, 'could not remember the thread of a /vpn answer');
    });
  const answer = async (turn: { inbound: ReturnType<typeof inbound>; target: SlackTarget; deliveryKeys?: string[] }) => {
    const { handle, retry } = await engine.run({
      inbound: turn.inbound,
      port: new SlackPort(deps.api, turn.target, logger),
      deliveryKeys: turn.deliveryKeys ?? [],
    });
    if (retry) return logger.debug({ keys: turn.deliveryKeys }, 'delivery already handled (Slack retry); skipped');
    await handle.done;
  };

  // Whatever no listener here handles (another command sent to this Request URL, buttons of messages from
  // an older version, shortcuts, dialogs) is acknowledged at once: Slack shows the user no error, and Bolt
  // does not hold the request open for three seconds waiting for an ack that never comes.
  const allowedTeams = new Set(deps.allowedTeams ?? []);
  app.use(async (args) => {
    const body = args.body as unknown as Record<string, unknown>;
    // Bolt acknowledges events itself, except the ones it leaves to the app (workflow steps: we have none).
    const ack = 'ack' in args && typeof args.ack === 'function' ? (args.ack as () => Promise<void>) : undefined;
    if (allowedTeams.size > 0) {
      const from = requestTeam(body);
      if (!(from.team && allowedTeams.has(from.team)) && !(from.enterprise && allowedTeams.has(from.enterprise))) {
        // Acknowledged (so Slack does not retry) and otherwise ignored: no answer, no work.
        await ack?.();
        logger.warn(
          { team: from.team ?? null, enterprise: from.enterprise ?? null, type: body.type, command: body.command },
          'Slack request from a workspace not in SLACK_TEAM_ID: ignored',
        );
        return;
      }
    }
    if (isForUs(body) && !(body.event !== undefined && ack)) return args.next();
    await ack?.();
    logger.debug({ type: body.type, command: body.command }, 'Slack request not for this app: acknowledged and ignored');
  });

  app.command(SLASH_COMMAND, async ({ ack, command, context }) => {
    await ack();
    const parsed = SlashCommandPayload.safeParse(command);
    if (!parsed.success) return logger.warn({ issues: parsed.error.issues.length }, 'slash command payload not understood; ignored');
    const c = parsed.data;
    const text = decodeSlackText(c.text, { botUserId: context.botUserId });
    const thread = `slash-${c.user_id}`;
    await answer({
      ...(c.trigger_id ? { deliveryKeys: [`trigger:${c.trigger_id}`] } : {}),
      inbound: inbound(text, c.user_id, c.channel_id, thread),
      target: {
        channel: c.channel_id,
        responseUrl: c.response_url,
        isPrivate: (r) => PRIVATE_KINDS.has(r.kind),
        trigger: { userId: c.user_id, text: `${SLASH_COMMAND} ${text}`.trim() },
        onPosted: (ts) => aliasThread(c.channel_id, ts, thread),
      },
    });
  });

  const onMessage = async (raw: unknown, body: unknown, botUserId: string | undefined, retryNum: number | undefined) => {
    const parsed = MessageEventPayload.safeParse(raw);
    if (!parsed.success) return logger.warn({ issues: parsed.error.issues.length }, 'message event not understood; ignored');
    const e = parsed.data;
    if (!e.user || e.bot_id || e.bot_profile || e.user === botUserId) return; // bots, including this one
    if (e.subtype && !HUMAN_SUBTYPES.has(e.subtype)) return;
    const root = e.thread_ts ?? e.ts;
    const text = decodeSlackText(e.text, { botUserId });
    if (retryNum) logger.debug({ channel: e.channel, ts: e.ts, retryNum }, 'Slack retried an event');
    const files = e.files?.length && deps.files ? filesFields(await deps.files.read(e.files)) : {};
    await answer({
      inbound: { ...inbound(text, e.user, e.channel, await threadOf(e.channel, root)), ...files },
      target: { channel: e.channel, threadTs: root },
      deliveryKeys: deliveryKeys(body, `${e.channel}:${e.ts}`),
    });
  };

  app.event('app_mention', async ({ event, body, context }) => {
    await onMessage(event, body, context.botUserId, context.retryNum);
  });

  app.event('message', async ({ event, body, context }) => {
    // Only direct messages: the manifest subscribes to message.im alone, but a workspace admin may add more.
    if ((event as { channel_type?: unknown }).channel_type !== 'im') return;
    await onMessage(event, body, context.botUserId, context.retryNum);
  });

  app.action(COMMAND_ACTION_ID, async ({ ack, body }) => {
    await ack();
    const parsed = BlockActionsPayload.safeParse(body);
    if (!parsed.success) return logger.warn({ issues: parsed.error.issues.length }, 'button click not understood; ignored');
    const b = parsed.data;
    const action = b.actions[0]!;
    const where = clickLocation(b);
    if (!action.value || !where) return;
    const click = `${where.channel}:${where.messageTs}:${action.action_id}:${b.user.id}`;
    // The memory unreachable: the click counts (a double click may then run twice).
    if (!(await memory.rememberOnce(`slack:click:${click}`, DOUBLE_CLICK_MS).catch(() => true))) return;

    const deliveryKeys = b.trigger_id ? [`trigger:${b.trigger_id}`] : [];
    const label = action.text?.text ?? action.value;
    if (where.ephemeral || !where.rootTs) {
      // Ephemeral messages only come from /vpn answers: the click continues that user's command conversation.
      await answer({
        deliveryKeys,
        inbound: inbound(action.value, b.user.id, where.channel, `slash-${b.user.id}`),
        target: { channel: where.channel, responseUrl: b.response_url, isPrivate: () => b.response_url !== undefined },
      });
      return;
    }
    await answer({
      deliveryKeys,
      inbound: inbound(action.value, b.user.id, where.channel, await threadOf(where.channel, where.rootTs)),
      target: { channel: where.channel, threadTs: where.rootTs, responseUrl: b.response_url, trigger: { userId: b.user.id, text: label } },
    });
  });

  app.action(MORE_ACTION_ID, async ({ ack, body }) => {
    await ack();
    const parsed = BlockActionsPayload.safeParse(body);
    if (!parsed.success) return;
    const b = parsed.data;
    const where = clickLocation(b);
    const ref = parseMoreButtonValue(b.actions[0]!.value ?? '');
    if (!where || !ref) return;
    const page = await engine.page(ref.token, ref.page);
    try {
      if (!page) {
        if (b.response_url) {
          await deps.api.respond(b.response_url, {
            response_type: 'ephemeral',
            replace_original: false,
            text: 'That part of the answer is no longer available (answers are kept for a while only). Ask again to get it.',
            blocks: [],
          });
        }
        return;
      }
      if (where.ephemeral || !where.rootTs) {
        if (b.response_url) await deps.api.respond(b.response_url, { ...page, response_type: 'ephemeral', replace_original: false });
      } else {
        await deps.api.postMessage({ channel: where.channel, threadTs: where.rootTs }, page);
      }
    } catch (err) {
      logger.error({ err, channel: where.channel }, 'could not post the next page of an answer');
    }
  });

  app.error(async (err) => {
    logger.error({ err }, 'Bolt reported an error while handling a Slack request');
  });
}

const COMMAND_ACTION_ID = new RegExp(`^${COMMAND_ACTION_PREFIX}\\d+$`);

function isForUs(body: Record<string, unknown>): boolean {
  if (body.event !== undefined) return true; // events are acknowledged by Bolt already; listeners filter them
  if (body.command !== undefined) return body.command === SLASH_COMMAND;
  if (body.type === 'block_actions' && Array.isArray(body.actions)) {
    const id = (body.actions[0] as { action_id?: unknown } | undefined)?.action_id;
    return typeof id === 'string' && (COMMAND_ACTION_ID.test(id) || id === MORE_ACTION_ID);
  }
  return false;
}

/** The workspace (and Enterprise Grid org) a request comes from: events, commands and interactivity name it differently. */
export function requestTeam(body: Record<string, unknown>): { team?: string; enterprise?: string } {
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const idOf = (v: unknown) => (typeof v === 'object' && v !== null ? str((v as { id?: unknown }).id) : undefined);
  const team = str(body.team_id) ?? idOf(body.team) ?? str((body.user as { team_id?: unknown } | undefined)?.team_id);
  const enterprise = str(body.enterprise_id) ?? idOf(body.enterprise);
  return { ...(team ? { team } : {}), ...(enterprise ? { enterprise } : {}) };
}

/**
 * The ids a delivery of a message is known by: Slack's event id (a retry carries the same one, with
 * X-Slack-Retry-Num) and the message itself, which Slack may deliver as two different events
 * (app_mention and message.im for a mention inside a DM).
 */
function deliveryKeys(body: unknown, messageKey: string): string[] {
  const eventId = (body as { event_id?: unknown } | undefined)?.event_id;
  return [...(typeof eventId === 'string' ? [`event:${eventId}`] : []), `message:${messageKey}`];
}

function clickLocation(
  b: BlockActionsPayload,
): { channel: string; messageTs: string | undefined; rootTs: string | undefined; ephemeral: boolean } | undefined {
  const channel = b.channel?.id ?? b.container?.channel_id;
  if (!channel) return undefined;
  const messageTs = b.message?.ts ?? b.container?.message_ts;
  const rootTs = b.message?.thread_ts ?? b.container?.thread_ts ?? messageTs;
  return { channel, messageTs, rootTs, ephemeral: b.container?.is_ephemeral === true };
}
