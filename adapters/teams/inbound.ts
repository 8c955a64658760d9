import type { Inbound } from '../../src/chat/core.js';
import { readActionData, readExecuteValue, type ActionData } from './card-actions.js';
import { sameAccountId, stripMentions } from './text.js';

/**
 * Reads a Bot Framework activity as Teams sends it and decides what the bot should do with it. SDK-free
 * and defensive: the activity is untrusted JSON (an unauthenticated sender in dev mode, a fuzzer in the
 * tests), so every field is checked before use.
 */

export const TEAMS_PLATFORM = 'teams';

/** Longest text handed to the assistant: far above a real question, bounded for the classifier's sake. */
export const MAX_INBOUND_TEXT = 8000;

export interface AccountRef {
  id: string;
  name?: string;
  aadObjectId?: string;
}

/** The Bot Framework ConversationReference, as much of it as a proactive message needs. JSON-safe. */
export interface ConversationRef {
  activityId?: string;
  user?: AccountRef;
  bot?: AccountRef;
  conversation: { id: string; conversationType?: string; tenantId?: string; isGroup?: boolean; name?: string };
  channelId: string;
  serviceUrl: string;
  locale?: string;
}

/**
 * What the adapter puts in `Inbound.address` and gets back for alerts: the conversation reference plus,
 * for channel conversations, the Teams channel id (alerts start a new post in that channel).
 */
export interface TeamsAddress {
  v: 1;
  reference: ConversationRef;
  teamsChannelId?: string;
  tenantId?: string;
}

export type Interpretation =
  | { kind: 'command'; via: 'text' | 'submit' | 'execute'; inbound: Inbound; actionId?: string }
  | { kind: 'more'; via: 'submit' | 'execute'; token: string; page: number; inbound: Inbound }
  | { kind: 'welcome'; inbound: Inbound }
  | { kind: 'ignore'; reason: string }
  | { kind: 'bad-action'; reason: string }
  | { kind: 'unsupported-invoke'; name: string };

export const ADAPTIVE_CARD_ACTION = 'adaptiveCard/action';

export function interpretActivity(raw: unknown): Interpretation {
  if (!isRecord(raw) || typeof raw.type !== 'string') return { kind: 'ignore', reason: 'not an activity' };
  const address = addressOf(raw);
  if (!address) return { kind: 'ignore', reason: 'no conversation, service URL or bot' };
  const from = account(raw.from);
  const bot = address.reference.bot;
  if (from && bot && sameAccountId(from.id, bot.id)) return { kind: 'ignore', reason: 'own message' };

  const base = baseInbound(address, from);

  if (raw.type === 'message') {
    const data = readActionData(raw.value);
    if (data) return fromAction(data, 'submit', base);
    const text = typeof raw.text === 'string' ? raw.text : '';
    const { text: stripped, botMentioned } = stripMentions(text, raw.entities, bot?.id);
    // In channels and group chats the bot only answers when addressed (with resource-specific consent
    // Teams would deliver every message; answering all of them would be noise).
    const shared =
      address.reference.conversation.conversationType === 'channel' || address.reference.conversation.conversationType === 'groupChat';
    if (shared && !botMentioned) return { kind: 'ignore', reason: 'not addressed to the bot' };
    return { kind: 'command', via: 'text', inbound: { ...base, text: stripped.slice(0, MAX_INBOUND_TEXT) } };
  }

  if (raw.type === 'invoke') {
    const name = typeof raw.name === 'string' ? raw.name : '';
    if (name !== ADAPTIVE_CARD_ACTION) return { kind: 'unsupported-invoke', name: name.slice(0, 100) };
    const data = readExecuteValue(raw.value);
    if (!data) return { kind: 'bad-action', reason: 'the action carries no command' };
    return fromAction(data, 'execute', base);
  }

  if (raw.type === 'conversationUpdate') {
    const added = Array.isArray(raw.membersAdded) ? raw.membersAdded.slice(0, 100) : [];
    const botAdded = bot !== undefined && added.some((m) => account(m) !== undefined && sameAccountId(account(m)!.id, bot.id));
    // Installed in a personal chat, a group chat or a team: introduce ourselves once, with the help text.
    if (botAdded) return { kind: 'welcome', inbound: { ...base, text: 'help' } };
    return { kind: 'ignore', reason: 'conversation update' };
  }

  return { kind: 'ignore', reason: `activity type ${raw.type.slice(0, 40)}` };
}

function fromAction(data: ActionData, via: 'submit' | 'execute', base: Inbound): Interpretation {
  if ('moreToken' in data) return { kind: 'more', via, token: data.moreToken, page: data.page ?? 2, inbound: base };
  return {
    kind: 'command',
    via,
    inbound: { ...base, text: data.command.slice(0, MAX_INBOUND_TEXT) },
    ...(data.actionId ? { actionId: data.actionId } : {}),
  };
}

/**
 * Teams channel conversation ids carry the thread: "19:abc@thread.tacv2;messageid=1700000000000". The
 * channel part names the conversation and the message id the thread, so follow-ups in a thread keep
 * their context and a new post starts fresh. Personal and group chats have no threads.
 */
export function splitConversationId(id: string): { channel: string; thread?: string } {
  const m = /^(.*);messageid=([^;]+)$/i.exec(id);
  return m ? { channel: m[1]!, thread: m[2]! } : { channel: id };
}

function baseInbound(address: TeamsAddress, from: AccountRef | undefined): Inbound {
  const { channel, thread } = splitConversationId(address.reference.conversation.id);
  return {
    text: '',
    user: from?.aadObjectId ?? from?.id ?? 'unknown',
    channel,
    ...(thread ? { thread } : {}),
    platform: TEAMS_PLATFORM,
    address,
  };
}

/** The conversation reference of an incoming activity (what TurnContext.getConversationReference builds). */
export function addressOf(raw: Record<string, unknown>): TeamsAddress | null {
  const conversation = isRecord(raw.conversation) ? raw.conversation : null;
  if (!conversation || typeof conversation.id !== 'string' || conversation.id === '') return null;
  if (typeof raw.serviceUrl !== 'string' || !isHttpUrl(raw.serviceUrl)) return null;
  const bot = account(raw.recipient);
  if (!bot) return null;
  const user = account(raw.from);
  const channelData = isRecord(raw.channelData) ? raw.channelData : {};
  const teamsChannelId = isRecord(channelData.channel) && typeof channelData.channel.id === 'string' ? channelData.channel.id : undefined;
  const tenantId =
    isRecord(channelData.tenant) && typeof channelData.tenant.id === 'string'
      ? channelData.tenant.id
      : typeof conversation.tenantId === 'string'
        ? conversation.tenantId
        : undefined;

  const reference: ConversationRef = {
    ...(typeof raw.id === 'string' ? { activityId: raw.id } : {}),
    ...(user ? { user } : {}),
    bot,
    conversation: {
      id: conversation.id,
      ...(typeof conversation.conversationType === 'string' ? { conversationType: conversation.conversationType } : {}),
      ...(typeof conversation.tenantId === 'string' ? { tenantId: conversation.tenantId } : {}),
      ...(typeof conversation.isGroup === 'boolean' ? { isGroup: conversation.isGroup } : {}),
    },
    channelId: typeof raw.channelId === 'string' ? raw.channelId : 'msteams',
    serviceUrl: raw.serviceUrl,
    ...(typeof raw.locale === 'string' ? { locale: raw.locale } : {}),
  };
  return {
    v: 1,
    reference,
    ...(teamsChannelId && reference.conversation.conversationType === 'channel' ? { teamsChannelId } : {}),
    ...(tenantId ? { tenantId } : {}),
  };
}

/** Validates a stored address (it comes back from the database as parsed JSON). */
export function readAddress(value: unknown): TeamsAddress | null {
  if (!isRecord(value) || value.v !== 1 || !isRecord(value.reference)) return null;
  const ref = value.reference;
  if (!isRecord(ref.conversation) || typeof ref.conversation.id !== 'string') return null;
  if (typeof ref.serviceUrl !== 'string' || !isHttpUrl(ref.serviceUrl) || typeof ref.channelId !== 'string') return null;
  if (ref.bot !== undefined && !account(ref.bot)) return null;
  return value as unknown as TeamsAddress;
}

function account(v: unknown): AccountRef | undefined {
  if (!isRecord(v) || typeof v.id !== 'string' || v.id === '') return undefined;
  return {
    id: v.id,
    ...(typeof v.name === 'string' ? { name: v.name } : {}),
    ...(typeof v.aadObjectId === 'string' ? { aadObjectId: v.aadObjectId } : {}),
  };
}

export function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
