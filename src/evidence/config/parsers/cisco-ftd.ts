/**
 * Cisco Secure Firewall Threat Defense (FTD) managed by FMC: the LINA `show running-config` crypto
 * sections FMC deploys (`crypto ikev2 policy`, `crypto ipsec ikev2 ipsec-proposal CSM_IP_1`,
 * `crypto map CSM_outside_map 1 ...`, `tunnel-group ... ipsec-attributes`). LINA is the ASA engine, so the
 * text is read by the ASA reader; what differs is the fix: an FTD is changed in FMC, not on its CLI
 * (FMC overwrites CLI changes on the next deployment).
 */
import type { DefaultsTable, ConfigParser, FixTarget, ParsedTunnel } from '../model.js';
import { ASA_DEFAULTS, asaParse } from './cisco-asa.js';

/** FTD's LINA keeps the ASA defaults; FMC's own object defaults agree (IKE 86,400 s, IPsec 28,800 s, PFS off). */
export const FTD_DEFAULTS: DefaultsTable = Object.fromEntries(
  Object.entries(ASA_DEFAULTS).map(([k, d]) => [k, { value: d.value, source: `FTD runs the ASA (LINA) engine: ${d.source}` }]),
);

const GCM = /gcm/;
const FMC_ENC: Record<string, string> = {
  aes128: 'AES',
  aes192: 'AES-192',
  aes256: 'AES-256',
  aes128gcm: 'AES-GCM',
  aes256gcm: 'AES-GCM-256',
};
const FMC_HASH: Record<string, string> = { sha1: 'SHA', sha256: 'SHA256', sha384: 'SHA384', sha512: 'SHA512' };
const FMC_ESP_HASH: Record<string, string> = { sha1: 'SHA-1', sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512' };

function ftdFix(t: ParsedTunnel, target: FixTarget): string[] | null {
  const o = t.objects;
  const v = target.value;
  const topology = `Devices > VPN > Site To Site > (topology with peer ${t.peer ?? t.name})`;
  const ikePolicy = `Objects > Object Management > VPN > ${o.policyVersion === 'ikev1' ? 'IKEv1' : 'IKEv2'} Policy > (policy ${o.policy ?? 'in use'})`;
  const proposal = `Objects > Object Management > VPN > ${o.transformSet ? 'IKEv1' : 'IKEv2'} IPsec Proposal > ${o.proposal ?? o.transformSet ?? '(proposal in use)'}`;
  switch (target.name) {
    case 'ike-version':
      return [`${topology} > IKE Version: ${v === 'ikev2' ? 'IKEv2' : 'IKEv1'}`];
    case 'ike-mode':
      return [`${topology} > Advanced > IKE > IKEv1 Settings: clear "Enable Aggressive Mode"`];
    case 'auth':
      return [`${topology} > IKE > Authentication Type: Pre-shared Manual Key`];
    case 'p1-encryption':
      return [`${ikePolicy} > Encryption Algorithms: ${FMC_ENC[v] ?? v}`];
    case 'p1-integrity':
      return [`${ikePolicy} > ${o.policyVersion === 'ikev1' ? 'Hash' : 'Integrity Algorithms'}: ${FMC_HASH[v] ?? v}`];
    case 'p1-dh':
      return [`${ikePolicy} > Diffie-Hellman Group: ${v}`];
    case 'p1-lifetime':
      return [`${ikePolicy} > Lifetime: ${v} seconds`];
    case 'p2-encryption':
      return [`${proposal} > ESP Encryption: ${FMC_ENC[v] ?? v}`];
    case 'p2-integrity':
      return GCM.test(t.params['p2-encryption']?.value ?? '') ? null : [`${proposal} > ESP Hash: ${FMC_ESP_HASH[v] ?? v}`];
    case 'pfs':
      return [`${topology} > IPsec > Enable Perfect Forward Secrecy: on, Modulus Group: ${v}`];
    case 'p2-lifetime':
      return [`${topology} > IPsec > Lifetime Duration: ${v} seconds`];
    case 'dpd':
      return [`${topology} > Advanced > IKE > ISAKMP Settings > IKE Keepalive: Enable, Threshold 10, Retry Interval 2`];
    case 'traffic-selectors':
      return [`${topology} > Endpoints > Protected Networks: one network object per side (<ON-PREM-SUPERNET>, <OUTSYSTEMS-RANGE>)`];
    default:
      return null;
  }
}

export const ciscoFtd: ConfigParser = {
  id: 'cisco-ftd',
  vendor: 'cisco-ftd',
  format: 'ftd-lina',
  detect(head) {
    const crypto = /^crypto (ikev[12] policy|ipsec ikev[12] |map \S+ \d+ )/m.test(head);
    if (!crypto) return 0;
    if (/^NGFW Version \d/im.test(head) || /Firepower Threat Defense|Secure Firewall Threat Defense/i.test(head)) return 0.97;
    // FMC names what it deploys CSM_*: CSM_outside_map, CSM_IP_1, CSM_IPSEC_ACL_1
    return /^crypto map CSM_\S+ \d+ |ipsec-proposal CSM_IP_\d/m.test(head) ? 0.96 : 0;
  },
  parse: (text) => ({ vendor: 'cisco-ftd', format: 'ftd-lina', tunnels: asaParse(text) }),
  defaults: FTD_DEFAULTS,
  fix(t, target) {
    const lines = ftdFix(t, target);
    return lines ? { platform: 'Cisco FMC (deploys to the FTD)', kind: 'config', lines } : null;
  },
};
