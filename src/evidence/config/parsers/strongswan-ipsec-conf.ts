import type { ConfigParser, DefaultsTable } from '../model.js';
import { readSwanConns } from './swan-common.js';
import { swanFix, swanTunnel } from './swan-params.js';

const DOC = 'strongSwan ipsec.conf(5) / wiki "ConnSection"';

/** strongSwan's documented `conn` defaults (starter, 5.x). */
export const STRONGSWAN_DEFAULTS: DefaultsTable = {
  'ike-version': { value: 'ikev2', source: `${DOC}: keyexchange=ike initiates IKEv2` },
  'ike-mode': { value: 'main', source: `${DOC}: aggressive=no` },
  auth: { value: 'cert', source: `${DOC}: authby=pubkey` },
  'p1-lifetime': { value: '10800', source: `${DOC}: ikelifetime=3h` },
  'p2-lifetime': { value: '3600', source: `${DOC}: lifetime=1h` },
  'p2-protocol': { value: 'esp', source: `${DOC}: esp proposals unless ah= is set` },
  'p2-mode': { value: 'tunnel', source: `${DOC}: type=tunnel` },
  pfs: { value: 'off', source: `${DOC}: default esp=aes128-sha256 carries no DH group (no PFS)` },
  dpd: { value: 'off', source: `${DOC}: dpdaction=none` },
  'nat-t': { value: 'on', source: `${DOC}: NAT-T is detected automatically (forceencaps=no only disables forcing)` },
};

/** Words only strongSwan's starter knows; Libreswan words pull the other way. */
const OWN =
  /^\s*(keyexchange|leftauth|rightauth|forceencaps|reauth|closeaction|installpolicy|mobike|charondebug|esp|margintime|rekeymargin|leftsourceip|leftcert)\s*=/m;
const OTHER =
  /^\s*(phase2alg|ikev2|salifetime|aggrmode|pfs|encapsulation|protostack|nat_traversal|phase2|virtual_private|sareftrack|leftrsasigkey|rightrsasigkey|ikev1-policy|plutodebug|dumpdir|leftnexthop|rightnexthop)\s*=|;modp|;dh\d|restart_by_peer|libreswan|openswan/im;

export const strongswanIpsecConf: ConfigParser = {
  id: 'strongswan-ipsec-conf',
  vendor: 'strongswan',
  format: 'ipsec-conf',
  detect(head) {
    if (!/^\s*conn\s+\S+/m.test(head) || !/^\s+\w+\s*=/m.test(head)) return 0;
    const own = head.match(new RegExp(OWN.source, 'gm'))?.length ?? 0;
    const other = head.match(new RegExp(OTHER.source, 'gim'))?.length ?? 0;
    return own >= other ? 0.8 : 0.55;
  },
  parse(text) {
    return { vendor: 'strongswan', format: 'ipsec-conf', tunnels: readSwanConns(text).map((c) => swanTunnel(c, 'strongswan')) };
  },
  defaults: STRONGSWAN_DEFAULTS,
  fix: (t, target) => swanFix('strongswan', 'strongSwan ipsec.conf', t, target),
};

export const swanOtherWords = OTHER;
export const swanOwnWords = OWN;
