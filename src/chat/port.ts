import type { Reply } from '../reply/reply.js';

/** What a write is for: a progress message (may be dropped or superseded) or the answer itself. */
export interface WriteContext {
  phase: 'progress' | 'final';
  /** The reply the message was rendered from (a platform may fall back to plain text from it). */
  reply: Reply;
}

/**
 * One turn's view of a chat platform: how a Reply looks there and how a message is posted and edited.
 * Each adapter builds one per turn (it knows the channel, thread, response URL...). `M` is the platform's
 * message (Block Kit message, Teams activity), `Ref` whatever the platform needs to edit a message later.
 * Methods may throw: the engine logs, and never lets a failed write fail the turn.
 */
export interface ChatPort<M, Ref = unknown> {
  /** False where posted messages cannot be edited: progress then goes out as new messages. */
  readonly canEdit: boolean;
  /**
   * The reply as platform messages: the first is posted, the others are continuation pages reached with a
   * "Show more" button that carries `continuationToken` and the page number (2..n). Without a token the
   * answer must fit one message (trimmed, saying so).
   */
  render(reply: Reply, continuationToken?: string): M[];
  post(message: M, context: WriteContext): Promise<Ref>;
  update(ref: Ref, message: M, context: WriteContext): Promise<void>;
}
