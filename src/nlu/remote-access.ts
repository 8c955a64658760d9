/**
 * VPNs that are not this one. The assistant knows the site-to-site IPsec VPN between a customer network and
 * the OutSystems Cloud; two other kinds share its words ("tunnel", "IPsec", "keeps dropping") and would
 * otherwise be filed under one of its topics with a low, misleading confidence:
 *  - remote-access (client) VPNs: AnyConnect, GlobalProtect, FortiClient, WireGuard or a consumer VPN on a
 *    laptop or phone, Azure point-to-site, AWS Client VPN;
 *  - site-to-site VPNs between the user's own sites or clouds ("between our two offices", "our AWS VPC to
 *    our Azure VNet"), with no OutSystems end.
 * Said instead: wrong product.
 */

const CLIENT_PRODUCT_RE =
  /\b(?:any\s?connect|global\s?protect|forti\s?client|pulse\s+secure|ivanti\s+secure|zscaler|netextender|openvpn\s+connect|nordlayer|cloudflare\s+warp|tunnelblick|wireguard\s+(?:app|client)|secure\s+client|nord\s?vpn|express\s?vpn|proton\s?vpn|surfshark|tailscale|zerotier|point[\s-]?to[\s-]?site|p2s|client\s+vpn\s+endpoint|aws\s+client\s+vpn|big-?ip\s+edge|edge\s+client)\b/i;
const DEVICE = String.raw`(?:laptop|notebook|pc|mac|macbook|phone|iphone|android|computer|tablet|ipad)`;
const CLIENT_CONTEXT_RE = new RegExp(
  [
    String.raw`\bvpn\s+(?:client|app)\s+on\s+(?:my|the|our|his|her|their)\s+${DEVICE}`,
    String.raw`\b(?:client|remote[\s-]access|ssl|user|home[\s-]?office|corporate|company)\s+vpn\b`,
    String.raw`\bvpn\s+(?:on|from)\s+(?:my|his|her|their|the)\s+(?:${DEVICE}|home)`,
    String.raw`\b(?:my|his|her|their)\s+${DEVICE}\b[^.?!]{0,40}\bvpn\b`,
    String.raw`\bvpn\b[^.?!]{0,40}\b(?:my|his|her|their|the)\s+${DEVICE}\b`,
    String.raw`\b(?:from|at)\s+home\b[^.?!]{0,40}\bvpn\b`,
    String.raw`\bvpn\b[^.?!]{0,40}\b(?:from|at)\s+home\b`,
    String.raw`\bremote\s+(?:users?|workers?|employees|staff)\b[^.?!]{0,40}\bvpn\b`,
    String.raw`\bvpn\b[^.?!]{0,40}\bremote\s+(?:users?|workers?|employees|staff)\b`,
    String.raw`\bsplit[\s-]tunnel(?:ing|led)?\b`,
    String.raw`\bvpn\s+(?:concentrator|portal|profile)\b`,
  ].join('|'),
  'i',
);

/** True when the message is about a remote-access client VPN, not the site-to-site tunnel. */
export function isRemoteAccessVpn(text: string): boolean {
  return CLIENT_PRODUCT_RE.test(text) || CLIENT_CONTEXT_RE.test(text);
}

// Two ends that are both the user's own: offices, data centres, their own cloud networks.
const OWN_SITES = String.raw`(?:offices|branch(?:es|\s+offices)|sites|data\s?cent(?:er|re)s|dcs|campuses|locations|plants|warehouses|regions|vpcs|vnets|clusters|firewalls|routers)`;
const OWN_CLOUD = String.raw`(?:(?:our|the|an?|my)\s+)?(?:aws|azure|gcp|google\s+cloud|oracle\s+cloud|oci)\s+(?:vpc|vnet|account|subscription|project|tenant)`;
const OTHER_SITE_TO_SITE_RE = new RegExp(
  [
    String.raw`\bbetween\s+(?:our|the|my|two|both|all|these)\s+(?:(?:two|2|three|\d+)\s+)?(?:\w+\s+)?${OWN_SITES}\b`,
    String.raw`\bbetween\s+${OWN_CLOUD}\s+and\s+${OWN_CLOUD}`,
    String.raw`\b${OWN_CLOUD}\s+(?:to|and)\s+${OWN_CLOUD}`,
    String.raw`\b(?:office|branch|dc|plant)[\s-]to[\s-](?:office|branch|dc|plant)\b`,
    String.raw`\b(fortigate|asa|palo\s+alto|sonicwall|meraki|juniper|srx|mikrotik|pfsense)s?\s+(?:to|and)\s+(?:an?\s+|another\s+|the\s+other\s+)?\1\b`,
  ].join('|'),
  'i',
);
// Any of these and the OutSystems end may well be one side after all.
const OUTSYSTEMS_END_RE = /\b(?:outsystems|your\s+(?:side|cloud|end|gateway|dns)|os\s+cloud|paas|lifetime|front[\s-]?ends?|sentry)\b/i;

// "between our HQ and the branch office": two named sites of the user's, neither of them a cloud.
const SITE = String.raw`(?:offices?|branch(?:es)?|hq|headquarters|sites?|data\s?cent(?:er|re)s?|dcs?|campus(?:es)?|warehouses?|plants?|factor(?:y|ies)|stores?|shops?)`;
const BETWEEN_TWO_SITES_RE = new RegExp(
  String.raw`\bbetween\s+(?:our|the|my)\s+(?:\w+\s+){0,2}?${SITE}\s+(?:and|&)\s+(?:(?:our|the|a|an|each)\s+)?(?:\w+\s+){0,2}?${SITE}\b`,
  'i',
);

/** True when the message is about a site-to-site VPN between the user's own networks (no OutSystems end). */
export function isOtherSiteToSite(text: string): boolean {
  if (OUTSYSTEMS_END_RE.test(text)) return false;
  return OTHER_SITE_TO_SITE_RE.test(text) || (BETWEEN_TWO_SITES_RE.test(text) && !/\bcloud\b/i.test(text));
}
