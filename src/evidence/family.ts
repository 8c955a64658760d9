import type { LogFamily } from '../knowledge/log-signatures.js';

/**
 * Marks of each log family that do not depend on what went wrong: the process name, the message id
 * format, the key=value layout. Vendors that embed another engine (VyOS/pfSense/OPNsense run charon, Meraki
 * runs racoon or charon) are told apart by their own wrapper, which weighs more.
 */
const HINTS: readonly { family: LogFamily; re: RegExp; weight: number }[] = [
  { family: 'meraki', re: /\bvpn_type=|non_meraki_vpn|\bevents type=vpn|Non-Meraki|\bMX\d+\b.*\bevents\b|\bmeraki\b/i, weight: 4 },
  { family: 'aws', re: /"event_timestamp"|ike_phase[12]_state|\bAWS tunnel\b|"details"\s*:\s*"/i, weight: 4 },
  {
    family: 'azure',
    re: /SESSION_ID\s*:?\s*\{|IKEDiagnosticLog|GatewayDiagnosticLog|\bRemote \d+\.\d+\.\d+\.\d+:\d+: Local \d+\.\d+\.\d+\.\d+:\d+:|\bIkeLogEvents\b/i,
    weight: 4,
  },
  {
    family: 'strongswan',
    re: /\bcharon(?:-systemd)?(?:\[\d+\])?:|\b\d{2}\[(?:IKE|CFG|NET|ENC|KNL|CHD|JOB|LIB|MGR|DMN|ESP|APP|ASN|IMC|IMV|TLS|TNC)\]|\bipsec_starter\b|\bswanctl\b/,
    weight: 2,
  },
  {
    family: 'strongswan',
    re: /\bCHILD_SA\b|\bIKE_SA\b|\{\d+\}: +INSTALLED, |\d bytes_i\b|: #\d+, (?:reqid \d+, )?(?:INSTALLED|ESTABLISHED|REKEYED)|, ESTABLISHED \d+ \w+ ago|\bin +[0-9a-f]{8}(?: \([^)]*\))?, +\d+ bytes/,
    weight: 1,
  },
  {
    family: 'libreswan',
    re: /\bpluto\[\d+\]|\bpluto:|"[^"\n]+"(?:\[\d+\])?(?: [\d.]+)? #\d+: |\bSTATE_(?:MAIN|QUICK|AGGR|PARENT|V2)_[IR]\d|\bipsec\s+auto\b|\bOpenswan\b|\bLibreswan\b|\bPeer ID is ID_|\binitiating IKEv[12] (?:Main|Aggressive) Mode connection|\bsent (?:Main|Aggressive) Mode request\b|\bbut no connection has been authorized\b/,
    weight: 2,
  },
  { family: 'cisco-asa', re: /%(?:ASA|FTD|PIX|FWSM)-(?:session-)?\d-\d{6}/, weight: 4 },
  {
    family: 'cisco-ios',
    re: /%(?:CRYPTO|IKEV2|ISAKMP|IPSEC)-\d-[A-Z_]+|\bISAKMP:?\s*\(\d+\)|\bISAKMP:\(|\bIPSEC\(\w+\)|\bIKEv2[-:]|\b#pkts (?:encaps|decaps)|\bcrypto map\b|\bCrypto map tag\b/,
    weight: 3,
  },
  {
    family: 'paloalto',
    re: /,SYSTEM,(?:vpn|ike|general|routing),|\bikemgr\b|^\s*(?:en|de)cap (?:packets|bytes):|\bshow vpn flow\b|IKE phase-[12] |IKEv2 (?:IKE|child) SA |\[PROTO_(?:ERR|NOTIFY|WARN)\]|\bpan_|\bkeymgr\b|IKE protocol notification/i,
    weight: 3,
  },
  {
    family: 'fortigate',
    re: /\blogid="?\d{10}|\bsubtype="?vpn|\bike \d+:|\bdevname="|\bdevid="?F[GW]|\bnpu_flag=|\benc:pkts\/bytes=|\bdec:pkts\/bytes=|\bvd="?root"?\b|\bproxyid=|selectors\(total,up\)|^vd: \w+\/\d+/i,
    weight: 3,
  },
  {
    family: 'juniper-srx',
    re: /\bkmd\[\d+\]|^\s*(?:En|De)crypted (?:packets|bytes):|\bshow security ipsec\b|\bKMD_[A-Z_]+|\bkmd:|\biked\[\d+\]|\bIKE negotiation failed with error\b|\bRT_IPSEC_/,
    weight: 4,
  },
  { family: 'racoon', re: /\bracoon(?:\[\d+\])?:/, weight: 4 },
  {
    family: 'racoon',
    re: /\b(?:INFO|ERROR|WARNING|NOTIFY|DEBUG): (?:phase[12] |ISAKMP-SA|IPsec-SA|failed to |respond new phase|initiate new phase|no suitable proposal|couldn't find the pskey|pfs group mismatched)/,
    weight: 2,
  },
  { family: 'mikrotik', re: /\bipsec,(?:error|info|debug|warning|packet)\b|\bipsec,\w+ |\bRouterOS\b|\bmikrotik\b/i, weight: 4 },
  {
    family: 'sonicwall',
    re: /\bid=firewall\b|\bsn=[0-9A-F]{12}\b|\bIKEv?2? (?:Initiator|Responder):|\bm=\d+ msg="|\bSonicWall\b|\bSonicOS\b/i,
    weight: 4,
  },
  {
    family: 'checkpoint',
    re: /\bVPN-1\b|\bproduct:\s*VPN|\b(?:Main|Quick|Aggressive) Mode (?:Completion|Failed|Received|Sent|Packet)|\bIKE: (?:Main|Quick|Aggressive) Mode\b|\bCheck ?Point\b|\bfw_\w+|\bvpnd\b|\bIKEv2 (?:Received|Sent) Notification\b/i,
    weight: 4,
  },
  // WatchGuard Fireware: every message carries msg_id="XXXX-XXXX" (ids of the vendor's log catalogue).
  { family: 'watchguard', re: /\bmsg_id="?[0-9A-F]{4}-[0-9A-F]{4}\b|\bWatchGuard\b|\bFirebox\b|\bBOVPN\b/i, weight: 4 },
];

export class FamilyVote {
  private readonly scores = new Map<LogFamily, number>();
  private voted = 0;

  add(line: string): void {
    const head = line.length > 600 ? line.slice(0, 600) : line;
    let any = false;
    for (const h of HINTS) {
      if (h.re.test(head)) {
        this.scores.set(h.family, (this.scores.get(h.family) ?? 0) + h.weight);
        any = true;
      }
    }
    if (any) this.voted += 1;
  }

  /** Lines that carried a family mark. */
  get marked(): number {
    return this.voted;
  }

  /** The family with the highest score, or undefined when no line carried a mark. */
  winner(): LogFamily | undefined {
    let best: LogFamily | undefined;
    let score = 0;
    for (const [f, s] of this.scores) {
      if (s > score) {
        best = f;
        score = s;
      }
    }
    return best;
  }
}

/** The family of a text, from its first lines (used by the dispatcher and the tests). */
export function sniffFamily(text: string, maxLines = 400): LogFamily | undefined {
  const vote = new FamilyVote();
  let start = 0;
  for (let i = 0; i < maxLines && start < text.length; i++) {
    const end = text.indexOf('\n', start);
    const stop = end < 0 ? text.length : end;
    vote.add(text.slice(start, stop));
    start = stop + 1;
  }
  return vote.winner();
}
