/**
 * FortiGate (FortiOS CLI): `config vpn ipsec phase1-interface` / `phase2-interface` (and the policy-based
 * `phase1` / `phase2`), `edit "name"`, `set key value`, `next`, `end`.
 */
import type { ParameterName } from '../../../knowledge/schema.js';
import { lifetimeSeconds, list, normDh, normEncryption, normIntegrity } from '../algorithms.js';
import type { ConfigParser, DefaultsTable, FixTarget, ParsedTunnel, ReadValue } from '../model.js';
import { isTemplateValue, words } from '../text.js';

interface Entry {
  name: string;
  line: number;
  sets: Map<string, { v: string[]; n: number }>;
}

/** Entries of every `config vpn ipsec phase1*` / `phase2*` block. */
function readFortiBlocks(text: string): { p1: Entry[]; p2: Entry[]; addresses: Map<string, string> } {
  const p1: Entry[] = [];
  const p2: Entry[] = [];
  const addresses = new Map<string, string>();
  const path: string[] = [];
  let entry: Entry | null = null;
  let entryDepth = -1;
  let addrName: string | null = null;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const body = lines[i]!.trim();
    if (body === '' || body.startsWith('#')) continue;
    const w = words(body);
    if (w[0] === 'config') {
      path.push(w.slice(1).join(' '));
      continue;
    }
    if (w[0] === 'end') {
      path.pop();
      if (path.length <= entryDepth) entry = null;
      continue;
    }
    const where = path.join(' / ');
    if (w[0] === 'edit') {
      const name = w[1] ?? '';
      if (/vpn ipsec( \/)? ?phase1(-interface)?$/.test(where)) {
        entry = { name, line: i + 1, sets: new Map() };
        entryDepth = path.length;
        p1.push(entry);
      } else if (/vpn ipsec( \/)? ?phase2(-interface)?$/.test(where)) {
        entry = { name, line: i + 1, sets: new Map() };
        entryDepth = path.length;
        p2.push(entry);
      } else if (/firewall address$/.test(where)) addrName = name;
      continue;
    }
    if (w[0] === 'next') {
      if (path.length === entryDepth) entry = null;
      addrName = null;
      continue;
    }
    if (w[0] === 'set' && w[1]) {
      const values = w.slice(2);
      if (values.some(isTemplateValue)) continue;
      if (entry && path.length === entryDepth) entry.sets.set(w[1], { v: values, n: i + 1 });
      else if (addrName && w[1] === 'subnet') addresses.set(addrName, values.join(' '));
    }
  }
  return { p1, p2, addresses };
}

/** "aes128-sha256", "aes256gcm-prfsha384", "chacha20poly1305-prfsha256", "3des-md5". */
function splitFortiProposal(tokens: string[], phase: 1 | 2): { enc: string[]; integ: string[] } {
  const enc: string[] = [];
  const integ: string[] = [];
  for (const t of tokens) {
    const [e, h] = t.toLowerCase().split('-');
    if (!e) continue;
    enc.push(normEncryption(e));
    // GCM/ChaCha carry no separate integrity; phase 1 still names a PRF, which AWS counts as integrity
    if (h && (!h.startsWith('prf') || phase === 1)) integ.push(normIntegrity(h));
  }
  return { enc, integ };
}

const cidr = (s: string): string => {
  const [ip, mask] = s.split(/\s+/);
  if (!mask) return s;
  const bits = mask.split('.').reduce((n, o) => n + (Number(o) >>> 0).toString(2).replace(/0/g, '').length, 0);
  return `${ip}/${bits}`;
};

export const FORTIGATE_DEFAULTS: DefaultsTable = {
  'ike-version': { value: 'ikev1', source: 'FortiOS CLI reference, vpn ipsec phase1-interface: ike-version default 1' },
  'ike-mode': { value: 'main', source: 'FortiOS CLI reference, vpn ipsec phase1-interface: mode default main' },
  auth: { value: 'psk', source: 'FortiOS CLI reference, vpn ipsec phase1-interface: authmethod default psk' },
  'p1-dh': { value: '14, 5', source: 'FortiOS CLI reference, vpn ipsec phase1-interface: dhgrp default 14 5' },
  'p1-lifetime': { value: '86400', source: 'FortiOS CLI reference, vpn ipsec phase1-interface: keylife default 86400' },
  'p2-protocol': { value: 'esp', source: 'FortiOS IPsec tunnels use ESP' },
  'p2-mode': { value: 'tunnel', source: 'FortiOS CLI reference, vpn ipsec phase2-interface: encapsulation default tunnel-mode' },
  'p2-lifetime': { value: '43200', source: 'FortiOS CLI reference, vpn ipsec phase2-interface: keylifeseconds default 43200' },
  dpd: { value: 'on', source: 'FortiOS CLI reference, vpn ipsec phase1-interface: dpd default on-demand' },
  'nat-t': { value: 'on', source: 'FortiOS CLI reference, vpn ipsec phase1-interface: nattraversal default enable' },
  'traffic-selectors': {
    value: '0.0.0.0/0 <=> 0.0.0.0/0',
    source: 'FortiOS CLI reference, vpn ipsec phase2-interface: src-subnet/dst-subnet default 0.0.0.0 0.0.0.0',
  },
};

function parseForti(text: string): ParsedTunnel[] {
  const { p1, p2, addresses } = readFortiBlocks(text);
  return p1.map((e) => {
    const params: Partial<Record<ParameterName, ReadValue>> = {};
    const set = (k: ParameterName, v: string, n: number) => {
      if (v !== '') params[k] = { value: v, line: n };
    };
    const g = (k: string) => e.sets.get(k);
    const iv = g('ike-version');
    if (iv) set('ike-version', `ikev${iv.v[0]}`, iv.n);
    const mode = g('mode');
    if (mode) set('ike-mode', mode.v[0]!, mode.n);
    const auth = g('authmethod');
    if (auth) set('auth', auth.v[0] === 'psk' ? 'psk' : 'cert', auth.n);
    else if (g('psksecret')) set('auth', 'psk', g('psksecret')!.n);
    const prop = g('proposal');
    if (prop) {
      const s = splitFortiProposal(prop.v, 1);
      set('p1-encryption', list(s.enc), prop.n);
      set('p1-integrity', list(s.integ), prop.n);
    }
    const dh = g('dhgrp');
    if (dh) set('p1-dh', list(dh.v.map(normDh)), dh.n);
    const life = g('keylife');
    if (life) set('p1-lifetime', life.v[0]!, life.n);
    const dpd = g('dpd');
    if (dpd) set('dpd', dpd.v[0] === 'disable' ? 'off' : 'on', dpd.n);
    const nat = g('nattraversal');
    if (nat) set('nat-t', nat.v[0] === 'disable' ? 'off' : 'on', nat.n);

    const mine = p2.filter((x) => x.sets.get('phase1name')?.v[0] === e.name);
    const objects: Record<string, string> = { phase1: e.name };
    if (mine.length) {
      const first = mine[0]!;
      objects.phase2 = first.name;
      const enc: string[] = [];
      const integ: string[] = [];
      let propLine = 0;
      for (const x of mine) {
        const pp = x.sets.get('proposal');
        if (pp) {
          const s = splitFortiProposal(pp.v, 2);
          enc.push(...s.enc);
          integ.push(...s.integ);
          propLine ||= pp.n;
        }
      }
      set('p2-encryption', list(enc), propLine);
      set('p2-integrity', list(integ), propLine);
      const f = (k: string) => first.sets.get(k);
      const pfs = f('pfs');
      const dh2 = f('dhgrp');
      if (pfs?.v[0] === 'disable') set('pfs', 'off', pfs.n);
      else if (dh2) set('pfs', list(dh2.v.map(normDh)), dh2.n);
      else if (pfs) set('pfs', '14, 5', pfs.n);
      else
        params.pfs = {
          value: '14, 5',
          line: null,
          defaultFrom: 'FortiOS CLI reference, vpn ipsec phase2-interface: pfs default enable, dhgrp default 14 5',
        };
      const kl = f('keylifeseconds');
      if (kl) set('p2-lifetime', String(lifetimeSeconds(kl.v[0]!) ?? kl.v[0]), kl.n);
      const enc2 = f('encapsulation');
      if (enc2) set('p2-mode', enc2.v[0] === 'transport-mode' ? 'transport' : 'tunnel', enc2.n);
      const pairs = mine.map((x) => {
        const side = (k: 'src' | 'dst') => {
          const sub = x.sets.get(`${k}-subnet`);
          if (sub) return cidr(sub.v.join(' '));
          const nm = x.sets.get(`${k}-name`)?.v[0];
          return nm ? (addresses.has(nm) ? cidr(addresses.get(nm)!) : nm) : '0.0.0.0/0';
        };
        return `${side('src')} <=> ${side('dst')}`;
      });
      const selLine = first.sets.get('src-subnet')?.n ?? first.sets.get('src-name')?.n ?? (mine.length > 1 ? mine[1]!.line : 0);
      if (selLine || mine.length > 1) set('traffic-selectors', pairs.join('; '), selLine || first.line);
    }
    const t: ParsedTunnel = { name: e.name, params, objects };
    const gw = e.sets.get('remote-gw');
    if (gw) t.peer = gw.v[0]!;
    return t;
  });
}

const PROP = (enc: string, integ: string): string => `${enc.replace('gcm', 'gcm')}-${integ}`;
const first = (t: ParsedTunnel, k: ParameterName, d: string) => (t.params[k]?.value ?? d).split(',')[0]!.trim();

function fortiFix(t: ParsedTunnel, target: FixTarget): string[] | null {
  const p1 = (lines: string[]) => [
    'config vpn ipsec phase1-interface',
    `    edit "${t.objects.phase1}"`,
    ...lines.map((l) => `        ${l}`),
    '    next',
    'end',
  ];
  const p2 = (lines: string[]) => [
    'config vpn ipsec phase2-interface',
    `    edit "${t.objects.phase2 ?? t.objects.phase1}"`,
    ...lines.map((l) => `        ${l}`),
    '    next',
    'end',
  ];
  const v = target.value;
  switch (target.name) {
    case 'ike-version':
      return p1([`set ike-version ${v === 'ikev2' ? 2 : 1}`]);
    case 'ike-mode':
      return p1(['set mode main']);
    case 'auth':
      return p1(['set authmethod psk']);
    case 'p1-encryption':
      return p1([`set proposal ${PROP(v, first(t, 'p1-integrity', 'sha256'))}`]);
    case 'p1-integrity':
      return p1([`set proposal ${PROP(first(t, 'p1-encryption', 'aes256'), v)}`]);
    case 'p1-dh':
      return p1([`set dhgrp ${v}`]);
    case 'p1-lifetime':
      return p1([`set keylife ${v}`]);
    case 'p2-encryption':
      return p2([`set proposal ${PROP(v, first(t, 'p2-integrity', 'sha256'))}`]);
    case 'p2-integrity':
      return p2([`set proposal ${PROP(first(t, 'p2-encryption', 'aes256'), v)}`]);
    case 'pfs':
      return p2(['set pfs enable', `set dhgrp ${v}`]);
    case 'p2-lifetime':
      return p2([`set keylifeseconds ${v}`]);
    case 'p2-mode':
      return p2(['set encapsulation tunnel-mode']);
    case 'dpd':
      return p1(['set dpd on-idle', 'set dpd-retryinterval 10', 'set dpd-retrycount 3']);
    case 'traffic-selectors':
      return p2(['set src-subnet <ON-PREM-SUPERNET>', 'set dst-subnet <OUTSYSTEMS-RANGE>']);
    default:
      return null;
  }
}

export const fortigate: ConfigParser = {
  id: 'fortios',
  vendor: 'fortigate',
  format: 'fortios-cli',
  detect(head) {
    return /^\s*config vpn ipsec phase[12](-interface)?\s*$/m.test(head) ||
      (/^\s*config vpn ipsec\s*$/m.test(head) && /^\s*config phase1/m.test(head))
      ? 0.9
      : 0;
  },
  parse(text) {
    return { vendor: 'fortigate', format: 'fortios-cli', tunnels: parseForti(text) };
  },
  defaults: FORTIGATE_DEFAULTS,
  fix(t, target) {
    const lines = fortiFix(t, target);
    return lines ? { platform: 'FortiGate', kind: 'cli', lines } : null;
  },
};
