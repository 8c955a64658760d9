/**
 * VyOS and Ubiquiti EdgeOS: `set vpn ipsec ...` commands or the `vpn { ipsec { ... } }` config.boot tree:
 * `ike-group`, `esp-group` and `site-to-site peer` (with `tunnel N` or `vti`).
 */
import type { ParameterName } from '../../../knowledge/schema.js';
import { lifetimeSeconds, list, normDh, normEncryption, normIntegrity } from '../algorithms.js';
import type { ConfigParser, DefaultsTable, FixTarget, ParsedTunnel, ReadValue } from '../model.js';
import { isTemplateValue, words } from '../text.js';
import { braceLeaves, type Leaf } from './brace-tree.js';

const REF = 'VyOS documentation, IPsec site-to-site';
export const VYOS_DEFAULTS: DefaultsTable = {
  'ike-version': { value: 'ikev1', source: `${REF}: ike-group key-exchange default ikev1` },
  'ike-mode': { value: 'main', source: `${REF}: ike-group mode default main` },
  'p1-lifetime': { value: '28800', source: `${REF}: ike-group lifetime default 28800` },
  'p2-lifetime': { value: '3600', source: `${REF}: esp-group lifetime default 3600` },
  'p2-mode': { value: 'tunnel', source: `${REF}: esp-group mode default tunnel` },
  'p2-protocol': { value: 'esp', source: `${REF}: esp-group` },
  dpd: { value: 'off', source: `${REF}: dead-peer-detection is not used unless configured` },
  'nat-t': { value: 'on', source: `${REF}: NAT traversal is negotiated automatically` },
};

function vyosLeaves(text: string): Leaf[] {
  if (/^\s*set vpn ipsec /m.test(text)) {
    const out: Leaf[] = [];
    text.split(/\r?\n/).forEach((l, i) => {
      const t = l.trim();
      if (!t.startsWith('set ')) return;
      const w = words(t.slice(4));
      out.push({ path: w.slice(0, -1), value: w[w.length - 1]!, n: i + 1 });
    });
    return out;
  }
  return braceLeaves(text);
}

function parseVyos(text: string): ParsedTunnel[] {
  const ike = new Map<string, Map<string, { v: string; n: number }>>();
  const esp = new Map<string, Map<string, { v: string; n: number }>>();
  const peers = new Map<string, Map<string, { v: string; n: number }>>();
  let natT: { v: string; n: number } | undefined;
  const put = (m: Map<string, Map<string, { v: string; n: number }>>, name: string, key: string, v: string, n: number) => {
    const x = m.get(name) ?? new Map();
    if (!x.has(key)) x.set(key, { v, n });
    m.set(name, x);
  };
  for (const leaf of vyosLeaves(text)) {
    if (isTemplateValue(leaf.value)) continue;
    const at = leaf.path.indexOf('ipsec');
    if (at < 0) continue;
    const p = leaf.path.slice(at + 1);
    if (p[0] === 'nat-traversal') natT = { v: leaf.value, n: leaf.n };
    if (p[0] === 'ike-group' && p[1]) put(ike, p[1], p.slice(2).join(' '), leaf.value, leaf.n);
    if (p[0] === 'esp-group' && p[1]) put(esp, p[1], p.slice(2).join(' '), leaf.value, leaf.n);
    if (p[0] === 'site-to-site' && p[1] === 'peer' && p[2]) put(peers, p[2], p.slice(3).join(' '), leaf.value, leaf.n);
  }
  const tunnels: ParsedTunnel[] = [];
  for (const [name, peer] of peers) {
    const params: Partial<Record<ParameterName, ReadValue>> = {};
    const set = (k: ParameterName, v: string, n: number) => {
      if (v !== '') params[k] = { value: v, line: n };
    };
    const ig = peer.get('ike-group')?.v ?? '';
    const g = ike.get(ig) ?? new Map<string, { v: string; n: number }>();
    const kx = g.get('key-exchange');
    if (kx) set('ike-version', kx.v, kx.n);
    const mode = g.get('mode');
    if (mode) set('ike-mode', mode.v, mode.n);
    const am = peer.get('authentication mode');
    if (am) set('auth', /pre-shared/.test(am.v) ? 'psk' : 'cert', am.n);
    const props = (m: Map<string, { v: string; n: number }>, key: string) =>
      [...m.entries()].filter(([k]) => new RegExp(`^proposal \\S+ ${key}$`).test(k)).map(([, v]) => v);
    const e1 = props(g, 'encryption');
    if (e1.length) set('p1-encryption', list(e1.map((x) => normEncryption(x.v))), e1[0]!.n);
    const h1 = props(g, 'hash');
    if (h1.length) set('p1-integrity', list(h1.map((x) => normIntegrity(x.v))), h1[0]!.n);
    const d1 = props(g, 'dh-group');
    if (d1.length) set('p1-dh', list(d1.map((x) => normDh(x.v))), d1[0]!.n);
    const l1 = g.get('lifetime');
    if (l1) set('p1-lifetime', String(lifetimeSeconds(l1.v) ?? l1.v), l1.n);
    const dpd = g.get('dead-peer-detection action') ?? g.get('dead-peer-detection interval');
    if (dpd) set('dpd', dpd.v === 'clear' || dpd.v === 'hold' || dpd.v === 'restart' || /^\d+$/.test(dpd.v) ? 'on' : 'off', dpd.n);
    if (natT) set('nat-t', natT.v === 'disable' ? 'off' : 'on', natT.n);
    // tunnels of this peer: each "tunnel N" is one selector pair set; a VTI is any/any
    const tunnelIds = new Set<string>();
    for (const k of peer.keys()) {
      const m = /^tunnel (\S+)/.exec(k);
      if (m) tunnelIds.add(m[1]!);
    }
    const espName =
      peer.get('default-esp-group')?.v ??
      peer.get('vti esp-group')?.v ??
      [...tunnelIds].map((id) => peer.get(`tunnel ${id} esp-group`)?.v).find(Boolean) ??
      '';
    const e = esp.get(espName) ?? new Map<string, { v: string; n: number }>();
    const e2 = props(e, 'encryption');
    if (e2.length) set('p2-encryption', list(e2.map((x) => normEncryption(x.v))), e2[0]!.n);
    const h2 = props(e, 'hash');
    if (h2.length) set('p2-integrity', list(h2.map((x) => normIntegrity(x.v))), h2[0]!.n);
    const l2 = e.get('lifetime');
    if (l2) set('p2-lifetime', String(lifetimeSeconds(l2.v) ?? l2.v), l2.n);
    const m2 = e.get('mode');
    if (m2) set('p2-mode', m2.v, m2.n);
    const pfs = e.get('pfs');
    if (pfs)
      set(
        'pfs',
        pfs.v === 'disable' ? 'off' : pfs.v === 'enable' ? (params['p1-dh']?.value ?? '') : normDh(pfs.v.replace(/^dh-group/, '')),
        pfs.n,
      );
    else if (params['p1-dh'])
      params.pfs = {
        value: params['p1-dh'].value,
        line: null,
        defaultFrom: `${REF}: esp-group pfs default enable (the IKE group's DH group)`,
      };
    const pairs: string[] = [];
    let selLine = 0;
    for (const id of tunnelIds) {
      const loc = [...peer.entries()].filter(([k]) => k === `tunnel ${id} local prefix`).map(([, v]) => v);
      const rem = [...peer.entries()].filter(([k]) => k === `tunnel ${id} remote prefix`).map(([, v]) => v);
      selLine ||= loc[0]?.n ?? rem[0]?.n ?? 0;
      for (const a of loc.length ? loc : [{ v: '0.0.0.0/0' }])
        for (const b of rem.length ? rem : [{ v: '0.0.0.0/0' }]) pairs.push(`${a.v} <=> ${b.v}`);
    }
    if (pairs.length) set('traffic-selectors', pairs.join('; '), selLine);
    else if (peer.has('vti bind')) set('traffic-selectors', '0.0.0.0/0 <=> 0.0.0.0/0', peer.get('vti bind')!.n);
    const t: ParsedTunnel = { name, params, objects: { peer: name, ikeGroup: ig, espGroup: espName } };
    t.peer = peer.get('remote-address')?.v ?? name;
    tunnels.push(t);
  }
  return tunnels;
}

const ENC: Record<string, string> = { aes128gcm: 'aes128gcm128', aes256gcm: 'aes256gcm128' };

function vyosFix(t: ParsedTunnel, target: FixTarget): string[] | null {
  const o = t.objects;
  const ig = `set vpn ipsec ike-group ${o.ikeGroup}`;
  const eg = `set vpn ipsec esp-group ${o.espGroup}`;
  const v = target.value;
  switch (target.name) {
    case 'ike-version':
      return [`${ig} key-exchange ${v}`];
    case 'ike-mode':
      return [`${ig} mode main`];
    case 'auth':
      return [`set vpn ipsec site-to-site peer ${o.peer} authentication mode pre-shared-secret`];
    case 'p1-encryption':
      return [`${ig} proposal 1 encryption ${ENC[v] ?? v}`];
    case 'p1-integrity':
      return [`${ig} proposal 1 hash ${v}`];
    case 'p1-dh':
      return [`${ig} proposal 1 dh-group ${v}`];
    case 'p1-lifetime':
      return [`${ig} lifetime ${v}`];
    case 'p2-encryption':
      return [`${eg} proposal 1 encryption ${ENC[v] ?? v}`];
    case 'p2-integrity':
      return [`${eg} proposal 1 hash ${v}`];
    case 'pfs':
      return [`${eg} pfs dh-group${v}`];
    case 'p2-lifetime':
      return [`${eg} lifetime ${v}`];
    case 'p2-mode':
      return [`${eg} mode tunnel`];
    case 'dpd':
      return [`${ig} dead-peer-detection action restart`, `${ig} dead-peer-detection interval 10`, `${ig} dead-peer-detection timeout 30`];
    case 'traffic-selectors':
      return [
        `delete vpn ipsec site-to-site peer ${o.peer} tunnel`,
        `set vpn ipsec site-to-site peer ${o.peer} tunnel 1 local prefix <ON-PREM-SUPERNET>`,
        `set vpn ipsec site-to-site peer ${o.peer} tunnel 1 remote prefix <OUTSYSTEMS-RANGE>`,
      ];
    default:
      return null;
  }
}

export const vyos: ConfigParser = {
  id: 'vyos',
  vendor: 'vyos',
  format: 'vyos',
  detect(head) {
    if (/^\s*set vpn ipsec (ike-group|esp-group|site-to-site) /m.test(head)) return 0.9;
    if (/^\s*vpn\s*\{/m.test(head) && /\bipsec\s*\{/.test(head) && /\b(ike-group|esp-group)\b/.test(head)) return 0.9;
    return 0;
  },
  parse: (text) => ({ vendor: 'vyos', format: /^\s*set vpn ipsec /m.test(text) ? 'vyos-set' : 'vyos-config', tunnels: parseVyos(text) }),
  defaults: VYOS_DEFAULTS,
  fix(t, target) {
    const lines = vyosFix(t, target);
    return lines ? { platform: 'VyOS / EdgeOS', kind: 'cli', lines: ['configure', ...lines, 'commit', 'save'] } : null;
  },
};
