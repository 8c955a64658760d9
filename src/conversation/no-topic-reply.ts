import type { Classification } from '../nlu/types.js';
import { isOtherSiteToSite, isRemoteAccessVpn } from '../nlu/remote-access.js';
import { reply, type Reply } from '../reply/reply.js';

/**
 * The reply when no topic applies. A remote-access (client) VPN question is told it is about another
 * product, so the user looks in the right place instead of rephrasing for this bot.
 */
export function noTopicReply(text: string, c: Classification): Reply {
  if (isRemoteAccessVpn(text)) {
    return reply({
      kind: 'help',
      title: 'That sounds like a remote-access (client) VPN',
      summary:
        'AnyConnect, GlobalProtect, FortiClient and other VPN clients on a laptop or phone are a different product, run by your own IT team. I only cover the site-to-site IPsec VPN between your network and the OutSystems Cloud. If your question is about that tunnel, tell me the symptom on the gateway side.',
      confidence: c.confidence,
      answeredBy: c.engine,
    });
  }
  if (isOtherSiteToSite(text)) {
    return reply({
      kind: 'help',
      title: 'That sounds like a VPN between your own networks',
      summary:
        'A tunnel between your own offices, data centres or cloud accounts is outside what I know. I only cover the site-to-site IPsec VPN between your network and the OutSystems Cloud. If your question is about that tunnel, tell me the symptom on your gateway.',
      confidence: c.confidence,
      answeredBy: c.engine,
    });
  }
  return reply({
    kind: 'help',
    title: 'That does not look like a VPN question',
    summary:
      'I only know about the site-to-site IPsec VPN between your network and the OutSystems Cloud: tunnels, IKE/IPsec phases, DNS forwarding, routing, firewalls, keep-alive. Type "help" to see what I can do.',
    confidence: c.confidence,
    answeredBy: c.engine,
  });
}
