/**
 * Remote-access (client) VPNs are a different product from the site-to-site IPsec VPN this assistant knows:
 * AnyConnect, GlobalProtect, FortiClient and friends on a laptop or phone. Their questions share words
 * with ours ("tunnel", "split tunneling", "certificate error", "can't connect"), so the classifier alone
 * would file them under a site-to-site topic with a low, misleading confidence. Said instead: wrong product.
 */

const CLIENT_PRODUCT_RE =
  /\b(?:any\s?connect|global\s?protect|forti\s?client|pulse\s+secure|ivanti\s+secure|zscaler|netextender|openvpn\s+connect|nordlayer|cloudflare\s+warp|tunnelblick|wireguard\s+(?:app|client))\b/i;
const CLIENT_CONTEXT_RE =
  /\b(?:vpn\s+(?:client|app)\s+on\s+(?:my|the|our|his|her)\s+(?:laptop|pc|mac|phone|computer)|(?:client|remote[\s-]access|ssl|user)\s+vpn|vpn\s+(?:on|from)\s+(?:my|his|her)\s+(?:laptop|phone|pc|mac|home)|(?:my|his|her)\s+laptop\b[^.?!]{0,40}\bvpn|\bvpn\b[^.?!]{0,40}\b(?:my|his|her)\s+laptop|(?:from|at)\s+home\b[^.?!]{0,40}\bvpn|\bvpn\b[^.?!]{0,40}(?:from|at)\s+home)\b/i;

/** True when the message is about a remote-access client VPN, not the site-to-site tunnel. */
export function isRemoteAccessVpn(text: string): boolean {
  return CLIENT_PRODUCT_RE.test(text) || CLIENT_CONTEXT_RE.test(text);
}
