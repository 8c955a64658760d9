import type { Classification } from '../nlu/types.js';
import { isOtherSiteToSite, isRemoteAccessVpn } from '../nlu/remote-access.js';
import { reply, type Reply } from '../reply/reply.js';

const OUR_TUNNEL = 'I only cover the site-to-site IPsec VPN between your network and the OutSystems Cloud.';

/** Other products that share the tunnel's words, and what to tell their users. */
const OTHER_PRODUCTS: { is: (text: string) => boolean; title: string; summary: string }[] = [
  {
    is: isRemoteAccessVpn,
    title: 'That sounds like a remote-access (client) VPN',
    summary: `AnyConnect, GlobalProtect, FortiClient and other VPN clients on a laptop or phone are a different product, run by your own IT team. ${OUR_TUNNEL} If your question is about that tunnel, tell me the symptom on the gateway side.`,
  },
  {
    is: isOtherSiteToSite,
    title: 'That sounds like a VPN between your own networks',
    summary: `A tunnel between your own offices, data centres or cloud accounts is outside what I know. ${OUR_TUNNEL} If your question is about that tunnel, tell me the symptom on your gateway.`,
  },
];

/**
 * The reply when no topic applies. A question about another VPN product is told so, so the user looks in
 * the right place instead of rephrasing for this bot.
 */
export function noTopicReply(text: string, c: Classification): Reply {
  const other = OTHER_PRODUCTS.find((p) => p.is(text));
  return reply({
    kind: 'help',
    title: other?.title ?? 'That does not look like a VPN question',
    summary:
      other?.summary ??
      'I only know about the site-to-site IPsec VPN between your network and the OutSystems Cloud: tunnels, IKE/IPsec phases, DNS forwarding, routing, firewalls, keep-alive. Type "help" to see what I can do.',
    confidence: c.confidence,
    answeredBy: c.engine,
  });
}
