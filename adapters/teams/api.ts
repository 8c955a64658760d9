import { ActivityTypes, type CloudAdapter, type ConversationReference, type TurnContext } from 'botbuilder';
import type { ConversationRef } from './inbound.js';
import type { TeamsMessage } from './render.js';

/**
 * Posting into one Teams conversation: send a message, update one in place. Two ways to reach it: within
 * the current turn (the connector client of the incoming request) and after the turn has ended (a
 * proactive turn on the stored conversation reference). This is all the SDK glue for writing messages.
 */
export interface ConversationApi {
  /** Returns the new message's activity id (needed to update it), when the channel returns one. */
  send(message: TeamsMessage): Promise<string | undefined>;
  update(activityId: string, message: TeamsMessage): Promise<void>;
}

export function messageActivity(m: TeamsMessage): { type: string; attachments: TeamsMessage['attachments']; summary: string } {
  return { type: ActivityTypes.Message, attachments: m.attachments, summary: m.summary };
}

/** Posting within the current turn. */
export function turnApi(context: TurnContext): ConversationApi {
  return {
    async send(m) {
      return (await context.sendActivity(messageActivity(m)))?.id;
    },
    async update(activityId, m) {
      await context.updateActivity({ ...messageActivity(m), id: activityId });
    },
  };
}

/**
 * Posting after the turn: each operation opens a proactive turn on the stored conversation reference.
 * Errors inside the callback would go to the adapter's onTurnError and be swallowed, so they are carried
 * out and rethrown here.
 */
export function proactiveApi(adapter: CloudAdapter, appId: string, reference: ConversationRef): ConversationApi {
  // Our reference is the JSON-safe subset of the SDK's ConversationReference that a continuation reads.
  const ref = reference as unknown as Partial<ConversationReference>;
  const inTurn = async <T>(work: (context: TurnContext) => Promise<T>): Promise<T> => {
    let result: { value: T } | { error: unknown } | undefined;
    await adapter.continueConversationAsync(appId, ref, async (context) => {
      try {
        result = { value: await work(context) };
      } catch (error) {
        result = { error };
      }
    });
    if (!result) throw new Error('the proactive turn did not run');
    if ('error' in result) throw result.error;
    return result.value;
  };
  return {
    send: (m) => inTurn(async (context) => (await context.sendActivity(messageActivity(m)))?.id),
    update: (activityId, m) =>
      inTurn(async (context) => {
        await context.updateActivity({ ...messageActivity(m), id: activityId });
      }),
  };
}
