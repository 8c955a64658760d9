import type { Reply } from '../reply/reply.js';

/**
 * A chat platform that can post a message into a conversation it was not asked in (proactive alerts, such
 * as keep-alive "tunnel down" events). Each adapter that supports alerts provides one; the server routes
 * an alert to the channel whose `platform` matches the subscription's.
 */
export interface AlertChannel {
  readonly platform: string;
  /** `address` is the value the adapter put in `Inbound.address` when the subscription was made. */
  post(address: unknown, alert: Reply): Promise<void>;
}
