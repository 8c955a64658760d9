import type { FeedbackRepo } from '../store/feedback.js';
import type { FeedbackPort } from './assistant.js';

/** The conversation core's feedback port, backed by the store's feedback table. */
export function storeFeedbackPort(feedback: Pick<FeedbackRepo, 'insert'>, now: () => number = Date.now): FeedbackPort {
  return {
    record: ({ inbound, topic, fixed }) =>
      feedback.insert({ at: now(), platform: inbound.platform, channel: inbound.channel, user: inbound.user, topic, fixed }),
  };
}
