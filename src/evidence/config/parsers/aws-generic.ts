/**
 * The AWS Site-to-Site VPN "Generic" downloadable configuration, which is also the VPN configuration file
 * OutSystems sends: "IPSec Tunnel #1", "#1: Internet Key Exchange Configuration", "- Key : Value" lines.
 */
import type { ParameterName } from '../../../knowledge/schema.js';
import { lifetimeSeconds, list, normDh, normEncryption, normIntegrity } from '../algorithms.js';
import type { ConfigParser, ParsedTunnel, ReadValue } from '../model.js';
import { isTemplateValue } from '../text.js';

const KV = /^\s*-\s*([A-Za-z][A-Za-z0-9 ()'/-]*?)\s*:\s*(.+?)\s*$/;

function parseGeneric(text: string): ParsedTunnel[] {
  const lines = text.split(/\r?\n/);
  const tunnels: ParsedTunnel[] = [];
  let t: ParsedTunnel | null = null;
  let phase: 'ike' | 'ipsec' | 'outside' | 'other' = 'other';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const n = i + 1;
    const head = /IPSec Tunnel #(\d+)/i.exec(line);
    if (head) {
      t = { name: `Tunnel #${head[1]}`, params: {}, objects: { tunnel: head[1]! } };
      tunnels.push(t);
      phase = 'other';
      continue;
    }
    if (!t) continue;
    if (/#1:\s*Internet Key Exchange/i.test(line)) phase = 'ike';
    else if (/#2:\s*IPSec Configuration/i.test(line)) phase = 'ipsec';
    else if (/Outside IP Addresses/i.test(line)) phase = 'outside';
    else if (/#3:|#4:|Inside IP Addresses/i.test(line)) phase = 'other';
    if (/Dead Peer Detection \(DPD\) will be enabled/i.test(line) && !t.params.dpd) t.params.dpd = { value: 'on', line: n };
    const kv = KV.exec(line);
    if (!kv) continue;
    const key = kv[1]!.toLowerCase();
    const value = kv[2]!;
    if (isTemplateValue(value)) continue;
    const set = (name: ParameterName, v: string) => {
      if (v !== '') (t!.params as Record<string, ReadValue>)[name] = { value: v, line: n };
    };
    const vals = value.split(/\s*,\s*|\s+or\s+/i);
    if (phase === 'outside' && /virtual private gateway|aws/.test(key)) t.peer = value;
    if (phase === 'ike') {
      if (key === 'ike version' || key === 'ike versions') set('ike-version', list(vals.map((v) => v.toLowerCase())));
      else if (key === 'authentication method') set('auth', /pre-shared/i.test(value) ? 'psk' : value.toLowerCase());
      else if (key === 'authentication algorithm' || key === 'integrity algorithm') set('p1-integrity', list(vals.map(normIntegrity)));
      else if (key === 'encryption algorithm') set('p1-encryption', list(vals.map((v) => normEncryption(v))));
      else if (key === 'lifetime') set('p1-lifetime', String(lifetimeSeconds(value) ?? value));
      else if (key === 'phase 1 negotiation mode') set('ike-mode', value.toLowerCase());
      else if (key === 'perfect forward secrecy' || key === 'diffie-hellman group' || key === 'diffie-hellman' || key === 'dh group')
        set('p1-dh', list(vals.map((v) => normDh(v.replace(/diffie-hellman\s*/i, '')))));
    } else if (phase === 'ipsec') {
      if (key === 'protocol') set('p2-protocol', value.toLowerCase());
      else if (key === 'authentication algorithm' || key === 'integrity algorithm') set('p2-integrity', list(vals.map(normIntegrity)));
      else if (key === 'encryption algorithm') set('p2-encryption', list(vals.map((v) => normEncryption(v))));
      else if (key === 'lifetime') set('p2-lifetime', String(lifetimeSeconds(value) ?? value));
      else if (key === 'mode') set('p2-mode', value.toLowerCase());
      else if (key === 'perfect forward secrecy' || key === 'diffie-hellman group' || key === 'diffie-hellman' || key === 'dh group')
        set('pfs', list(vals.map((v) => normDh(v.replace(/diffie-hellman\s*/i, '')))));
      else if (key === 'dpd interval') set('dpd', 'on');
    }
  }
  return tunnels;
}

export const awsGeneric: ConfigParser = {
  id: 'aws-generic',
  vendor: 'aws',
  format: 'aws-generic',
  detect(head) {
    let s = 0;
    if (/IPSec Tunnel #\d/i.test(head)) s += 0.4;
    if (/Internet Key Exchange Configuration/i.test(head)) s += 0.2;
    if (/-\s*(Phase 1 Negotiation Mode|Perfect Forward Secrecy|Authentication Method)\s*:/i.test(head)) s += 0.35;
    return Math.min(s, 0.95);
  },
  parse(text) {
    return { vendor: /outsystems/i.test(text) ? 'outsystems' : 'aws', format: 'aws-generic', tunnels: parseGeneric(text) };
  },
  defaults: {},
  fix(t, target) {
    const label: Partial<Record<ParameterName, string>> = {
      'p1-encryption': 'Encryption Algorithm',
      'p1-integrity': 'Authentication Algorithm',
      'p1-dh': 'Perfect Forward Secrecy',
      'p1-lifetime': 'Lifetime',
      'ike-mode': 'Phase 1 Negotiation Mode',
      'p2-encryption': 'Encryption Algorithm',
      'p2-integrity': 'Authentication Algorithm',
      pfs: 'Perfect Forward Secrecy',
      'p2-lifetime': 'Lifetime',
      dpd: 'DPD Interval',
    };
    const key = label[target.name];
    if (!key) return null;
    const value = /lifetime/.test(target.name)
      ? `${target.value} seconds`
      : target.name === 'p1-dh' || target.name === 'pfs'
        ? `Diffie-Hellman Group ${target.value}`
        : target.name === 'dpd'
          ? '10'
          : target.value;
    const section =
      target.name.startsWith('p1') || target.name === 'ike-mode' ? '#1: Internet Key Exchange Configuration' : '#2: IPSec Configuration';
    return { platform: 'AWS generic configuration', kind: 'config', lines: [`IPSec ${t.name}`, `  ${section}`, `    - ${key} : ${value}`] };
  },
};
