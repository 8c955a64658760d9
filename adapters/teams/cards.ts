import { randomBytes } from 'node:crypto';
import type { Reply } from '../../src/reply/reply.js';
import type { OutboundMessage } from './delivery.js';
import { cardAttachment, clip, renderCard, type CardActionType, type CardContinuation } from './render-card.js';
import { ExpiringMap } from '../../src/util/expiring-map.js';

/**
 * Turns Replies into Teams messages and remembers, for a while, the parts that did not fit in one card,
 * so that "Show the rest" can show them without asking the assistant again.
 */
export class CardComposer {
  private readonly continuations: ExpiringMap<string, CardContinuation>;

  constructor(
    private readonly options: { actionType: CardActionType; maxCardBytes?: number; continuationTtlMs?: number },
  ) {
    this.continuations = new ExpiringMap(options.continuationTtlMs ?? 60 * 60 * 1000, 2000);
  }

  message(r: Reply, firstStepNumber = 1): OutboundMessage {
    const { card } = renderCard(r, {
      actionType: this.options.actionType,
      firstStepNumber,
      ...(this.options.maxCardBytes ? { maxBytes: this.options.maxCardBytes } : {}),
      onOverflow: (rest) => {
        const token = randomBytes(12).toString('base64url');
        this.continuations.set(token, rest);
        return { moreToken: token };
      },
    });
    // `summary` is what Teams shows in notifications and the activity feed for a card.
    return { attachments: [cardAttachment(card)], summary: clip(r.title, 200) };
  }

  continuation(token: string): CardContinuation | undefined {
    return this.continuations.get(token);
  }
}
