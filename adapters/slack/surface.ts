/**
 * Everything the Slack app registers and calls, in one place: the listeners are registered from these
 * names, and a test checks manifest.json (what a workspace admin installs) against them, so the manifest
 * never asks for a scope the code does not use, nor misses one it does.
 */

export const SLASH_COMMAND = '/vpn';

/** Events API subscriptions, spelled as manifest.json spells them. */
export const BOT_EVENTS = ['app_mention', 'message.im'] as const;

/** The scope Slack requires before it delivers each subscribed event, and for slash commands. */
export const BOT_EVENT_SCOPES = {
  app_mention: 'app_mentions:read',
  'message.im': 'im:history',
} as const satisfies Record<(typeof BOT_EVENTS)[number], string>;
export const SLASH_COMMAND_SCOPE = 'commands';

/** Bot token scopes and why each is needed; nothing else is requested. */
export const BOT_SCOPES = {
  commands: 'the /vpn slash command',
  'chat:write': 'post answers, live progress and alerts (chat.postMessage, chat.update)',
  'app_mentions:read': 'receive @mentions in channels (app_mention)',
  'im:history': 'receive direct messages to the bot (message.im)',
  'files:read': 'read the logs and configurations shared with the bot (url_private_download of files in a message)',
} as const;

/** Web API methods the adapter calls with the bot token, and the scope each one needs. */
export const BOT_WEB_API_METHODS = {
  'auth.test': null,
  'chat.postMessage': 'chat:write',
  'chat.update': 'chat:write',
} as const satisfies Record<string, keyof typeof BOT_SCOPES | null>;

/** Downloading a shared file's url_private_download with the bot token needs this scope (files.ts). */
export const BOT_FILE_DOWNLOAD_SCOPE = 'files:read' satisfies keyof typeof BOT_SCOPES;

export const SLACK_PLATFORM = 'slack';
