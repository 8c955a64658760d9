import type { Inbound } from '../../src/chat/core.js';
import { SLACK_PLATFORM } from './surface.js';

/**
 * A Slack message as the conversation core's Inbound. The address is what an alert needs to find this
 * conversation again: the channel. Alerts go to the channel itself rather than into a thread, where a
 * "tunnel down" would go unseen.
 */
export function inbound(text: string, user: string, channel: string, thread: string): Inbound {
  return { text, user, channel, thread, platform: SLACK_PLATFORM, address: { channel } };
}
