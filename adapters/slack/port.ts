import type { Logger } from 'pino';
import type { ChatPort, WriteContext } from '../../src/chat/port.js';
import type { Reply } from '../../src/reply/reply.js';
import { renderTerminal } from '../../src/reply/render-terminal.js';
import { LIMITS } from './limits.js';
import { escapeMrkdwn, truncate } from './mrkdwn.js';
import { renderReply, type SlackMessage } from './render.js';
import { slackErrorCode, type SlackApi } from './api.js';

/** Where one turn's answer goes in Slack, and how. Built by the event listeners from the payload. */
export interface SlackTarget {
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
  onPosted?: (ts: string) => void | Promise<void>;
}

/** How a posted answer can be reached again: a channel message, a response_url, or not at all (ephemeral). */
export type SlackRef = { via: 'web'; ts: string } | { via: 'response-url' } | { via: 'ephemeral' };

/** A response_url takes 5 posts in 30 minutes; progress may use 3 of them, the last ones are the answer's. */
const RESPONSE_URL_PROGRESS_USES = 3;

/** Errors after which a message cannot be posted in the channel itself, but a response_url still works. */
const NOT_A_MEMBER = new Set(['not_in_channel', 'channel_not_found']);
/** Errors that say the blocks, not the message, were refused: the answer then goes out as plain text. */
const BLOCKS_REFUSED = new Set(['invalid_blocks', 'msg_too_long', 'invalid_blocks_format']);

/**
 * One turn's answer in Slack, for the turn engine: Block Kit rendering, chat.postMessage / chat.update,
 * and what only Slack has: private (ephemeral) answers and, where the bot is not a channel member, the
 * response_url with its few uses. A progress edit never waits out a rate limit (the next one supersedes
 * it); the answer waits as long as Slack's Retry-After says.
 */
export class SlackPort implements ChatPort<SlackMessage, SlackRef> {
  readonly canEdit = true;
  private responseUrlUses = 0;

  constructor(
    private readonly api: SlackApi,
    private readonly target: SlackTarget,
    private readonly logger: Logger,
  ) {}

  render(reply: Reply, continuationToken?: string): SlackMessage[] {
    return renderReply(reply, {
      ...(this.target.trigger ? { trigger: this.target.trigger } : {}),
      ...(continuationToken ? { continuationToken } : {}),
    });
  }

  async post(message: SlackMessage, { phase, reply }: WriteContext): Promise<SlackRef> {
    const { api, target } = this;
    if (phase === 'final' && target.responseUrl && target.isPrivate?.(reply)) {
      await api.respond(target.responseUrl, { ...message, response_type: 'ephemeral', replace_original: false });
      return { via: 'ephemeral' };
    }
    try {
      const { ts } = await this.withTextFallback(reply, message, (m) =>
        api.postMessage({ channel: target.channel, threadTs: target.threadTs }, m),
      );
      await target.onPosted?.(ts);
      return { via: 'web', ts };
    } catch (err) {
      if (!NOT_A_MEMBER.has(slackErrorCode(err) ?? '') || !target.responseUrl) throw err;
      this.logger.info({ channel: target.channel }, 'not a member of this channel: answering through the response_url');
      this.responseUrlUses += 1;
      await api.respond(target.responseUrl, { ...withMembershipHint(message), response_type: 'in_channel', replace_original: false });
      return { via: 'response-url' };
    }
  }

  async update(ref: SlackRef, message: SlackMessage, { phase, reply }: WriteContext): Promise<void> {
    const { api, target } = this;
    const options = phase === 'progress' ? { maxRateLimitWaitMs: 0 } : {};
    if (ref.via === 'web') {
      await this.withTextFallback(reply, message, (m) => api.update({ channel: target.channel, ts: ref.ts }, m, options));
      return;
    }
    if (ref.via === 'response-url' && target.responseUrl) {
      if (phase === 'progress' && this.responseUrlUses >= RESPONSE_URL_PROGRESS_USES) return;
      this.responseUrlUses += 1;
      await api.respond(target.responseUrl, { ...message, replace_original: true, response_type: 'in_channel' }, options);
      return;
    }
    throw new Error('this Slack message cannot be edited');
  }

  /**
   * If Slack refuses the blocks (a limit we got wrong, or one Slack changed), the answer still goes out as
   * plain text rather than not at all.
   */
  private async withTextFallback<T>(source: Reply, page: SlackMessage, send: (m: SlackMessage) => Promise<T>): Promise<T> {
    try {
      return await send(page);
    } catch (err) {
      if (!BLOCKS_REFUSED.has(slackErrorCode(err) ?? '')) throw err;
      this.logger.error({ err, channel: this.target.channel }, 'Slack rejected the blocks; sending the answer as plain text');
      return send({ text: `\`\`\`\n${truncate(escapeMrkdwn(renderTerminal(source, { color: false })), 3900)}\n\`\`\``, blocks: [] });
    }
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
