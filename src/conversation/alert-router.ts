import type { Logger } from 'pino';
import type { Notifier, TunnelNotification } from '../agents/notifier.js';
import type { AlertChannel } from './alerts.js';

/** An alert channel may also have a default destination (Slack: SLACK_ALERT_CHANNEL). */
type Channel = AlertChannel & { readonly defaultAddress?: unknown };

/**
 * Routes tunnel alerts to the chat platforms: each subscription's stored address goes to the channel of its
 * platform. A platform with a default destination where nobody subscribed to that agent still gets the alert
 * there, so a tunnel drop is never only in a log file once a chat is connected (and a subscription on one
 * platform does not silence another's default). One failing post never stops the others.
 */
export class AlertRouter implements Notifier {
  private readonly channels = new Map<string, Channel>();

  constructor(private readonly log: Logger) {}

  /** Returns the function that removes the channel again (adapter stop). */
  add(channel: Channel): () => void {
    this.channels.set(channel.platform, channel);
    return () => {
      if (this.channels.get(channel.platform) === channel) this.channels.delete(channel.platform);
    };
  }

  async notify(n: TunnelNotification): Promise<void> {
    const targets: { channel: Channel; address: unknown }[] = [];
    for (const s of n.subscriptions) {
      const channel = this.channels.get(s.platform);
      if (channel) targets.push({ channel, address: s.reference });
      else this.log.debug({ agent: n.agent, platform: s.platform }, 'no alert channel for this subscription');
    }
    // The default destination is per platform: a Teams subscription must not silence the Slack default
    // channel (SLACK_ALERT_CHANNEL), only a Slack subscription to that agent replaces it.
    const subscribedPlatforms = new Set(n.subscriptions.map((s) => s.platform));
    for (const channel of this.channels.values()) {
      if (channel.defaultAddress !== undefined && !subscribedPlatforms.has(channel.platform))
        targets.push({ channel, address: channel.defaultAddress });
    }
    await Promise.all(
      targets.map(async ({ channel, address }) => {
        try {
          await channel.post(address, n.reply);
        } catch (err) {
          this.log.error({ err, agent: n.agent, platform: channel.platform }, 'tunnel alert could not be posted');
        }
      }),
    );
  }
}
