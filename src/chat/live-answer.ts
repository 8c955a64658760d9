import type { Logger } from 'pino';
import type { Reply } from '../reply/reply.js';
import type { Continuations } from './continuations.js';
import type { ChatPort } from './port.js';

/** Spaces out answer work so the acknowledgements of new requests never wait behind it (see answer-pacer.ts). */
export interface Pacer {
  step(): Promise<void>;
}

export interface LiveAnswerOptions<M extends object> {
  /** Least time between two progress writes of one answer (Slack: about one write per second). */
  progressIntervalMs: number;
  logger: Logger;
  continuations: Continuations<M>;
  pacer?: Pacer | undefined;
}

/**
 * One answer as the user sees it: posted once, then edited in place while the work reports progress
 * ("running" -> progress -> result), so nothing times out and the conversation gets one message, not ten.
 * Progress is coalesced (latest wins) and spaced out; the final answer replaces the progress message (or
 * is posted anew when that message is gone or cannot be edited), and the pages that do not fit the first
 * message are kept for "Show more". Writes run one after another, so an edit never overtakes the post that
 * created its message. Nothing here rejects: failures are logged, a progress callback has no one to tell.
 */
export class LiveAnswer<M extends object, Ref> {
  private posted: { ref: Ref } | undefined;
  private started = false;
  private finished = false;
  private chain: Promise<void> = Promise.resolve();
  private pending: Reply | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastWriteAt = 0;
  private markVisible!: () => void;
  /** Resolves once the first message of this answer is on screen, or failed to get there. */
  readonly visible: Promise<void> = new Promise((resolve) => (this.markVisible = resolve));

  constructor(
    private readonly port: ChatPort<M, Ref>,
    private readonly options: LiveAnswerOptions<M>,
  ) {}

  /** Whether a first message was posted or is on its way. */
  get hasMessage(): boolean {
    return this.started;
  }

  progress(interim: Reply): Promise<void> {
    if (this.finished) return Promise.resolve();
    if (!this.started) {
      this.started = true;
      return this.enqueue(async () => {
        try {
          await this.post(interim, 'progress');
        } finally {
          this.markVisible();
        }
      }, 'post the progress message');
    }
    this.pending = interim;
    this.scheduleProgress();
    return Promise.resolve();
  }

  finish(final: Reply): Promise<void> {
    this.finished = true;
    this.started = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = undefined;
    return this.enqueue(async () => {
      try {
        await this.deliverFinal(final);
      } finally {
        this.markVisible();
      }
    }, 'deliver the answer');
  }

  private scheduleProgress(): void {
    if (this.timer) return;
    const wait = Math.max(0, this.lastWriteAt + this.options.progressIntervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const interim = this.pending;
      this.pending = undefined;
      if (interim && !this.finished) void this.enqueue(() => this.writeProgress(interim), 'update the progress message');
    }, wait);
    this.timer.unref();
  }

  private async writeProgress(interim: Reply): Promise<void> {
    try {
      if (!this.port.canEdit) return await this.post(interim, 'progress');
      if (!this.posted) return;
      await this.options.pacer?.step();
      await this.port.update(this.posted.ref, this.page(interim), { phase: 'progress', reply: interim });
    } catch (err) {
      // The next update or the final answer supersedes this one; nothing is lost by skipping it.
      this.options.logger.debug({ err }, 'progress update skipped');
    } finally {
      this.lastWriteAt = Date.now();
    }
  }

  private async deliverFinal(final: Reply): Promise<void> {
    const { continuations } = this.options;
    const token = continuations.token();
    await this.options.pacer?.step();
    const pages = this.port.render(final, token);
    // Saved before the first page (and its "Show more" button) is on screen, so a quick click finds them.
    await continuations.save(token, pages.slice(1));
    const first = pages[0];
    if (!first) throw new Error('the renderer produced no message');
    if (this.posted && this.port.canEdit) {
      try {
        await this.port.update(this.posted.ref, first, { phase: 'final', reply: final });
        return;
      } catch (err) {
        // The progress message may be gone (deleted by a user): the answer still has to arrive.
        this.options.logger.warn({ err }, 'could not edit the progress message; posting the answer as a new message');
      }
    }
    await this.options.pacer?.step();
    this.posted = { ref: await this.port.post(first, { phase: 'final', reply: final }) };
  }

  private async post(r: Reply, phase: 'progress' | 'final'): Promise<void> {
    await this.options.pacer?.step();
    this.posted = { ref: await this.port.post(this.page(r), { phase, reply: r }) };
    this.lastWriteAt = Date.now();
  }

  /** A progress message is one page: it has no "Show more" to come back to. */
  private page(r: Reply): M {
    const first = this.port.render(r)[0];
    if (!first) throw new Error('the renderer produced no message');
    return first;
  }

  private enqueue(step: () => Promise<void>, what: string): Promise<void> {
    const run = this.chain.then(step).catch((err: unknown) => {
      this.options.logger.error({ err }, `could not ${what}`);
    });
    this.chain = run;
    return run;
  }
}
