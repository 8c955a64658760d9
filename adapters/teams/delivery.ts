import type { Logger } from 'pino';
import type { Reply } from '../../src/reply/reply.js';
import { safeError } from './log-safe.js';

/**
 * Posting into one Teams conversation: send a message, update one in place. SDK-free; the SDK glue
 * provides one port bound to the current turn and one that works after the turn has ended (proactive).
 */
export interface ConversationPort {
  /** Returns the new message's activity id (needed to update it), when the channel returns one. */
  send(message: OutboundMessage): Promise<string | undefined>;
  update(activityId: string, message: OutboundMessage): Promise<void>;
}

/** A message as the adapter posts it: one attachment (the card) and a short notification text. */
export interface OutboundMessage {
  attachments: { contentType: string; content: unknown }[];
  summary: string;
}

export interface DeliveryOptions {
  /** Minimum time between two in-place updates of the progress card (Teams throttles edits). */
  progressIntervalMs: number;
  logger: Logger;
}

/**
 * Delivers what the assistant produces for one request: interim progress as a "running" card that is
 * updated in place (throttled, latest wins), then the result, which replaces the running card. All
 * operations run one after another so an update never overtakes the send that created its card. Errors
 * are logged, never thrown at the assistant: a failed progress update must not fail the check.
 */
export class ReplyDelivery {
  private chain: Promise<unknown> = Promise.resolve();
  private runningId: string | undefined;
  private runningStarted = false;
  private finished = false;
  private pending: Reply | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastUpdateAt = 0;
  private shown!: () => void;
  /** Resolves once a progress card is on screen (or failed to get there). */
  readonly progressShown: Promise<void> = new Promise((resolve) => (this.shown = resolve));

  constructor(
    private port: ConversationPort,
    private readonly render: (r: Reply) => OutboundMessage,
    private readonly options: DeliveryOptions,
  ) {}

  /** Later operations go through this port (the turn is over: switch to proactive messaging). */
  usePort(port: ConversationPort): void {
    this.port = port;
  }

  get hasRunningCard(): boolean {
    return this.runningStarted;
  }

  progress(r: Reply): Promise<void> {
    if (this.finished) return Promise.resolve();
    if (!this.runningStarted) {
      this.runningStarted = true;
      return this.enqueue(async () => {
        try {
          this.runningId = await this.port.send(this.render(r));
          this.lastUpdateAt = Date.now();
        } finally {
          this.shown();
        }
      }, 'post the progress card');
    }
    this.pending = r;
    if (!this.timer) {
      const wait = Math.max(0, this.lastUpdateAt + this.options.progressIntervalMs - Date.now());
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.enqueue(() => this.flushProgress(), 'update the progress card');
      }, wait);
      this.timer.unref();
    }
    return Promise.resolve();
  }

  /** Shows the result: replaces the running card, or posts a new message when there is none. */
  final(r: Reply): Promise<void> {
    this.finished = true;
    this.pending = undefined;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    return this.enqueue(async () => {
      const message = this.render(r);
      if (this.runningId) {
        try {
          await this.port.update(this.runningId, message);
          return;
        } catch (err) {
          // The running card may be gone (deleted by a user): the result still has to arrive.
          this.options.logger.warn({ err: safeError(err) }, 'teams: could not update the progress card; posting the result as a new message');
        }
      }
      await this.port.send(message);
    }, 'post the result');
  }

  /** Waits for everything queued so far. */
  async idle(): Promise<void> {
    await this.chain;
  }

  private async flushProgress(): Promise<void> {
    const r = this.pending;
    this.pending = undefined;
    if (!r || this.finished || !this.runningId) return;
    this.lastUpdateAt = Date.now();
    await this.port.update(this.runningId, this.render(r));
  }

  private enqueue(op: () => Promise<void>, what: string): Promise<void> {
    const run = this.chain.then(op).catch((err: unknown) => {
      this.options.logger.error({ err: safeError(err) }, `teams: failed to ${what}`);
    });
    this.chain = run;
    return run;
  }
}
