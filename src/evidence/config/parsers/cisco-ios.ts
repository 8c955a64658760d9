/**
 * Cisco IOS / IOS-XE: `crypto isakmp policy`, `crypto ikev2 proposal|policy|profile`, `crypto ipsec
 * transform-set`, `crypto map M 10 ipsec-isakmp` blocks and VTIs (`crypto ipsec profile` + `interface Tunnel`).
 */
import { list } from '../algorithms.js';
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

const REF = 'Cisco IOS Security Command Reference';
export const IOS_DEFAULTS: DefaultsTable = {
  'ike-mode': { value: 'main', source: `${REF}: IKEv1 main mode unless aggressive mode is configured for the peer` },
  'p1-lifetime': { value: '86400', source: `${REF}, lifetime (ISAKMP policy / IKEv2 profile): default 86,400 seconds` },
  'p2-lifetime': { value: '3600', source: `${REF}, crypto ipsec security-association lifetime: default 3,600 seconds` },
  'p2-protocol': { value: 'esp', source: `${REF}: esp transforms` },
  'p2-mode': { value: 'tunnel', source: `${REF}, mode (IPsec): tunnel is the default` },
  pfs: { value: 'off', source: `${REF}, set pfs: PFS is not requested unless set` },
  dpd: { value: 'off', source: `${REF}, crypto isakmp keepalive: DPD is disabled by default` },
  'nat-t': { value: 'on', source: `${REF}: NAT traversal is enabled by default (12.2(13)T and later)` },
};

function iosParse(text: string): ParsedTunnel[] {
  const blocks = ciscoBlocks(text);
  const heads = blocks.map((b) => b.head);
  const isakmp = readPolicies(blocks, /^crypto isakmp policy (\d+)$/);
  // IOS ISAKMP policies default to DES and group 1 when a line is missing (judged as such)
  const v2props = readPolicies(blocks, /^crypto ikev2 proposal (\S+)$/);
  const transformSets = readTransformSets(blocks, /^crypto ipsec transform-set (\S+) (.+)$/);
  const v2profiles = new Map<string, { life?: CiscoLine; dpd?: CiscoLine; auth?: CiscoLine }>();
  for (const b of blocks) {
    const m = /^crypto ikev2 profile (\S+)$/.exec(b.head.text);
    if (m)
      v2profiles.set(m[1]!, {
        life: b.children.find((c) => /^lifetime \d+/.test(c.text)),
        dpd: b.children.find((c) => /^dpd \d+/.test(c.text)),
        auth: b.children.find((c) => /^authentication (local|remote) pre-share/.test(c.text)),
      });
  }
  const keepalive = heads.find((h) => /^crypto isakmp keepalive \d+/.test(h.text));
  const globalLife = heads.find((h) => /^crypto ipsec security-association lifetime seconds \d+/.test(h.text));
  const aggressivePeers = heads.filter((h) => /^crypto isakmp peer address/.test(h.text));

  const entries: CiscoEntry[] = [];
  const profiles = new Map<string, CiscoEntry>();
  for (const b of blocks) {
    const cm = /^crypto map (?:ipv6 )?(\S+) (\d+) ipsec-isakmp$/.exec(b.head.text);
    if (cm) {
      const e: CiscoEntry = {
        name: `${cm[1]} ${cm[2]}`,
        sets: b.children.filter((c) => c.text.startsWith('set ')),
        objects: { map: cm[1]!, seq: cm[2]! },
      };
      const acl = b.children.find((c) => c.text.startsWith('match address '));
      if (acl) e.acl = acl.text.slice(14).trim();
      entries.push(e);
    }
    const prof = /^crypto ipsec profile (\S+)$/.exec(b.head.text);
    if (prof)
      profiles.set(prof[1]!, { name: prof[1]!, sets: b.children.filter((c) => c.text.startsWith('set ')), objects: { profile: prof[1]! } });
  }
  for (const b of blocks) {
    if (!/^interface Tunnel/i.test(b.head.text)) continue;
    const prot = b.children.find((c) => /^tunnel protection ipsec profile /.test(c.text));
    const p = prot ? profiles.get(prot.text.split(/\s+/)[4]!) : undefined;
    if (!p) continue;
    const dest = b.children.find((c) => /^tunnel destination /.test(c.text));
    const e: CiscoEntry = {
      ...p,
      name: b.head.text.replace(/^interface /, ''),
      objects: { ...p.objects, interface: b.head.text.replace(/^interface /, '') },
    };
    if (dest) e.peer = dest.text.split(/\s+/).pop();
    entries.push(e);
  }
  return entries.map((e) => {
    const { params, set, s } = openEntry(e);
    const prof2 = s(/^set ikev2-profile /);
    const v2 = !!prof2 || (isakmp.length === 0 && v2props.length > 0);
    set('ike-version', v2 ? 'ikev2' : 'ikev1', prof2?.n ?? null);
    const pols = v2 ? v2props : isakmp;
    if (pols.length) {
      const fp = pols[0]!;
      const enc = pols.flatMap((p) => (p.enc.length ? p.enc : v2 ? [] : ['des']));
      set('p1-encryption', list(enc), fp.lines.enc ?? fp.n);
      set('p1-integrity', list(pols.flatMap((p) => (p.integ.length ? p.integ : v2 ? [] : ['sha1']))), fp.lines.integ ?? fp.n);
      set('p1-dh', list(pols.flatMap((p) => (p.dh.length ? p.dh : v2 ? [] : ['1']))), fp.lines.dh ?? fp.n);
      if (!v2 && pols.some((p) => p.life)) set('p1-lifetime', list(pols.map((p) => p.life ?? '86400')), fp.lines.life ?? fp.n);
      const auth = pols.find((p) => p.auth);
      if (auth) set('auth', auth.auth!, auth.lines.auth ?? auth.n);
      else if (!v2) set('auth', 'cert', null, `${REF}, authentication (ISAKMP policy): default rsa-sig`);
      e.objects.policy = fp.id;
      e.objects.v2 = v2 ? 'yes' : '';
    }
    if (v2 && prof2) {
      const name = prof2.text.split(/\s+/)[2]!;
      e.objects.ikev2Profile = name;
      const p = v2profiles.get(name);
      if (p?.life) set('p1-lifetime', p.life.text.split(/\s+/)[1]!, p.life.n);
      if (p?.dpd) set('dpd', 'on', p.dpd.n);
      if (p?.auth) set('auth', 'psk', p.auth.n);
    }
    if (!v2 && keepalive) set('dpd', 'on', keepalive.n);
    if (aggressivePeers.length && e.peer && aggressivePeers.some((h) => h.text.includes(e.peer!))) {
      const h = aggressivePeers.find((x) => x.text.includes(e.peer!))!;
      const blk = blocks.find((b) => b.head === h);
      const agg = blk?.children.find((c) => /^set aggressive-mode/.test(c.text));
      if (agg) set('ike-mode', 'aggressive', agg.n);
    }
    const ts = s(/^set transform-set /);
    const { enc, integ, transport } = phase2Of(ts ? ts.text.split(/\s+/).slice(2) : [], transformSets, e.objects, 'transformSet');
    const tsLine = transformSets.get(e.objects.transformSet ?? '')?.n ?? ts?.n ?? null;
    set('p2-encryption', list(enc), tsLine);
    set('p2-integrity', list(integ), tsLine);
    if (transport && e.objects.map) set('p2-mode', 'transport', tsLine);
    readEntryTail(e, blocks, set, { globalLife, pfsGroup: 'group1', vtiSource: `${REF}: a VTI negotiates any/any selectors` });
    const t: ParsedTunnel = { name: e.name, params, objects: e.objects };
    if (e.peer) t.peer = e.peer;
    return t;
  });
}

const IOS_ENC: Record<string, string> = { aes128: 'aes', aes256: 'aes 256', aes192: 'aes 192' };
const V2_ENC: Record<string, string> = { aes128: 'aes-cbc-128', aes256: 'aes-cbc-256', aes128gcm: 'aes-gcm-128', aes256gcm: 'aes-gcm-256' };
const TS_ENC: Record<string, string> = {
  aes128: 'esp-aes',
  aes256: 'esp-aes 256',
  aes192: 'esp-aes 192',
  aes256gcm: 'esp-gcm 256',
  aes128gcm: 'esp-gcm',
};

function iosFix(t: ParsedTunnel, target: FixTarget): string[] | null {
  const o = t.objects;
  const v2 = o.v2 === 'yes';
  const entry = (line: string) =>
    o.map ? [`crypto map ${o.map} ${o.seq} ipsec-isakmp`, ` ${line}`] : [`crypto ipsec profile ${o.profile}`, ` ${line}`];
  const pol = (line: string) => [
    v2 ? `crypto ikev2 proposal ${o.policy ?? 'PROP-1'}` : `crypto isakmp policy ${o.policy ?? '10'}`,
    ` ${line}`,
  ];
  const v = target.value;
  switch (target.name) {
    case 'auth':
      return v2 ? null : pol('authentication pre-share');
    case 'p1-encryption':
      return pol(v2 ? `encryption ${V2_ENC[v] ?? v}` : `encryption ${IOS_ENC[v] ?? v}`);
    case 'p1-integrity':
      return pol(v2 ? `integrity ${v}` : `hash ${v === 'sha1' ? 'sha' : v}`);
    case 'p1-dh':
      return pol(`group ${v}`);
    case 'p1-lifetime':
      return v2 ? [`crypto ikev2 profile ${o.ikev2Profile ?? 'PROFILE-1'}`, ` lifetime ${v}`] : pol(`lifetime ${v}`);
    case 'p2-encryption':
    case 'p2-integrity': {
      const enc = target.name === 'p2-encryption' ? v : firstMember(t, 'p2-encryption', 'aes256');
      const integ = target.name === 'p2-integrity' ? v : firstMember(t, 'p2-integrity', 'sha256');
      return [`crypto ipsec transform-set ${o.transformSet ?? 'TS-1'} ${TS_ENC[enc] ?? enc} ${ESP_HMAC[integ] ?? integ}`, ' mode tunnel'];
    }
    case 'p2-mode':
      return [
        `crypto ipsec transform-set ${o.transformSet ?? 'TS-1'} ${TS_ENC[firstMember(t, 'p2-encryption', 'aes256')] ?? 'esp-aes 256'} ${ESP_HMAC[firstMember(t, 'p2-integrity', 'sha256')] ?? 'esp-sha256-hmac'}`,
        ' mode tunnel',
      ];
    case 'pfs':
      return entry(`set pfs group${v}`);
    case 'p2-lifetime':
      return entry(`set security-association lifetime seconds ${v}`);
    case 'dpd':
      return v2
        ? [`crypto ikev2 profile ${o.ikev2Profile ?? 'PROFILE-1'}`, ' dpd 10 3 periodic']
        : ['crypto isakmp keepalive 10 3 periodic'];
    case 'ike-mode':
      return t.peer ? [`crypto isakmp peer address ${t.peer}`, ' no set aggressive-mode client-endpoint'] : null;
    case 'traffic-selectors':
      return o.map ? entry('match address <ACL with one line: permit ip <ON-PREM-SUPERNET> <OUTSYSTEMS-RANGE>>') : null;
    default:
      return null;
  }
}

export const ciscoIos: ConfigParser = {
  id: 'cisco-ios',
  vendor: 'cisco-ios',
  format: 'ios-cli',
  detect(head) {
    let s = 0;
    if (/^crypto isakmp policy \d+/m.test(head)) s += 0.5;
    if (/^crypto ipsec transform-set \S+ /m.test(head)) s += 0.4;
    if (/^crypto ikev2 (proposal|profile|keyring) /m.test(head)) s += 0.4;
    if (/^crypto map \S+ \d+ ipsec-isakmp/m.test(head)) s += 0.2;
    if (/^crypto ikev1 policy|^crypto ipsec ikev[12] /m.test(head)) s -= 0.4;
    return Math.max(0, Math.min(s, 0.95));
  },
  parse: (text) => ({ vendor: 'cisco-ios', format: 'ios-cli', tunnels: iosParse(text) }),
  defaults: IOS_DEFAULTS,
  fix(t, target) {
    const lines = iosFix(t, target);
    return lines ? { platform: 'Cisco IOS/IOS-XE', kind: 'cli', lines } : null;
  },
};
