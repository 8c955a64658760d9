/**
 * Cisco Meraki MX non-Meraki (third-party) site-to-site VPN peers as the Dashboard API returns and takes
 * them (`GET|PUT /organizations/{organizationId}/appliance/vpn/thirdPartyVPNPeers`): `{"peers": [{name,
 * publicIp, privateSubnets, ikeVersion, ipsecPolicies: {ikeCipherAlgo, ..., childLifetime}}]}`. The JSON may
 * be pasted alone or inside a script or a Markdown fence; the first JSON object that holds peers is read.
 */
import { z } from 'zod';
import type { ParameterName } from '../../../knowledge/schema.js';
import { list, normDh, normEncryption, normIntegrity } from '../algorithms.js';
import type { ConfigParser, DefaultsTable, FixTarget, ParsedTunnel, ReadValue } from '../model.js';
import { findLine, jsonObjects } from '../text.js';

const REF = 'Meraki docs, "Site-to-site VPN settings" (Non-Meraki VPN peers, IPsec policies)';
/** The "Default" IPsec policy preset, which a peer uses when it carries no custom `ipsecPolicies`. */
export const MERAKI_DEFAULTS: DefaultsTable = {
  'ike-version': { value: 'ikev1', source: `${REF}: IKE version defaults to IKEv1` },
  'ike-mode': { value: 'main', source: `${REF}: the MX negotiates IKEv1 in main mode` },
  auth: { value: 'psk', source: `${REF}: non-Meraki peers authenticate with a shared secret` },
  'p1-encryption': { value: '3des', source: `${REF}: Default preset, phase 1 3DES` },
  'p1-integrity': { value: 'sha1', source: `${REF}: Default preset, phase 1 SHA1` },
  'p1-dh': { value: '2', source: `${REF}: Default preset, phase 1 DH group 2` },
  'p1-lifetime': { value: '28800', source: `${REF}: Default preset, phase 1 lifetime 28800 s` },
  'p2-protocol': { value: 'esp', source: `${REF}: ESP` },
  'p2-mode': { value: 'tunnel', source: `${REF}: tunnel mode` },
  'p2-encryption': { value: 'aes128, 3des', source: `${REF}: Default preset, phase 2 AES128 and 3DES` },
  'p2-integrity': { value: 'sha1, md5', source: `${REF}: Default preset, phase 2 SHA1 and MD5` },
  pfs: { value: 'off', source: `${REF}: Default preset, PFS off` },
  'p2-lifetime': { value: '28800', source: `${REF}: Default preset, phase 2 lifetime 28800 s` },
  dpd: { value: 'on', source: `${REF}: the MX always sends dead peer detection to non-Meraki peers` },
  'nat-t': { value: 'on', source: `${REF}: NAT traversal is automatic` },
};

const Strings = z.array(z.string()).optional();
const Peer = z.looseObject({
  name: z.string().optional(),
  publicIp: z.string().optional(),
  privateSubnets: z.union([z.array(z.string()), z.string()]).optional(),
  ikeVersion: z.union([z.string(), z.number()]).optional(),
  ipsecPoliciesPreset: z.string().optional(),
  ipsecPolicies: z
    .looseObject({
      ikeCipherAlgo: Strings,
      ikeAuthAlgo: Strings,
      ikeDiffieHellmanGroup: Strings,
      ikeLifetime: z.union([z.number(), z.string()]).optional(),
      childCipherAlgo: Strings,
      childAuthAlgo: Strings,
      childPfsGroup: Strings,
      childLifetime: z.union([z.number(), z.string()]).optional(),
    })
    .optional(),
});
type MerakiPeer = z.infer<typeof Peer>;

function peersOf(text: string): MerakiPeer[] {
  for (const obj of jsonObjects(text)) {
    const candidates = Array.isArray((obj as { peers?: unknown }).peers) ? (obj as { peers: unknown[] }).peers : [obj];
    const peers = candidates.map((p) => Peer.safeParse(p)).filter((r) => r.success && (r.data.ipsecPolicies || r.data.publicIp));
    if (peers.length) return peers.map((r) => r.data!);
  }
  return [];
}

function parseMeraki(text: string): ParsedTunnel[] {
  const lines = text.split(/\r?\n/);
  let cursor = 1;
  return peersOf(text).map((peer, i) => {
    const name = peer.name ?? `peer ${i + 1}`;
    // the peer's own lines start at its name; each key is looked up from there
    const start =
      (peer.name && findLine(lines, new RegExp(`"name"\\s*:\\s*"${peer.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`), cursor)) || cursor;
    cursor = start + 1;
    const at = (key: string) => findLine(lines, new RegExp(`"${key}"\\s*:`), start);
    const params: Partial<Record<ParameterName, ReadValue>> = {};
    const set = (k: ParameterName, v: string, key: string) => {
      if (v !== '') params[k] = { value: v, line: at(key) };
    };
    if (peer.ikeVersion !== undefined) set('ike-version', String(peer.ikeVersion) === '2' ? 'ikev2' : 'ikev1', 'ikeVersion');
    const pol = peer.ipsecPolicies;
    if (pol) {
      set('p1-encryption', list((pol.ikeCipherAlgo ?? []).map((a) => normEncryption(a))), 'ikeCipherAlgo');
      set('p1-integrity', list((pol.ikeAuthAlgo ?? []).map(normIntegrity)), 'ikeAuthAlgo');
      set('p1-dh', list((pol.ikeDiffieHellmanGroup ?? []).map(normDh)), 'ikeDiffieHellmanGroup');
      if (pol.ikeLifetime !== undefined) set('p1-lifetime', String(pol.ikeLifetime), 'ikeLifetime');
      set('p2-encryption', list((pol.childCipherAlgo ?? []).map((a) => normEncryption(a))), 'childCipherAlgo');
      set('p2-integrity', list((pol.childAuthAlgo ?? []).map(normIntegrity)), 'childAuthAlgo');
      set('pfs', list((pol.childPfsGroup ?? []).map(normDh)), 'childPfsGroup');
      if (pol.childLifetime !== undefined) set('p2-lifetime', String(pol.childLifetime), 'childLifetime');
    }
    const subnets = typeof peer.privateSubnets === 'string' ? peer.privateSubnets.split(/\s*,\s*/) : (peer.privateSubnets ?? []);
    // the MX negotiates one SA pair per remote subnet
    if (subnets.length) set('traffic-selectors', subnets.map((s) => `MX VPN subnets <=> ${s}`).join('; '), 'privateSubnets');
    const t: ParsedTunnel = { name, params, objects: { peer: name } };
    if (peer.publicIp) t.peer = peer.publicIp;
    return t;
  });
}

const KEY: Partial<Record<ParameterName, string>> = {
  'p1-encryption': 'ikeCipherAlgo',
  'p1-integrity': 'ikeAuthAlgo',
  'p1-dh': 'ikeDiffieHellmanGroup',
  'p1-lifetime': 'ikeLifetime',
  'p2-encryption': 'childCipherAlgo',
  'p2-integrity': 'childAuthAlgo',
  pfs: 'childPfsGroup',
  'p2-lifetime': 'childLifetime',
};
const MERAKI_ENC: Record<string, string> = { aes128: 'aes128', aes192: 'aes192', aes256: 'aes256' };

function merakiFix(t: ParsedTunnel, target: FixTarget): string[] | null {
  const where = `Security & SD-WAN > Site-to-site VPN > Non-Meraki VPN peers > ${t.objects.peer} > IPsec policies: Custom`;
  const api = 'API: PUT /organizations/{organizationId}/appliance/vpn/thirdPartyVPNPeers (send the whole peers list)';
  const v = target.value;
  if (target.name === 'ike-version')
    return [where.replace(' > IPsec policies: Custom', ' > IKE version: IKEv2'), `${api}: "ikeVersion": "2"`];
  if (target.name === 'traffic-selectors')
    return [
      where.replace(' > IPsec policies: Custom', ' > Private subnets: one summary subnet'),
      `${api}: "privateSubnets": ["<ONE-SUMMARY-SUBNET>"]`,
    ];
  const key = KEY[target.name];
  if (!key) return null;
  const value = /lifetime/.test(target.name)
    ? v
    : JSON.stringify([/dh|pfs/.test(target.name) ? `group${v}` : /encryption/.test(target.name) ? (MERAKI_ENC[v] ?? v) : v]);
  return [where, `${api}: "ipsecPolicies": { "${key}": ${value} }`];
}

export const meraki: ConfigParser = {
  id: 'meraki-json',
  vendor: 'meraki',
  format: 'meraki-json',
  detect: (head) => (/"ipsecPolicies"\s*:/.test(head) && /"(ikeCipherAlgo|childCipherAlgo|childPfsGroup)"\s*:/.test(head) ? 0.95 : 0),
  parse: (text) => ({ vendor: 'meraki', format: 'meraki-json', tunnels: parseMeraki(text) }),
  defaults: MERAKI_DEFAULTS,
  fix(t, target) {
    const lines = merakiFix(t, target);
    return lines ? { platform: 'Cisco Meraki dashboard', kind: 'config', lines } : null;
  },
};
