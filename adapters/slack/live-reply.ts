import type { Logger } from 'pino';
import type { Reply } from '../../src/reply/reply.js';
import { renderTerminal } from '../../src/reply/render-terminal.js';
import { LIMITS } from './block-kit-limits.js';
import type { AnswerPacer } from './answer-pacer.js';
import type { ExpiringMap } from '../../src/util/expiring-map.js';
import { escapeMrkdwn, truncate } from './mrkdwn.js';
import { renderReply, type SlackMessage } from './render-blocks.js';
import { slackErrorCode, type SlackApi } from './slack-api.js';

/** Where one turn's answer goes, and how. Built by the listeners from the Slack payload. */
export interface ReplyTarget {
  channel: string;
  /** Thread to answer in; undefined answers at the top of the channel (slash command answers). */
  threadTs?: string | undefined;
  /** From slash commands and button clicks: the way to answer privately, or where the bot is not a member. */
  responseUrl?: string | undefined;
  /** Final replies that only the asker should see (help, errors of a slash command). Needs responseUrl. */
  isPrivate?: (reply: Reply) => boolean;
  /** Shown above the answer so a channel sees who asked what. */
  trigger?: { userId: string; text: string } | undefined;
  /** Told the ts of the first public message, so its thread continues this conversation. */
  onPosted?: (ts: string) => void;
}

export interface LiveReplyDeps {
  api: SlackApi;
  /** "Show more" pages 2..n, by continuation token. */
  pages: ExpiringMap<string, SlackMessage[]>;
  newToken: () => string;
  logger: Logger;
  /** Least time between two progress updates of one message (Slack: about one write per second). */
  progressIntervalMs: number;
  /** Spaces out answer work so acks of new requests never wait behind it. */
  pacer: AnswerPacer;
}

/** A response_url takes 5 posts in 30 minutes; progress may use 3 of them, the last ones are the answer's. */
const RESPONSE_URL_PROGRESS_USES = 3;

/** Errors after which a message cannot be posted in the channel itself, but a response_url still works. */
const NOT_A_MEMBER = new Set(['not_in_channel', 'channel_not_found']);
/** Errors after which updating the message is pointless and a new one is posted instead. */
const GONE = new Set(['message_not_found', 'cant_update_message', 'edit_window_closed']);

/**
 * One answer as the user sees it in Slack: posted once, then updated in place while a long check reports
 * progress ("running" -> progress -> result), so nothing times out and the channel gets one message, not
 * ten. Progress updates are coalesced (latest wins) and spaced out; a rate-limited progress update is
 * dropped rather than waited for, while the final answer waits as long as Slack's Retry-After says.
 * Nothing here rejects: failures are logged, because a progress callback has no one to report to.
 */
export class LiveReply {
  private posted: { via: 'web'; ts: string } | { via: 'response-url'; uses: number } | undefined;
  private started = false;
  private finished = false;
  private queue: Promise<void> = Promise.resolve();
  private pending: Reply | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastWriteAt = 0;

  constructor(
    private readonly deps: LiveReplyDeps,
    private readonly target: ReplyTarget,
  ) {}

  progress(interim: Reply): Promise<void> {
    if (this.finished) return Promise.resolve();
    if (!this.started) {
      this.started = true;
      return this.enqueue(() => this.postPublic(this.render(interim)[0]!));
    }
    this.pending = interim;
    this.scheduleProgressUpdate();
    return Promise.resolve();
  }

  finish(final: Reply): Promise<void> {
    this.finished = true;
    clearTimeout(this.timer);
    this.pending = undefined;
    return this.enqueue(() => this.deliverFinal(final));
  }

  private scheduleProgressUpdate(): void {
    if (this.timer) return;
    const wait = Math.max(0, this.lastWriteAt + this.deps.progressIntervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const interim = this.pending;
      this.pending = undefined;
      if (interim && !this.finished) void this.enqueue(() => this.updateProgress(interim));
    }, wait);
  }

  private async updateProgress(interim: Reply): Promise<void> {
    const [page] = this.render(interim);
    const posted = this.posted;
    if (!posted || !page) return;
    try {
      if (posted.via === 'web') {
        await this.deps.api.update({ channel: this.target.channel, ts: posted.ts }, page, { maxRateLimitWaitMs: 0 });
      } else if (posted.uses < RESPONSE_URL_PROGRESS_USES && this.target.responseUrl) {
        posted.uses += 1;
        await this.deps.api.respond(this.target.responseUrl, { ...page, replace_original: true, response_type: 'in_channel' }, { maxRateLimitWaitMs: 0 });
      }
    } catch (err) {
      // The next update or the final answer supersedes this one; nothing is lost by skipping it.
      this.deps.logger.debug({ err, channel: this.target.channel }, 'progress update skipped');
    } finally {
      this.lastWriteAt = Date.now();
    }
  }

  private async deliverFinal(final: Reply): Promise<void> {
    await this.deps.pacer.step();
    const token = this.deps.newToken();
    const pages = this.render(final, token);
    if (pages.length > 1) this.deps.pages.set(token, pages.slice(1));
    const page = pages[0]!;
    const posted = this.posted;
    const { api } = this.deps;

    if (posted?.via === 'web') {
      try {
        await this.withTextFallback(final, page, (m) => api.update({ channel: this.target.channel, ts: posted.ts }, m));
        return;
      } catch (err) {
        if (!GONE.has(slackErrorCode(err) ?? '')) throw err;
        this.posted = undefined; // the progress message was deleted: post the answer anew
      }
    } else if (posted?.via === 'response-url' && this.target.responseUrl) {
      await api.respond(this.target.responseUrl, { ...page, replace_original: true, response_type: 'in_channel' });
      return;
    }

    if (!this.posted && this.target.responseUrl && this.target.isPrivate?.(final)) {
      await api.respond(this.target.responseUrl, { ...page, response_type: 'ephemeral', replace_original: false });
      return;
    }
    await this.postPublic(page, final);
  }

  /** Posts in the channel or thread; where the bot is not a member, through the response_url instead. */
  private async postPublic(page: SlackMessage, source?: Reply): Promise<void> {
    const { api } = this.deps;
    try {
      const { ts } = await this.withTextFallback(source, page, (m) =>
        api.postMessage({ channel: this.target.channel, threadTs: this.target.threadTs }, m),
      );
      this.posted = { via: 'web', ts };
      this.lastWriteAt = Date.now();
      this.target.onPosted?.(ts);
    } catch (err) {
      if (!NOT_A_MEMBER.has(slackErrorCode(err) ?? '') || !this.target.responseUrl) throw err;
      this.deps.logger.info({ channel: this.target.channel }, 'not a member of this channel: answering through the response_url');
      await api.respond(this.target.responseUrl, { ...withMembershipHint(page), response_type: 'in_channel', replace_original: false });
      this.posted = { via: 'response-url', uses: 1 };
      this.lastWriteAt = Date.now();
    }
  }

  /**
   * If Slack refuses the blocks (`invalid_blocks`: a limit we got wrong, or one Slack changed), the answer
   * still goes out as plain text rather than not at all.
   */
  private async withTextFallback<T>(source: Reply | undefined, page: SlackMessage, send: (m: SlackMessage) => Promise<T>): Promise<T> {
    await this.deps.pacer.step();
    try {
      return await send(page);
    } catch (err) {
      const code = slackErrorCode(err);
      if (code !== 'invalid_blocks' && code !== 'msg_too_long' && code !== 'invalid_blocks_format') throw err;
      this.deps.logger.error({ err, channel: this.target.channel }, 'Slack rejected the blocks; sending the answer as plain text');
      const plain = source ? renderTerminal(source, { color: false }) : page.text;
      return send({ text: `\`\`\`\n${truncate(escapeMrkdwn(plain), 3900)}\n\`\`\``, blocks: [] });
    }
  }

  private render(reply: Reply, token?: string): SlackMessage[] {
    return renderReply(reply, {
      ...(this.target.trigger ? { trigger: this.target.trigger } : {}),
      ...(token ? { continuationToken: token } : {}),
    });
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    const run = this.queue.then(step).catch((err: unknown) => {
      this.deps.logger.error({ err, channel: this.target.channel }, 'could not deliver the answer to Slack');
    });
    this.queue = run;
    return run;
  }
}

function withMembershipHint(page: SlackMessage): SlackMessage {
  if (page.blocks.length >= LIMITS.blocksPerMessage) return page;
  return {
    ...page,
    blocks: [
      ...page.blocks,
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: ':information_source: I am not a member of this channel, so this answer cannot get a thread, live updates or alerts. Add me with `/invite` to get them.',
          },
        ],
      },
    ],
  };
}
