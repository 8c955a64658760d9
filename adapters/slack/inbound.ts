import { z } from 'zod';
import type { Inbound } from '../../src/chat/core.js';
import { SLACK_PLATFORM } from './surface.js';

/**
 * The fields the adapter reads from Slack payloads, validated. The signature proves a payload came from
 * Slack, not that it has the shape the docs promise (Slack adds and drops fields over time), so a payload
 * that does not parse is logged and skipped instead of crashing a handler halfway through.
 */

const Id = z.string().regex(/^[A-Z0-9]{2,32}$/i);
const Ts = z.string().regex(/^\d{1,12}\.\d{1,9}$/);

export const SlashCommandPayload = z.object({
  text: z.string().max(10_000).default(''),
  user_id: Id,
  channel_id: Id,
  response_url: z.url().optional().catch(undefined), // a bad one only costs the ephemeral path
  /** Unique per invocation: a command delivered twice (a replay, a Socket Mode redelivery) runs once. */
  trigger_id: z.string().max(255).optional(),
});
export type SlashCommandPayload = z.infer<typeof SlashCommandPayload>;

export const MessageEventPayload = z.object({
  type: z.string(),
  subtype: z.string().optional(),
  user: Id.optional(),
  bot_id: z.string().optional(),
  bot_profile: z.unknown().optional(),
  text: z.string().max(40_000).default(''),
  channel: Id,
  channel_type: z.string().optional(),
  ts: Ts,
  thread_ts: Ts.optional(),
  /** Shared files (subtype file_share, or a mention with files): each entry is validated in files.ts. */
  files: z.array(z.unknown()).max(100).optional().catch(undefined),
});
export type MessageEventPayload = z.infer<typeof MessageEventPayload>;

export const BlockActionsPayload = z.object({
  type: z.literal('block_actions'),
  /** Unique per click: an interaction delivered twice runs once, as events do by event_id. */
  trigger_id: z.string().max(255).optional(),
  user: z.object({ id: Id }),
  channel: z.object({ id: Id }).optional(),
  container: z
    .object({
      channel_id: Id.optional(),
      message_ts: Ts.optional(),
      thread_ts: Ts.optional(),
      is_ephemeral: z.boolean().optional(),
    })
    .optional(),
  message: z.object({ ts: Ts, thread_ts: Ts.optional() }).optional(),
  response_url: z.url().optional().catch(undefined), // a bad one only costs the ephemeral path
  actions: z
    .array(
      z.object({
        action_id: z.string().max(255),
        value: z.string().max(2000).optional(),
        text: z.object({ text: z.string() }).optional(),
      }),
    )
    .min(1),
});
export type BlockActionsPayload = z.infer<typeof BlockActionsPayload>;

/**
 * A Slack message as the conversation core's Inbound. The address is what an alert needs to find this
 * conversation again: the channel. Alerts go to the channel itself rather than into a thread, where a
 * "tunnel down" would go unseen.
 */
export function inbound(text: string, user: string, channel: string, thread: string): Inbound {
  return { text, user, channel, thread, platform: SLACK_PLATFORM, address: { channel } };
}
