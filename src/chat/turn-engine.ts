import type { Logger } from 'pino';
import type { Reply } from '../reply/reply.js';
import { Continuations } from './continuations.js';
import { ConversationQueue } from './conversation-queue.js';
import { conversationKey, type ConversationCore, type Inbound } from './core.js';
import { Deliveries } from './deliveries.js';
import { failureReply, workingReply } from './failure-reply.js';
import { InFlight } from './in-flight.js';
import { LiveAnswer, type Pacer } from './live-answer.js';
import type { ChatPort } from './port.js';
import type { SharedMemory } from './shared-memory.js';

export interface TurnEngineOptions<M extends object> {
  core: ConversationCore;
  logger: Logger;
  /** Least time between two progress writes of one answer. Default 1 s. */
  progressIntervalMs?: number;
  /** Acks before answers (Slack under a burst of requests); none by default. */
  pacer?: Pacer;
  /** Where continuation pages are kept; one per adapter, with the one TTL (CONTINUATION_TTL_MS). Default: in `memory`. */
  continuations?: Continuations<M>;
  /**
   * Memory shared by every replica (the database): a platform's retry delivered to another replica than the
   * first delivery is recognised there too, and pages saved here are found there. Default: this process only.
   */
  memory?: SharedMemory;
  /** How long a delivery is remembered to recognise a platform's retry of it. Default 1 h. */
  retryMemoryMs?: number;
}

/** The handle of a delivery another replica took: nothing to wait for here. */
const ANSWERED_ELSEWHERE: TurnHandle = { visible: Promise.resolve(), done: Promise.resolve(), finished: true };

/** One message to answer. */
export interface Turn<M, Ref> {
  inbound: Inbound;
  port: ChatPort<M, Ref>;
  /**
   * Ids this delivery is known by (event id, message id): a later delivery with any of them is a
   * platform's retry and gets this turn back instead of a second answer.
   */
  deliveryKeys?: readonly string[];
  /**
   * When nothing has been posted this long after the message arrived (the answer is slow, or waits behind
   * an earlier message of the conversation), post a "working on it" message that the answer replaces.
   */
  workingAfterMs?: number;
}

export interface TurnHandle {
  /** Resolves once the first message of the answer is on screen (or failed to get there). */
  readonly visible: Promise<void>;
  /** Resolves when the answer has been delivered; never rejects. */
  readonly done: Promise<void>;
  /** True once `done` has resolved. */
  readonly finished: boolean;
}

/**
 * The chat-turn lifecycle, the same for every platform: a message goes through the conversation core
 * in order within its conversation, its answer is shown live (post, throttled edits, final) with long
 * answers split into continuation pages, a platform's retry of a delivery is recognised, a failing core
 * gets the one failure reply, and shutdown waits for answers being written. It knows no platform: each
 * adapter gives it a ChatPort per turn.
 */
export class TurnEngine<M extends object> {
  private readonly queue = new ConversationQueue();
  /** Claims in the shared memory, one conversation's after another: turns still start in arrival order. */
  private readonly claims = new ConversationQueue();
  private readonly inFlight = new InFlight();
  /** Deliveries seen by this process: a retry arriving here gets the first delivery's handle back. */
  private readonly deliveries: Deliveries<Promise<TurnHandle | null>>;
  private readonly continuations: Continuations<M>;
  private readonly logger: Logger;

  constructor(private readonly options: TurnEngineOptions<M>) {
    this.logger = options.logger;
    this.continuations = options.continuations ?? new Continuations<M>(options.memory);
    this.deliveries = new Deliveries({ ttlMs: this.retryMemoryMs, max: 50_000 });
  }

  private get retryMemoryMs(): number {
    return this.options.retryMemoryMs ?? 60 * 60 * 1000;
  }

  /**
   * Starts a turn, or hands back the turn a retried delivery already started (`retry: true`). A retry whose
   * first delivery went to another replica gets a finished handle: that replica answers it.
   */
  async run<Ref>(turn: Turn<M, Ref>): Promise<{ handle: TurnHandle; retry: boolean }> {
    const { value, retry } = this.deliveries.once(turn.deliveryKeys ?? [], () => this.claimThenStart(turn));
    const handle = await value;
    return handle ? { handle, retry } : { handle: ANSWERED_ELSEWHERE, retry: true };
  }

  /** Page `page` (2..n) of a long answer, for the platform's "Show more" button; undefined once expired. */
  page(token: string, page: number): Promise<M | undefined> {
    return this.continuations.page(token, page);
  }

  /** Claims the delivery's keys in the shared memory; null when another replica claimed one first. */
  private async claimThenStart<Ref>(turn: Turn<M, Ref>): Promise<TurnHandle | null> {
    const keys = turn.deliveryKeys ?? [];
    const memory = this.options.memory;
    if (!memory || keys.length === 0) return this.start(turn);
    // Tracked from the claim on: a drain (shutdown, an adapter's idle()) waits for a turn being claimed.
    const claimed = this.claims.run(conversationKey(turn.inbound), async () => {
      try {
        const claims = await Promise.all(keys.map((key) => memory.rememberOnce(`delivery:${key}`, this.retryMemoryMs)));
        if (claims.some((first) => !first)) return null;
      } catch (err) {
        // Better a rare double answer than no answer while the database is unreachable.
        this.logger.warn({ err }, 'delivery memory unavailable: answering without the retry check');
      }
      return this.start(turn);
    });
    return this.inFlight.track(claimed);
  }

  /** Turns still running (queued or being answered). */
  get running(): number {
    return this.inFlight.size;
  }

  /** Waits for the turns running now; true when all finished, false when `deadlineMs` came first. */
  drain(deadlineMs: number): Promise<boolean> {
    return this.inFlight.drain(deadlineMs);
  }

  private start<Ref>(turn: Turn<M, Ref>): TurnHandle {
    const { inbound } = turn;
    const conversation = conversationKey(inbound);
    const arrived = Date.now();
    const answer = new LiveAnswer<M, Ref>(turn.port, {
      progressIntervalMs: this.options.progressIntervalMs ?? 1000,
      logger: this.logger.child({ conversation }),
      continuations: this.continuations,
      pacer: this.options.pacer,
    });
    let working: NodeJS.Timeout | undefined;
    if (turn.workingAfterMs !== undefined) {
      working = setTimeout(() => {
        if (!answer.hasMessage) void answer.progress(workingReply());
      }, turn.workingAfterMs);
      working.unref();
    }

    let finished = false;
    const work = this.queue
      .run(conversation, async (release) => {
        await this.options.pacer?.step();
        const started = Date.now();
        let result: Reply;
        try {
          result = await this.options.core.handle(inbound, {
            progress: async (interim) => {
              // A turn showing progress has read what it needs: later messages need not wait for it.
              release();
              await answer.progress(interim);
            },
          });
        } catch (err) {
          this.logger.error({ err, conversation, platform: inbound.platform }, 'the conversation core failed on a message');
          result = failureReply();
        }
        clearTimeout(working);
        await answer.finish(result);
        this.logger.info(
          {
            conversation,
            platform: inbound.platform,
            user: inbound.user,
            kind: result.kind,
            topic: result.topic,
            ms: Date.now() - started,
            waitedMs: started - arrived,
          },
          'turn answered',
        );
      })
      .catch((err: unknown) => this.logger.error({ err, conversation }, 'a turn failed'))
      .finally(() => {
        clearTimeout(working);
        finished = true;
      });
    return {
      visible: answer.visible,
      done: this.inFlight.track(work),
      get finished() {
        return finished;
      },
    };
  }
}
