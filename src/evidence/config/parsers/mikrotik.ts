/**
 * MikroTik RouterOS `/export`: `/ip ipsec profile|peer|proposal|identity|policy` sections of
 * `add key=value ...` / `set [ find default=yes ] ...` lines (RouterOS 6.44+ and 7; older exports carry
 * the phase-1 settings on the peer itself, which is read the same way).
 */
import type { ParameterName } from '../../../knowledge/schema.js';
import { lifetimeSeconds, list, normDh, normEncryption, normIntegrity } from '../algorithms.js';
import type { ConfigParser, DefaultsTable, FixTarget, ParsedTunnel, ReadValue } from '../model.js';
import { isTemplateValue } from '../text.js';

type Item = Map<string, { v: string; n: number }>;

const REF = 'RouterOS manual, IPsec';
export const MIKROTIK_DEFAULTS: DefaultsTable = {
  'ike-version': { value: 'ikev1', source: `${REF}: peer exchange-mode=main (IKEv1)` },
  'ike-mode': { value: 'main', source: `${REF}: peer exchange-mode=main` },
  auth: { value: 'psk', source: `${REF}: identity auth-method=pre-shared-key` },
  'p1-encryption': { value: 'aes128, 3des', source: `${REF}: profile enc-algorithm=aes-128,3des` },
  'p1-integrity': { value: 'sha1', source: `${REF}: profile hash-algorithm=sha1` },
  'p1-dh': { value: '14, 2', source: `${REF}: profile dh-group=modp2048,modp1024` },
  'p1-lifetime': { value: '86400', source: `${REF}: profile lifetime=1d` },
  'p2-encryption': { value: 'aes256, aes192, aes128', source: `${REF}: proposal enc-algorithms=aes-256-cbc,aes-192-cbc,aes-128-cbc` },
  'p2-integrity': { value: 'sha1', source: `${REF}: proposal auth-algorithms=sha1` },
  pfs: { value: '2', source: `${REF}: proposal pfs-group=modp1024` },
  'p2-lifetime': { value: '1800', source: `${REF}: proposal lifetime=30m` },
  'p2-protocol': { value: 'esp', source: `${REF}: policy protocol esp` },
  dpd: { value: 'on', source: `${REF}: profile dpd-interval=8s` },
  'nat-t': { value: 'on', source: `${REF}: profile nat-traversal=yes` },
};

function kv(line: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of line.matchAll(/([\w-]+)=("(?:[^"\\]|\\.)*"|\S+)/g)) out.set(m[1]!, m[2]!.replace(/^"|"$/g, ''));
  return out;
}

function parseMikrotik(text: string): ParsedTunnel[] {
  // join "\"-continued lines, keeping the first line's number
  const raw = text.split(/\r?\n/);
  const lines: { t: string; n: number }[] = [];
  for (let i = 0; i < raw.length; i++) {
    let t = raw[i]!;
    const n = i + 1;
    while (t.endsWith('\\') && i + 1 < raw.length) t = t.slice(0, -1) + raw[++i]!.trim();
    lines.push({ t: t.trim(), n });
  }
  const sections: Record<string, Item[]> = { profile: [], peer: [], proposal: [], identity: [], policy: [] };
  let section = '';
  for (const { t, n } of lines) {
    if (t === '' || t.startsWith('#')) continue;
    const sec = /^\/ip ipsec (\w+)(?:\s+(add|set)\s+(.*))?$/.exec(t);
    let body = t;
    if (sec) {
      section = sec[1]!;
      if (!sec[2]) continue;
      body = `${sec[2]} ${sec[3]}`;
    } else if (t.startsWith('/')) {
      section = '';
      continue;
    }
    if (!sections[section]) continue;
    const m = /^(add|set)\s+(.*)$/.exec(body);
    if (!m) continue;
    const item: Item = new Map();
    const isDefault = /\[\s*find default=yes\s*\]/.test(m[2]!);
    for (const [k, v] of kv(m[2]!)) if (!isTemplateValue(v)) item.set(k, { v, n });
    if (isDefault) item.set('name', { v: 'default', n });
    // `set 0 ...` edits the built-in policy template, which is not a tunnel's policy
    if (section === 'policy' && m[1] === 'set') continue;
    sections[section]!.push(item);
  }
  const byName = (s: Item[], name: string) => s.find((x) => (x.get('name')?.v ?? 'default') === name);
  const peers = sections.peer!.length ? sections.peer! : sections.policy!.filter((p) => p.has('sa-dst-address'));
  return peers.map((peer, i) => {
    const params: Partial<Record<ParameterName, ReadValue>> = {};
    const set = (k: ParameterName, v: string | undefined, n: number | undefined) => {
      if (v) params[k] = { value: v, line: n ?? null };
    };
    const name = peer.get('name')?.v ?? peer.get('address')?.v ?? peer.get('sa-dst-address')?.v ?? `peer${i + 1}`;
    const profileName = peer.get('profile')?.v ?? 'default';
    const profile: Item = byName(sections.profile!, profileName) ?? new Map();
    // settings on the peer itself (RouterOS <= 6.43) win over the profile
    const p1 = (k: string) => peer.get(k) ?? profile.get(k);
    const mode = peer.get('exchange-mode');
    if (mode) {
      set('ike-version', mode.v === 'ike2' ? 'ikev2' : 'ikev1', mode.n);
      if (mode.v !== 'ike2') set('ike-mode', mode.v === 'aggressive' ? 'aggressive' : 'main', mode.n);
    }
    const enc = p1('enc-algorithm');
    set('p1-encryption', enc && list(enc.v.split(',').map((e) => normEncryption(e))), enc?.n);
    const hash = p1('hash-algorithm');
    set('p1-integrity', hash && list(hash.v.split(',').map(normIntegrity)), hash?.n);
    const dh = p1('dh-group');
    set('p1-dh', dh && list(dh.v.split(',').map(normDh)), dh?.n);
    const life = p1('lifetime');
    set('p1-lifetime', life && String(lifetimeSeconds(life.v) ?? life.v), life?.n);
    const dpd = p1('dpd-interval');
    set('dpd', dpd && (dpd.v === 'disable-dpd' ? 'off' : 'on'), dpd?.n);
    const nat = p1('nat-traversal');
    set('nat-t', nat && (nat.v === 'no' ? 'off' : 'on'), nat?.n);
    const ident = sections.identity!.find((x) => x.get('peer')?.v === name);
    const authm = ident?.get('auth-method') ?? peer.get('auth-method');
    const secret = ident?.get('secret') ?? peer.get('secret');
    if (authm) set('auth', /pre-shared/.test(authm.v) ? 'psk' : 'cert', authm.n);
    else if (secret) set('auth', 'psk', secret.n);
    const policies = sections.policy!.filter((x) => x.get('peer')?.v === name || (!x.has('peer') && peers.length === 1));
    const pol = policies[0];
    const propName = pol?.get('proposal')?.v ?? 'default';
    const prop: Item = byName(sections.proposal!, propName) ?? new Map();
    const e2 = prop.get('enc-algorithms');
    set('p2-encryption', e2 && list(e2.v.split(',').map((e) => normEncryption(e))), e2?.n);
    const a2 = prop.get('auth-algorithms');
    set('p2-integrity', a2 && list(a2.v.split(',').map(normIntegrity)), a2?.n);
    const pfs = prop.get('pfs-group');
    set('pfs', pfs && normDh(pfs.v), pfs?.n);
    const l2 = prop.get('lifetime');
    set('p2-lifetime', l2 && String(lifetimeSeconds(l2.v) ?? l2.v), l2?.n);
    const tun = pol?.get('tunnel');
    if (tun) set('p2-mode', tun.v === 'yes' ? 'tunnel' : 'transport', tun.n);
    else if (pol) params['p2-mode'] = { value: 'transport', line: null, defaultFrom: `${REF}: policy tunnel=no` };
    const proto = pol?.get('protocol');
    if (proto && /^(esp|ah)$/.test(proto.v)) set('p2-protocol', proto.v, proto.n);
    if (policies.length)
      set(
        'traffic-selectors',
        policies.map((p) => `${p.get('src-address')?.v ?? '(unset)'} <=> ${p.get('dst-address')?.v ?? '(unset)'}`).join('; '),
        policies[0]!.get('src-address')?.n ?? policies[0]!.get('dst-address')?.n,
      );
    const t: ParsedTunnel = {
      name,
      params,
      objects: { peer: name, profile: profileName, proposal: propName, legacyPeer: peer.has('enc-algorithm') ? 'yes' : '' },
    };
    const addr = peer.get('address')?.v;
    if (addr) t.peer = addr.replace(/\/32$/, '');
    return t;
  });
}

const ENC: Record<string, string> = { aes128: 'aes-128', aes256: 'aes-256', aes192: 'aes-192' };
const DH: Record<string, string> = {
  '2': 'modp1024',
  '5': 'modp1536',
  '14': 'modp2048',
  '15': 'modp3072',
  '16': 'modp4096',
  '19': 'ecp256',
  '20': 'ecp384',
  '21': 'ecp521',
};

function mikrotikFix(t: ParsedTunnel, target: FixTarget): string[] | null {
  const v = target.value;
  const o = t.objects;
  const prof = (kvs: string) =>
    o.legacyPeer ? [`/ip ipsec peer set [ find name=${o.peer} ] ${kvs}`] : [`/ip ipsec profile set [ find name=${o.profile} ] ${kvs}`];
  const prop = (kvs: string) => [`/ip ipsec proposal set [ find name=${o.proposal} ] ${kvs}`];
  switch (target.name) {
    case 'ike-version':
      return [`/ip ipsec peer set [ find name=${o.peer} ] exchange-mode=${v === 'ikev2' ? 'ike2' : 'main'}`];
    case 'ike-mode':
      return [`/ip ipsec peer set [ find name=${o.peer} ] exchange-mode=main`];
    case 'p1-encryption':
      return prof(`enc-algorithm=${ENC[v] ?? v}`);
    case 'p1-integrity':
      return prof(`hash-algorithm=${v}`);
    case 'p1-dh':
      return prof(`dh-group=${DH[v] ?? v}`);
    case 'p1-lifetime':
      return prof(`lifetime=${Number(v) / 3600}h`);
    case 'dpd':
      return prof('dpd-interval=10s dpd-maximum-failures=3');
    case 'p2-encryption':
      return prop(`enc-algorithms=${(ENC[v] ?? v).replace(/^(aes-\d+)$/, '$1-cbc')}`);
    case 'p2-integrity':
      return prop(`auth-algorithms=${v}`);
    case 'pfs':
      return prop(`pfs-group=${DH[v] ?? v}`);
    case 'p2-lifetime':
      return prop(`lifetime=${Number(v) % 3600 === 0 ? `${Number(v) / 3600}h` : `${Number(v) / 60}m`}`);
    case 'p2-mode':
      return [`/ip ipsec policy set [ find peer=${o.peer} ] tunnel=yes`];
    case 'traffic-selectors':
      return [
        `/ip ipsec policy remove [ find peer=${o.peer} ]`,
        `/ip ipsec policy add peer=${o.peer} tunnel=yes src-address=<ON-PREM-SUPERNET> dst-address=<OUTSYSTEMS-RANGE> proposal=${o.proposal}`,
      ];
    default:
      return null;
  }
}

export const mikrotik: ConfigParser = {
  id: 'routeros',
  vendor: 'mikrotik',
  format: 'routeros-export',
  detect: (head) => (/^\/ip ipsec (peer|profile|proposal|policy|identity)\b/m.test(head) ? 0.9 : 0),
  parse: (text) => ({ vendor: 'mikrotik', format: 'routeros-export', tunnels: parseMikrotik(text) }),
  defaults: MIKROTIK_DEFAULTS,
  fix(t, target) {
    const lines = mikrotikFix(t, target);
    return lines ? { platform: 'MikroTik RouterOS', kind: 'cli', lines } : null;
  },
};
