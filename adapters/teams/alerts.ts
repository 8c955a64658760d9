import type { CloudAdapter, ConversationParameters, ConversationReference, TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type { AlertChannel } from '../../src/conversation/alerts.js';
import type { Reply } from '../../src/reply/reply.js';
import { messageActivity, proactiveApi } from './api.js';
import { readAddress, TEAMS_PLATFORM, type TeamsAddress } from './inbound.js';
import { safeError } from './log-safe.js';
import type { TeamsMessage } from './render.js';

/** The part of the SDK's ConnectorClient used here (the type is not exported by botbuilder). */
interface ConnectorLike {
  conversations: { createConversation(parameters: ConversationParameters): Promise<{ id?: string; activityId?: string }> };
}

/**
 * Proactive alerts (keep-alive "tunnel down" events) into the conversation where someone typed
 * `keepalive on AGENT here`, using the conversation reference stored with the subscription.
 *
 * In a channel the alert starts a new post (POST /v3/conversations with the channel id): an alert that
 * lands as a reply deep in an old thread is easy to miss, and a new post notifies the channel. If Teams
 * refuses that, the alert goes into the stored thread instead. Personal and group chats get a message in
 * the chat.
 */
export function createTeamsAlertChannel(deps: {
  adapter: CloudAdapter;
  appId: string;
  render: (alert: Reply) => TeamsMessage[];
  logger: Logger;
}): AlertChannel {
  const { adapter, appId, render, logger } = deps;
  return {
    platform: TEAMS_PLATFORM,
    async post(address: unknown, alert: Reply): Promise<void> {
      const target = readAddress(address);
      if (!target) throw new Error('not a Teams conversation address');
      // An alert is one card: no "Show the rest" to come back to later.
      const message = render(alert)[0]!;
      if (target.teamsChannelId) {
        try {
          await newChannelPost(adapter, appId, target, messageActivity(message));
          return;
        } catch (err) {
          logger.warn(
            { err: safeError(err) },
            'teams: could not start a new channel post for an alert; replying in the subscribing thread',
          );
        }
      }
      await proactiveApi(adapter, appId, target.reference).send(message);
    },
  };
}

async function newChannelPost(
  adapter: CloudAdapter,
  appId: string,
  target: TeamsAddress,
  activity: ReturnType<typeof messageActivity>,
): Promise<void> {
  let failure: unknown;
  await adapter.continueConversationAsync(
    appId,
    target.reference as unknown as Partial<ConversationReference>,
    async (context: TurnContext) => {
      try {
        const connector = context.turnState.get(context.adapter.ConnectorClientKey) as ConnectorLike | undefined;
        if (!connector) throw new Error('no connector client in the proactive turn');
        const parameters = {
          isGroup: true,
          bot: target.reference.bot,
          channelData: { channel: { id: target.teamsChannelId }, ...(target.tenantId ? { tenant: { id: target.tenantId } } : {}) },
          activity,
          ...(target.tenantId ? { tenantId: target.tenantId } : {}),
        } as unknown as ConversationParameters;
        await connector.conversations.createConversation(parameters);
      } catch (err) {
        failure = err;
      }
    },
  );
  if (failure) throw failure;
}
