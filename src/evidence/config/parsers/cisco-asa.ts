/**
 * Cisco ASA: `crypto ikev1|ikev2 policy`, `crypto ipsec ikev1 transform-set`, `crypto ipsec ikev2
 * ipsec-proposal`, crypto maps (`crypto map M 10 set ...`) and VTIs (`crypto ipsec profile` +
 * `interface Tunnel`), `tunnel-group ... ipsec-attributes`.
 */
import { list, normEncryption, normIntegrity } from '../algorithms.js';
import type { ConfigParser, DefaultsTable, FixTarget, ParsedTunnel } from '../model.js';
import {
  ciscoBlocks,
  ESP_HMAC,
  firstMember,
  phase2Of,
  openEntry,
  readEntryTail,
  readPolicies,
  readTransformSets,
  type CiscoEntry,
  type CiscoLine,
} from './cisco-common.js';

const REF = 'Cisco ASA Series Command Reference';
export const ASA_DEFAULTS: DefaultsTable = {
  auth: { value: 'psk', source: `${REF}, authentication (IKEv1 policy): pre-share is the default` },
  'ike-mode': { value: 'main', source: `${REF}, crypto map set ikev1 phase1-mode: main is the default` },
  'p1-lifetime': { value: '86400', source: `${REF}, lifetime (IKEv1/IKEv2 policy): default 86,400 seconds` },
  'p2-lifetime': { value: '28800', source: `${REF}, crypto ipsec security-association lifetime: default 28,800 seconds` },
  'p2-protocol': { value: 'esp', source: `${REF}: transform sets and IPsec proposals are ESP` },
  'p2-mode': { value: 'tunnel', source: `${REF}, crypto ipsec ikev1 transform-set mode: tunnel is the default` },
  pfs: { value: 'off', source: `${REF}, crypto map set pfs: PFS is off unless set` },
  dpd: { value: 'on', source: `${REF}, isakmp keepalive: enabled by default (threshold 10, retry 2)` },
  'nat-t': { value: 'on', source: `${REF}, crypto isakmp nat-traversal: enabled by default` },
};

export function asaParse(text: string): ParsedTunnel[] {
  const blocks = ciscoBlocks(text);
  const heads = blocks.map((b) => b.head);
  // ASA 8.2 and earlier wrote IKEv1 policies as `crypto isakmp policy`
  const v1 = readPolicies(blocks, /^crypto (?:ikev1|isakmp) policy (\d+)$/);
  const v2 = readPolicies(blocks, /^crypto ikev2 policy (\d+)$/);
  const transformSets = readTransformSets(blocks, /^crypto ipsec ikev1 transform-set (\S+) (.+)$/);
  const proposals = new Map<string, { enc: string[]; integ: string[]; n: number }>();
  for (const b of blocks) {
    const m = /^crypto ipsec ikev2 ipsec-proposal (\S+)$/.exec(b.head.text);
    if (!m) continue;
    const p = { enc: [] as string[], integ: [] as string[], n: b.head.n };
    for (const c of b.children) {
      const e = /^protocol esp encryption (.+)$/.exec(c.text);
      const i = /^protocol esp integrity (.+)$/.exec(c.text);
      if (e) p.enc.push(...e[1]!.split(/\s+/).map((x) => normEncryption(x)));
      if (i) p.integ.push(...i[1]!.split(/\s+/).map(normIntegrity));
    }
    proposals.set(m[1]!, p);
  }
  const globalLife = heads.find((h) => /^crypto ipsec security-association lifetime seconds \d+/.test(h.text));
  const keepalive = new Map<string, CiscoLine>();
  const groupPsk = new Map<string, CiscoLine>();
  for (const b of blocks) {
    const m = /^tunnel-group (\S+) ipsec-attributes$/.exec(b.head.text);
    if (!m) continue;
    for (const c of b.children) {
      if (/^isakmp keepalive/.test(c.text)) keepalive.set(m[1]!, c);
      if (/pre-shared-key/.test(c.text)) groupPsk.set(m[1]!, c);
    }
  }

  // crypto map entries and ipsec profiles: both carry "set ..." lines
  const entries = new Map<string, CiscoEntry>();
  for (const b of blocks) {
    const cm = /^crypto map (\S+) (\d+) (.+)$/.exec(b.head.text);
    if (cm && cm[3] !== 'ipsec-isakmp' && !/^interface /.test(cm[3]!)) {
      const key = `${cm[1]} ${cm[2]}`;
      const e = entries.get(key) ?? { name: key, sets: [], objects: { map: cm[1]!, seq: cm[2]! } };
      const rest = cm[3]!;
      if (rest.startsWith('match address ')) e.acl = rest.slice(14).trim();
      else if (rest.startsWith('set ')) e.sets.push({ text: rest, n: b.head.n });
      entries.set(key, e);
    }
    const prof = /^crypto ipsec profile (\S+)$/.exec(b.head.text);
    if (prof)
      entries.set(`profile ${prof[1]}`, {
        name: prof[1]!,
        sets: b.children.filter((c) => c.text.startsWith('set ')),
        objects: { profile: prof[1]! },
      });
  }
  // VTIs name the profile they use and the peer
  for (const b of blocks) {
    if (!/^interface Tunnel/i.test(b.head.text)) continue;
    const prot = b.children.find((c) => /^tunnel protection ipsec profile /.test(c.text));
    const dest = b.children.find((c) => /^tunnel destination /.test(c.text));
    const e = prot ? entries.get(`profile ${prot.text.split(/\s+/).pop()}`) : undefined;
    if (e) {
      e.name = b.head.text.replace(/^interface /, '');
      e.objects.interface = e.name;
      if (dest) e.peer = dest.text.split(/\s+/).pop();
    }
  }
  const tunnels: ParsedTunnel[] = [];
  for (const e of entries.values()) {
    if (e.objects.profile && !e.objects.interface && entries.size > 1 && [...entries.values()].some((x) => x.objects.map)) continue;
    const { params, set, s } = openEntry(e);
    const ts = s(/^set (ikev1 )?transform-set /);
    const ip = s(/^set ikev2 ipsec-proposal /);
    const usesV1 = !!ts;
    const usesV2 = !!ip;
    set('ike-version', list([usesV1 ? 'ikev1' : '', usesV2 ? 'ikev2' : '']), (ts ?? ip)?.n ?? null);
    const pols = usesV2 && !usesV1 ? v2 : usesV1 && !usesV2 ? v1 : [...v1, ...v2];
    if (pols.length) {
      const fp = pols[0]!;
      set('p1-encryption', list(pols.flatMap((p) => (p.enc.length ? p.enc : []))), fp.lines.enc ?? fp.n);
      set('p1-integrity', list(pols.flatMap((p) => p.integ)), fp.lines.integ ?? fp.n);
      set('p1-dh', list(pols.flatMap((p) => p.dh)), fp.lines.dh ?? fp.n);
      const lifes = pols.map((p) => p.life);
      if (lifes.every((l) => l !== null)) set('p1-lifetime', list(lifes as string[]), fp.lines.life ?? fp.n);
      else if (lifes.some((l) => l !== null)) set('p1-lifetime', list(lifes.map((l) => l ?? '86400')), fp.lines.life ?? fp.n);
      const auth = pols.find((p) => p.auth);
      if (auth) set('auth', auth.auth!, auth.lines.auth ?? auth.n);
      e.objects.policy = fp.id;
      e.objects.policyVersion = v2.includes(fp) ? 'ikev2' : 'ikev1';
    }
    if (!params.auth) {
      const psk = e.peer ? groupPsk.get(e.peer) : undefined;
      if (psk) set('auth', 'psk', psk.n);
    }
    const v1Names = ts ? ts.text.split(/\s+/).slice(ts.text.startsWith('set ikev1') ? 3 : 2) : [];
    const a = phase2Of(v1Names, transformSets, e.objects, 'transformSet');
    const b = phase2Of(ip ? ip.text.split(/\s+/).slice(3) : [], proposals, e.objects, 'proposal');
    const enc = [...a.enc, ...b.enc];
    const integ = [...a.integ, ...b.integ];
    const transport = a.transport;
    const p2line = ts
      ? (transformSets.get(e.objects.transformSet ?? '')?.n ?? ts.n)
      : ip
        ? (proposals.get(e.objects.proposal ?? '')?.n ?? ip.n)
        : null;
    set('p2-encryption', list(enc), p2line);
    set('p2-integrity', list(integ), p2line);
    if (transport) set('p2-mode', 'transport', p2line);
    const mode = s(/^set (ikev1 )?phase1-mode /);
    if (mode) set('ike-mode', mode.text.split(/\s+/).pop()!, mode.n);
    const ka = e.peer ? keepalive.get(e.peer) : undefined;
    if (ka) set('dpd', /disable/.test(ka.text) ? 'off' : 'on', ka.n);
    readEntryTail(e, blocks, set, { globalLife, pfsGroup: 'group2', vtiSource: `${REF}: a VTI negotiates any/any selectors` });
    const tunnel: ParsedTunnel = { name: e.name, params, objects: e.objects };
    if (e.peer) tunnel.peer = e.peer;
    tunnels.push(tunnel);
  }
  return tunnels;
}

const ASA_ENC: Record<string, string> = {
  aes128: 'aes',
  aes256: 'aes-256',
  aes192: 'aes-192',
  aes128gcm: 'aes-gcm',
  aes256gcm: 'aes-gcm-256',
};
const TS_ENC: Record<string, string> = { aes128: 'esp-aes', aes256: 'esp-aes-256', aes192: 'esp-aes-192' };

function asaFix(t: ParsedTunnel, target: FixTarget): string[] | null {
  const o = t.objects;
  const entry = o.map ? `crypto map ${o.map} ${o.seq} ` : null;
  const profile = (line: string) => (entry ? [`${entry}${line}`] : [`crypto ipsec profile ${o.profile}`, ` ${line}`]);
  const v = target.value;
  const v2 = o.policyVersion === 'ikev2';
  const policy = (line: string) => [`crypto ${v2 ? 'ikev2' : 'ikev1'} policy ${o.policy ?? '10'}`, ` ${line}`];
  switch (target.name) {
    case 'ike-mode':
      return entry ? [`no ${entry}set ikev1 phase1-mode aggressive`] : null;
    case 'auth':
      return policy('authentication pre-share');
    case 'p1-encryption':
      return policy(`encryption ${ASA_ENC[v] ?? v}`);
    case 'p1-integrity':
      return policy(v2 ? `integrity ${v === 'sha1' ? 'sha' : v}` : `hash ${v === 'sha1' ? 'sha' : v}`);
    case 'p1-dh':
      return policy(`group ${v}`);
    case 'p1-lifetime':
      return policy(v2 ? `lifetime seconds ${v}` : `lifetime ${v}`);
    case 'p2-encryption':
    case 'p2-integrity': {
      const enc = target.name === 'p2-encryption' ? v : firstMember(t, 'p2-encryption', 'aes256');
      const integ = target.name === 'p2-integrity' ? v : firstMember(t, 'p2-integrity', 'sha256');
      if (o.proposal)
        return [
          `crypto ipsec ikev2 ipsec-proposal ${o.proposal}`,
          ` protocol esp encryption ${ASA_ENC[enc] ?? enc}`,
          ` protocol esp integrity ${integ === 'sha1' ? 'sha-1' : integ.replace('sha', 'sha-')}`,
        ];
      return [`crypto ipsec ikev1 transform-set ${o.transformSet ?? 'TS-AES256-SHA256'} ${TS_ENC[enc] ?? enc} ${ESP_HMAC[integ] ?? integ}`];
    }
    case 'p2-mode':
      return [`crypto ipsec ikev1 transform-set ${o.transformSet} mode tunnel`];
    case 'pfs':
      return profile(`set pfs group${v}`);
    case 'p2-lifetime':
      return profile(`set security-association lifetime seconds ${v}`);
    case 'dpd':
      return t.peer ? [`tunnel-group ${t.peer} ipsec-attributes`, ' isakmp keepalive threshold 10 retry 3'] : null;
    case 'traffic-selectors':
      return entry ? [`${entry}match address <ACL with one line: permit ip <ON-PREM-SUPERNET> <OUTSYSTEMS-RANGE>>`] : null;
    default:
      return null;
  }
}

export const ciscoAsa: ConfigParser = {
  id: 'cisco-asa',
  vendor: 'cisco-asa',
  format: 'asa-cli',
  detect(head) {
    let s = 0;
    if (/^crypto ikev[12] policy \d+/m.test(head)) s += 0.5;
    if (/^crypto ipsec ikev[12] (transform-set|ipsec-proposal) /m.test(head)) s += 0.4;
    if (/^crypto map \S+ \d+ set (ikev[12]|peer|pfs)/m.test(head)) s += 0.2;
    if (/^tunnel-group \S+ (type ipsec-l2l|ipsec-attributes)/m.test(head)) s += 0.3;
    if (/^crypto isakmp policy|^crypto ipsec transform-set /m.test(head)) s -= 0.3;
    return Math.max(0, Math.min(s, 0.95));
  },
  parse: (text) => ({ vendor: 'cisco-asa', format: 'asa-cli', tunnels: asaParse(text) }),
  defaults: ASA_DEFAULTS,
  fix(t, target) {
    const lines = asaFix(t, target);
    return lines ? { platform: 'Cisco ASA', kind: 'cli', lines } : null;
  },
};
