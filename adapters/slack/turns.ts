import type { Logger } from 'pino';
import { Assistant, type HandleHooks, type Inbound } from '../../src/conversation/assistant.js';
import { reply, type Reply } from '../../src/reply/reply.js';
import type { ConversationQueue } from './conversation-queue.js';
import type { InFlight } from './in-flight.js';
import { LiveReply, type LiveReplyDeps, type ReplyTarget } from './live-reply.js';

/** What the adapter needs of the conversation core: one message in, one Reply out. */
export interface ConversationCore {
  handle(inbound: Inbound, hooks?: HandleHooks): Promise<Reply>;
}

export interface Turn {
  inbound: Inbound;
  target: ReplyTarget;
}

/**
 * Runs one message through the conversation core and delivers the answer: in order within its
 * conversation, tracked for graceful shutdown, and never failing silently: if the core throws, the user
 * gets a short error message and the log gets the details.
 */
export class TurnRunner {
  constructor(
    private readonly core: ConversationCore,
    private readonly live: LiveReplyDeps,
    private readonly queue: ConversationQueue,
    private readonly inFlight: InFlight,
    private readonly logger: Logger,
  ) {}

  run(turn: Turn): Promise<void> {
    const conversation = Assistant.conversationKey(turn.inbound);
    const work = this.queue.run(conversation, async (release) => {
      await this.live.pacer.step(); // requests waiting for their ack go first (see answer-pacer.ts)
      const started = Date.now();
      const answer = new LiveReply(this.live, turn.target);
      let result: Reply;
      try {
        result = await this.core.handle(turn.inbound, {
          progress: async (interim) => {
            release();
            await answer.progress(interim);
          },
        });
      } catch (err) {
        this.logger.error({ err, conversation }, 'the conversation core failed on a Slack message');
        result = failureReply();
      }
      await answer.finish(result);
      this.logger.info({ conversation, user: turn.inbound.user, kind: result.kind, topic: result.topic, ms: Date.now() - started }, 'slack turn answered');
    });
    return this.inFlight.track(work);
  }
}

function failureReply(): Reply {
  return reply({
    kind: 'error',
    title: 'Something went wrong on my side',
    summary: 'I could not finish that request. The details are in the vpn-doctor log; please try again in a moment.',
  });
}
