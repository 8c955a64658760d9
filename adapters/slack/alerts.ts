import { z } from 'zod';
import type { AlertChannel } from '../../src/conversation/alerts.js';
import type { Reply } from '../../src/reply/reply.js';
import { renderReply } from './render.js';
import type { SlackApi } from './api.js';
import { SLACK_PLATFORM } from './surface.js';

/** What a Slack conversation's `Inbound.address` holds (and keep-alive subscriptions store). */
export const SlackAddressSchema = z.object({ channel: z.string().regex(/^(?:[CGD][A-Z0-9]{6,}|#[a-z0-9][a-z0-9._-]{0,79})$/) });
export type SlackAddress = z.infer<typeof SlackAddressSchema>;

/** An alert waits this long at most for Slack's Retry-After: a "tunnel down" is worth a wait. */
const ALERT_MAX_RATE_LIMIT_WAIT_MS = 120_000;

/**
 * Posts proactive alerts (keep-alive up/down) into Slack: to the conversation that subscribed with
 * "keepalive on <agent> here", or else to SLACK_ALERT_CHANNEL.
 */
export class SlackAlertChannel implements AlertChannel {
  readonly platform = SLACK_PLATFORM;

  constructor(
    private readonly api: SlackApi,
    private readonly fallbackChannel: string | undefined,
  ) {}

  /** The SLACK_ALERT_CHANNEL address, for subscriptions made without "here"; undefined when not set. */
  get defaultAddress(): SlackAddress | undefined {
    return this.fallbackChannel ? { channel: this.fallbackChannel } : undefined;
  }

  async post(address: unknown, alert: Reply): Promise<void> {
    const parsed = SlackAddressSchema.safeParse(address);
    const channel = parsed.success ? parsed.data.channel : this.fallbackChannel;
    if (!channel) {
      throw new Error(
        'no Slack channel for this alert: subscribe with "keepalive on <agent> here" in a channel, or set SLACK_ALERT_CHANNEL',
      );
    }
    // An alert is one message: no "Show more" page to come back to later.
    const [message] = renderReply(alert);
    await this.api.postMessage({ channel }, message!, { maxRateLimitWaitMs: ALERT_MAX_RATE_LIMIT_WAIT_MS });
  }
}
