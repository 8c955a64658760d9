import { BOT_USER_ID, TEAM_ID } from './fake-slack-api.js';

export const CHANNEL = 'C0NETWORK1';
export const DM_CHANNEL = 'D0DIRECT01';
export const USER = 'U0ONCALL01';
export const OTHER_USER = 'U0COLLEAG1';

let seq = 0;
export const nextTs = () => `1710000000.${String(++seq).padStart(6, '0')}`;
export const nextEventId = () => `Ev${String(++seq).padStart(8, '0')}`;

/** The form fields Slack posts for a slash command. */
export function slashCommandFields(text: string, over: Partial<Record<string, string>> & { response_url: string }): Record<string, string> {
  return {
    token: 'deprecated-verification-token',
    team_id: TEAM_ID,
    team_domain: 'example',
    channel_id: CHANNEL,
    channel_name: 'network',
    user_id: USER,
    user_name: 'oncall',
    command: '/vpn',
    text,
    api_app_id: 'A0VPNDOCTR',
    is_enterprise_install: 'false',
    trigger_id: `${++seq}.1.abcdef`,
    ...over,
  } as Record<string, string>;
}

export function eventCallback(event: Record<string, unknown>, eventId = nextEventId()): Record<string, unknown> {
  return {
    token: 'deprecated-verification-token',
    team_id: TEAM_ID,
    api_app_id: 'A0VPNDOCTR',
    event,
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: TEAM_ID, user_id: BOT_USER_ID, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  };
}

export function appMention(text: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  const ts = nextTs();
  return { type: 'app_mention', user: USER, text: `<@${BOT_USER_ID}> ${text}`, ts, channel: CHANNEL, event_ts: ts, ...over };
}

export function directMessage(text: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  const ts = nextTs();
  return { type: 'message', channel_type: 'im', user: USER, text, ts, channel: DM_CHANNEL, event_ts: ts, ...over };
}

export function blockActions(options: {
  actionId: string;
  value: string;
  label: string;
  channel: string;
  messageTs: string;
  threadTs?: string;
  responseUrl: string;
  user?: string;
  ephemeral?: boolean;
}): Record<string, unknown> {
  return {
    type: 'block_actions',
    user: { id: options.user ?? USER, username: 'oncall', name: 'oncall', team_id: TEAM_ID },
    api_app_id: 'A0VPNDOCTR',
    token: 'deprecated-verification-token',
    container: {
      type: 'message',
      message_ts: options.messageTs,
      channel_id: options.channel,
      is_ephemeral: options.ephemeral ?? false,
      ...(options.threadTs ? { thread_ts: options.threadTs } : {}),
    },
    trigger_id: `${++seq}.2.abcdef`,
    team: { id: TEAM_ID, domain: 'example' },
    channel: { id: options.channel, name: 'network' },
    message: options.ephemeral
      ? undefined
      : {
          type: 'message',
          ts: options.messageTs,
          ...(options.threadTs ? { thread_ts: options.threadTs } : {}),
          user: BOT_USER_ID,
          bot_id: 'BBOTVPN01',
        },
    response_url: options.responseUrl,
    actions: [
      {
        action_id: options.actionId,
        block_id: 'b1',
        text: { type: 'plain_text', text: options.label, emoji: true },
        value: options.value,
        type: 'button',
        action_ts: String(Date.now() / 1000),
      },
    ],
  };
}

/** The buttons of a posted message: label -> {action_id, value}. */
export function buttonsOf(blocks: unknown[]): Map<string, { actionId: string; value: string }> {
  const out = new Map<string, { actionId: string; value: string }>();
  for (const b of blocks as Record<string, unknown>[]) {
    const elements =
      b.type === 'actions' ? (b.elements as Record<string, unknown>[]) : b.accessory ? [b.accessory as Record<string, unknown>] : [];
    for (const e of elements) {
      const label = (e.text as { text: string }).text;
      out.set(label, { actionId: String(e.action_id), value: String(e.value) });
    }
  }
  return out;
}

export function headerOf(blocks: unknown[]): string | undefined {
  const h = (blocks as Record<string, unknown>[]).find((b) => b.type === 'header');
  return h ? (h.text as { text: string }).text : undefined;
}

export function allText(blocks: unknown[]): string {
  return JSON.stringify(blocks);
}
