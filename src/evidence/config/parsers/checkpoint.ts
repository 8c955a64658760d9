/**
 * Check Point VPN communities through the Management API, in the two forms people paste: `mgmt_cli add|set
 * vpn-community-star|vpn-community-meshed name X ike-phase-1.encryption-algorithm aes-256 ...` commands
 * (a script's backslash continuations joined), and the JSON a `show-vpn-community-*` call returns. One
 * tunnel per community; its keys are read as dotted paths (`ike-phase-2.ike-p2-use-pfs`) in both forms.
 */
import type { ParameterName } from '../../../knowledge/schema.js';
import { lifetimeSeconds, normDh, normEncryption, normIntegrity } from '../algorithms.js';
import type { ConfigParser, DefaultsTable, FixTarget, ParsedTunnel, ReadValue } from '../model.js';
import { findLine, jsonObjects, words } from '../text.js';

const API = 'Check Point Management API reference, add-vpn-community-star';
export const CHECKPOINT_DEFAULTS: DefaultsTable = {
  'ike-version': { value: 'ikev1', source: `${API}: encryption-method default "ikev1 for ipv4 and ikev2 for ipv6 only"` },
  'ike-mode': { value: 'main', source: 'SmartConsole VPN community > Advanced: aggressive mode is off unless enabled' },
  auth: { value: 'cert', source: `${API}: use-shared-secret default false (certificates)` },
  'p1-encryption': { value: 'aes256', source: `${API}: ike-phase-1 encryption-algorithm default aes-256` },
  'p1-integrity': { value: 'sha1', source: `${API}: ike-phase-1 data-integrity default sha1` },
  'p1-dh': { value: '2', source: `${API}: ike-phase-1 diffie-hellman-group default group-2` },
  'p1-lifetime': { value: '86400', source: `${API}: ike-p1-rekey-time default 1440 minutes` },
  'p2-protocol': { value: 'esp', source: 'Check Point site-to-site VPN: ESP' },
  'p2-mode': { value: 'tunnel', source: 'Check Point site-to-site VPN: tunnel mode' },
  'p2-encryption': { value: 'aes128', source: `${API}: ike-phase-2 encryption-algorithm default aes-128` },
  // no p2-integrity default: with an AES-GCM phase 2 there is no separate integrity algorithm to assume
  pfs: { value: 'off', source: `${API}: ike-p2-use-pfs default false` },
  'p2-lifetime': { value: '3600', source: `${API}: ike-p2-rekey-time default 3600 seconds` },
  dpd: {
    value: 'off',
    source: "AWS/Check Point guide: a gateway's tunnel_keepalive_method defaults to tunnel_test (Check Point's own), not dpd",
  },
  'nat-t': { value: 'on', source: 'Check Point gateway IPsec VPN > Advanced: Support NAT traversal is on by default' },
};

interface Community {
  name: string;
  kind: 'star' | 'meshed';
  keys: Map<string, { v: string; n: number | null }>;
}

/** `mgmt_cli add|set vpn-community-star ...` statements, continuation lines joined; flags (`-s sid.txt`) skipped. */
function fromMgmtCli(lines: string[]): Community[] {
  const out: Community[] = [];
  for (let i = 0; i < lines.length; i++) {
    const cmd = /^\s*mgmt_cli\s+(?:add|set)[ -]vpn-community-(star|meshed)\b/.exec(lines[i]!);
    if (!cmd) continue;
    const start = i;
    let stmt = lines[i]!;
    while (/\\\s*$/.test(lines[i]!) && i + 1 < lines.length) stmt = stmt.replace(/\\\s*$/, ' ') + lines[++i]!;
    const w = words(stmt);
    const keys = new Map<string, { v: string; n: number | null }>();
    for (let k = w.findIndex((x) => /vpn-community-(star|meshed)$/.test(x)) + 1; k < w.length - 1; k += 2) {
      if (w[k]!.startsWith('-')) continue; // "-s sid.txt", "--format json": a flag and its value
      const key = w[k]!;
      const at = findLine(lines, new RegExp(`(^|\\s)${key.replace(/\./g, '\\.')}\\s`), start + 1, i + 1);
      keys.set(key, { v: w[k + 1]!, n: at });
    }
    out.push({ name: keys.get('name')?.v ?? `community ${out.length + 1}`, kind: cmd[1] === 'meshed' ? 'meshed' : 'star', keys });
  }
  return out;
}

/** `show-vpn-community-star` / `set-...` JSON replies: nested objects flattened to dotted keys. */
function fromJson(text: string, lines: string[]): Community[] {
  const out: Community[] = [];
  for (const obj of jsonObjects(text)) {
    const o = obj as Record<string, unknown>;
    if (!o['ike-phase-1'] && !o['ike-phase-2'] && !/^vpn-community/.test(String(o.type ?? ''))) continue;
    const name = typeof o.name === 'string' ? o.name : `community ${out.length + 1}`;
    const nameLine = findLine(lines, new RegExp(`"name"\\s*:\\s*"${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`)) ?? 1;
    const keys = new Map<string, { v: string; n: number | null }>();
    const walk = (node: Record<string, unknown>, prefix: string, from: number) => {
      for (const [k, v] of Object.entries(node)) {
        const at = findLine(lines, new RegExp(`"${k}"\\s*:`), from);
        if (v && typeof v === 'object' && !Array.isArray(v)) {
          if (k === 'ike-phase-1' || k === 'ike-phase-2') walk(v as Record<string, unknown>, `${prefix}${k}.`, at ?? from);
        } else if (!Array.isArray(v)) keys.set(`${prefix}${k}`, { v: String(v), n: at });
      }
    };
    walk(o, '', nameLine);
    out.push({ name, kind: /meshed/.test(String(o.type ?? '')) ? 'meshed' : 'star', keys });
  }
  return out;
}

function tunnelOf(c: Community): ParsedTunnel {
  const params: Partial<Record<ParameterName, ReadValue>> = {};
  const get = (k: string) => c.keys.get(k);
  const set = (name: ParameterName, key: string, value: (v: string) => string) => {
    const got = get(key);
    if (got) params[name] = { value: value(got.v), line: got.n };
  };
  set('ike-version', 'encryption-method', (v) => (/ikev2 only/.test(v) ? 'ikev2' : /prefer ikev2/.test(v) ? 'ikev2, ikev1' : 'ikev1'));
  set('auth', 'use-shared-secret', (v) => (v === 'true' ? 'psk' : 'cert'));
  set('p1-encryption', 'ike-phase-1.encryption-algorithm', (v) => normEncryption(v));
  set('p1-integrity', 'ike-phase-1.data-integrity', normIntegrity);
  set('p1-dh', 'ike-phase-1.diffie-hellman-group', normDh);
  const unit = (k: string, d: 'm' | 's') => {
    const u = get(k)?.v ?? '';
    return u.startsWith('day') ? 'd' : u.startsWith('hour') ? 'h' : u.startsWith('min') ? 'm' : u.startsWith('sec') ? 's' : d;
  };
  set('p1-lifetime', 'ike-phase-1.ike-p1-rekey-time', (v) =>
    String(lifetimeSeconds(v, unit('ike-phase-1.ike-p1-rekey-time-unit', 'm')) ?? v),
  );
  set('p2-encryption', 'ike-phase-2.encryption-algorithm', (v) => normEncryption(v));
  set('p2-integrity', 'ike-phase-2.data-integrity', normIntegrity);
  set('p2-lifetime', 'ike-phase-2.ike-p2-rekey-time', (v) =>
    String(lifetimeSeconds(v, unit('ike-phase-2.ike-p2-rekey-time-unit', 's')) ?? v),
  );
  const usePfs = get('ike-phase-2.ike-p2-use-pfs');
  const pfsGroup = get('ike-phase-2.ike-p2-pfs-dh-grp');
  if (usePfs)
    params.pfs =
      usePfs.v === 'true' ? { value: normDh(pfsGroup?.v ?? 'group-2'), line: pfsGroup?.n ?? usePfs.n } : { value: 'off', line: usePfs.n };
  // AES-GCM carries its own integrity: a data-integrity value next to it is not negotiated
  if (/gcm/.test(params['p2-encryption']?.value ?? '')) delete params['p2-integrity'];
  const gran = get('tunnel-granularity');
  if (gran?.v === 'universal')
    params['traffic-selectors'] = { value: 'VPN domain <=> VPN domain (one tunnel per gateway pair)', line: gran.n };
  else if (gran?.v === 'per_host')
    params['traffic-selectors'] = { value: 'one SA per host pair: each host <=> each peer host; (several pairs)', line: gran.n };
  return { name: c.name, params, objects: { community: c.name, kind: c.kind } };
}

const CP_ENC: Record<string, string> = { aes128: 'aes-128', aes256: 'aes-256', aes128gcm: 'aes-gcm-128', aes256gcm: 'aes-gcm-256' };
const CP_KEY: Partial<Record<ParameterName, (v: string) => string>> = {
  'ike-version': (v) => `encryption-method "${v === 'ikev2' ? 'ikev2 only' : 'ikev1 for ipv4 and ikev2 for ipv6 only'}"`,
  auth: () => 'use-shared-secret true',
  'p1-encryption': (v) => `ike-phase-1.encryption-algorithm "${CP_ENC[v] ?? v}"`,
  'p1-integrity': (v) => `ike-phase-1.data-integrity "${v}"`,
  'p1-dh': (v) => `ike-phase-1.diffie-hellman-group "group-${v}"`,
  'p1-lifetime': (v) => `ike-phase-1.ike-p1-rekey-time ${Math.round(Number(v) / 60)}`,
  'p2-encryption': (v) => `ike-phase-2.encryption-algorithm "${CP_ENC[v] ?? v}"`,
  'p2-integrity': (v) => `ike-phase-2.data-integrity "${v}"`,
  pfs: (v) => `ike-phase-2.ike-p2-use-pfs true ike-phase-2.ike-p2-pfs-dh-grp "group-${v}"`,
  'p2-lifetime': (v) => `ike-phase-2.ike-p2-rekey-time ${v}`,
  'traffic-selectors': () => 'tunnel-granularity "universal"',
};

function checkpointFix(t: ParsedTunnel, target: FixTarget): string[] | null {
  if (target.name === 'dpd')
    return [
      'GuiDBedit: Network Objects > network_objects > (each gateway of the community) > VPN > tunnel_keepalive_method: dpd',
      'then install the policy on the gateways',
    ];
  const key = CP_KEY[target.name];
  if (!key) return null;
  return [`mgmt_cli set vpn-community-${t.objects.kind} name "${t.objects.community}" ${key(target.value)}`, 'mgmt_cli publish'];
}

export const checkpoint: ConfigParser = {
  id: 'checkpoint-mgmt',
  vendor: 'checkpoint',
  format: 'checkpoint-mgmt-api',
  detect(head) {
    if (/mgmt_cli\s+(add|set)[ -]vpn-community-(star|meshed)\b/.test(head)) return 0.95;
    return /"ike-phase-1"\s*:/.test(head) && /"(encryption-method|ike-phase-2|tunnel-granularity)"\s*:/.test(head) ? 0.93 : 0;
  },
  parse(text) {
    const lines = text.split(/\r?\n/);
    const communities = [...fromMgmtCli(lines)];
    if (!communities.length) communities.push(...fromJson(text, lines));
    return { vendor: 'checkpoint', format: 'checkpoint-mgmt-api', tunnels: communities.map(tunnelOf) };
  },
  defaults: CHECKPOINT_DEFAULTS,
  fix(t, target) {
    const lines = checkpointFix(t, target);
    return lines ? { platform: 'Check Point Management API (mgmt_cli)', kind: 'cli', lines } : null;
  },
};
