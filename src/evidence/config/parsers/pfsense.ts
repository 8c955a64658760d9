/**
 * pfSense and OPNsense (legacy IPsec) `config.xml`: `<ipsec><phase1>` (one per peer, `ikeid`) and
 * `<phase2>` entries pointing at it. Both releases' layouts are read: pfSense 2.5+ nests the phase-1
 * algorithms in `<encryption><item>`, earlier ones put them directly in `<phase1>`.
 */
import { XMLParser } from 'fast-xml-parser';
import type { ParameterName } from '../../../knowledge/schema.js';
import { list, normDh, normEncryption, normIntegrity } from '../algorithms.js';
import type { ConfigParser, DefaultsTable, FixTarget, ParsedTunnel, ReadValue } from '../model.js';

type X = Record<string, unknown>;
const arr = (v: unknown): X[] => (Array.isArray(v) ? (v as X[]) : v && typeof v === 'object' ? [v as X] : []);
/** Every value of a tag that may repeat, objects and plain text alike. */
const all = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
const str = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'object' ? '' : String(v).trim());

const REF = 'pfSense/OPNsense IPsec tunnel settings';
export const PFSENSE_DEFAULTS: DefaultsTable = {
  'ike-mode': { value: 'main', source: `${REF}: Negotiation mode default Main` },
  'p1-lifetime': { value: '28800', source: `${REF}: phase 1 Life Time default 28800` },
  'p2-lifetime': { value: '3600', source: `${REF}: phase 2 Life Time default 3600` },
  'p2-protocol': { value: 'esp', source: `${REF}: phase 2 Protocol default ESP` },
  'p2-mode': { value: 'tunnel', source: `${REF}: phase 2 Mode default Tunnel IPv4` },
  pfs: { value: 'off', source: `${REF}: PFS key group default off` },
  dpd: { value: 'off', source: `${REF}: DPD runs only when dpd_delay is stored` },
  'nat-t': { value: 'on', source: `${REF}: NAT Traversal default Auto` },
};

function encOf(alg: unknown): string {
  const a = arr(alg)[0];
  if (!a) return '';
  const name = str(a.name);
  const keylen = str(a.keylen);
  return normEncryption(name.startsWith('aes') && keylen && !/\d{3}/.test(name) ? `${name}${keylen}` : name);
}

function parsePf(text: string): ParsedTunnel[] {
  const doc = new XMLParser({ parseTagValue: false, ignoreAttributes: true }).parse(text) as X;
  const root = (doc.pfsense ?? doc.opnsense ?? doc) as X;
  const ipsec = (root.ipsec ?? {}) as X;
  const lines = text.split(/\r?\n/);
  const lineAfter = (from: number, re: RegExp): number | null => {
    for (let n = from; n <= lines.length; n++) if (re.test(lines[n - 1]!)) return n;
    return null;
  };
  const phase2 = arr(ipsec.phase2);
  let p1cursor = 1;
  return arr(ipsec.phase1).map((p1, i) => {
    const ikeid = str(p1.ikeid) || String(i + 1);
    const start = lineAfter(p1cursor, /<phase1>/) ?? 1;
    const end = lineAfter(start, /<\/phase1>/) ?? lines.length;
    p1cursor = end;
    const at = (tag: string) => {
      for (let n = start; n <= end; n++) if (new RegExp(`<${tag}>`).test(lines[n - 1]!)) return n;
      return null;
    };
    const params: Partial<Record<ParameterName, ReadValue>> = {};
    const set = (k: ParameterName, v: string, n: number | null) => {
      if (v !== '') params[k] = { value: v, line: n };
    };
    const iketype = str(p1.iketype);
    if (iketype) set('ike-version', iketype === 'auto' ? 'ikev1, ikev2' : iketype, at('iketype'));
    if (str(p1.mode)) set('ike-mode', str(p1.mode) === 'aggressive' ? 'aggressive' : 'main', at('mode'));
    const am = str(p1.authentication_method);
    if (am) set('auth', /pre_shared|psk/.test(am) ? 'psk' : 'cert', at('authentication_method'));
    const items = arr((p1.encryption as X | undefined)?.item);
    const algs = items.length ? items : [p1];
    set('p1-encryption', list(algs.map((a) => encOf(a['encryption-algorithm']))), at('encryption-algorithm'));
    set('p1-integrity', list(algs.map((a) => normIntegrity(str(a['hash-algorithm'])))), at('hash-algorithm'));
    set('p1-dh', list(algs.map((a) => normDh(str(a.dhgroup)))), at('dhgroup'));
    const life = str(p1.lifetime);
    if (life) set('p1-lifetime', life, at('lifetime'));
    if (str(p1.dpd_delay)) set('dpd', 'on', at('dpd_delay'));
    const nat = str(p1.nat_traversal);
    if (nat) set('nat-t', nat === 'off' ? 'off' : 'on', at('nat_traversal'));
    const mine = phase2.filter((p) => str(p.ikeid) === ikeid);
    const objects: Record<string, string> = { ikeid, descr: str(p1.descr) };
    if (mine.length) {
      const first = mine[0]!;
      // phase2 entries appear in the file in array order: the k-th <phase2> block is phase2[k]
      const k = phase2.indexOf(first);
      let blockStart = 1;
      for (let j = 0; j <= k; j++) blockStart = lineAfter(blockStart + (j ? 1 : 0), /<phase2>/) ?? blockStart;
      const blockEnd = lineAfter(blockStart, /<\/phase2>/) ?? lines.length;
      const p2at = (tag: string) => {
        for (let n = blockStart; n <= blockEnd; n++) if (new RegExp(`<${tag}>`).test(lines[n - 1]!)) return n;
        return null;
      };
      const proto = str(first.protocol);
      if (proto) set('p2-protocol', proto, p2at('protocol'));
      const mode = str(first.mode);
      if (mode) set('p2-mode', /tunnel/.test(mode) ? 'tunnel' : mode, p2at('mode'));
      const encs = mine.flatMap((p) => arr(p['encryption-algorithm-option']).map((e) => encOf(e)));
      set('p2-encryption', list(encs), p2at('encryption-algorithm-option'));
      const hashes = mine.flatMap((p) => all(p['hash-algorithm-option']).map((h) => normIntegrity(str(h).replace(/^hmac_/, ''))));
      set('p2-integrity', list(hashes), p2at('hash-algorithm-option'));
      const pfs = str(first.pfsgroup);
      if (pfs) set('pfs', pfs === '0' ? 'off' : normDh(pfs), p2at('pfsgroup'));
      const l2 = str(first.lifetime);
      if (l2) set('p2-lifetime', l2, p2at('lifetime'));
      const side = (id: unknown) => {
        const x = arr(id)[0] ?? {};
        const type = str(x.type);
        return type === 'network' ? `${str(x.address)}/${str(x.netbits)}` : type === 'address' ? str(x.address) : type || '?';
      };
      if (mine.some((p) => str(p.mode) !== 'vti'))
        set('traffic-selectors', mine.map((p) => `${side(p.localid)} <=> ${side(p.remoteid)}`).join('; '), p2at('localid'));
      objects.p2descr = str(first.descr);
    }
    const t: ParsedTunnel = { name: str(p1.descr) || `phase1 ${ikeid}`, params, objects };
    const gw = str(p1['remote-gateway']);
    if (gw) t.peer = gw;
    return t;
  });
}

const FIELD: Partial<Record<ParameterName, (v: string) => string>> = {
  'ike-version': (v) => `Phase 1 > Key Exchange version: ${v === 'ikev2' ? 'IKEv2' : 'IKEv1'}`,
  'ike-mode': () => 'Phase 1 > Negotiation mode: Main',
  'p1-encryption': (v) => `Phase 1 > Encryption Algorithm: ${v.startsWith('aes') ? `AES, ${v.slice(3, 6)} bits` : v}`,
  'p1-integrity': (v) => `Phase 1 > Hash Algorithm: ${v.toUpperCase()}`,
  'p1-dh': (v) => `Phase 1 > DH Group: ${v}`,
  'p1-lifetime': (v) => `Phase 1 > Life Time: ${v}`,
  'p2-encryption': (v) => `Phase 2 > Encryption Algorithms: ${v.startsWith('aes') ? `AES ${v.slice(3, 6)} bits` : v}`,
  'p2-integrity': (v) => `Phase 2 > Hash Algorithms: ${v.toUpperCase()}`,
  pfs: (v) => `Phase 2 > PFS key group: ${v}`,
  'p2-lifetime': (v) => `Phase 2 > Life Time: ${v}`,
  'p2-mode': () => 'Phase 2 > Mode: Tunnel IPv4',
  dpd: () => 'Phase 1 > Advanced Options > Dead Peer Detection: enable, Delay 10, Max failures 3',
  'traffic-selectors': () => 'Phase 2 > keep one phase 2 entry: Local Network <ON-PREM-SUPERNET>, Remote Network <OUTSYSTEMS-RANGE>',
};

/** Where to change a parameter in the pfSense/OPNsense GUI (the GUI-text reader shares it). */
export function pfsenseFix(vendor: 'pfSense' | 'OPNsense') {
  return (t: ParsedTunnel, target: FixTarget) => {
    const f = FIELD[target.name];
    return f ? { platform: `${vendor} (VPN > IPsec > ${t.name})`, kind: 'config' as const, lines: [f(target.value)] } : null;
  };
}

export const pfsenseXml: ConfigParser = {
  id: 'pfsense-xml',
  vendor: 'pfsense',
  format: 'pfsense-xml',
  detect: (head) => (/<phase1>/.test(head) && /<ikeid>/.test(head) && !/<opnsense>/i.test(head) ? 0.9 : 0),
  parse: (text) => ({ vendor: 'pfsense', format: 'pfsense-xml', tunnels: parsePf(text) }),
  defaults: PFSENSE_DEFAULTS,
  fix: pfsenseFix('pfSense'),
};

export const opnsenseXml: ConfigParser = {
  id: 'opnsense-xml',
  vendor: 'opnsense',
  format: 'opnsense-xml',
  detect: (head) => (/<opnsense>/i.test(head) && /<phase1>/.test(head) ? 0.92 : 0),
  parse: (text) => ({ vendor: 'opnsense', format: 'opnsense-xml', tunnels: parsePf(text) }),
  defaults: PFSENSE_DEFAULTS,
  fix: pfsenseFix('OPNsense'),
};
