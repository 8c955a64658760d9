/**
 * Palo Alto PAN-OS: `set network ike ...` commands (also the `edit ... / set ... / top` form AWS ships),
 * and the XML running configuration, which is flattened into the same paths.
 */
import { XMLParser } from 'fast-xml-parser';
import type { ParameterName } from '../../../knowledge/schema.js';
import { lifetimeSeconds, list, normDh, normEncryption, normIntegrity } from '../algorithms.js';
import type { ConfigParser, DefaultsTable, FixTarget, ParsedTunnel, ReadValue } from '../model.js';
import { isTemplateValue, words } from '../text.js';

interface PathLine {
  path: string[];
  n: number;
}

/** `set ...` lines and `edit`/`up`/`top` navigation, resolved into full paths. */
function panosSetPaths(text: string): PathLine[] {
  const out: PathLine[] = [];
  let base: string[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const body = lines[i]!.trim();
    if (body === '' || /^[!#]/.test(body)) continue;
    const w = words(body.replace(/[[\]]/g, ' '));
    if (w[0] === 'edit') base = [...base, ...w.slice(1)];
    else if (w[0] === 'top' || w[0] === 'configure' || w[0] === 'exit' || w[0] === 'quit') base = [];
    else if (w[0] === 'up') base = base.slice(0, -1);
    else if (w[0] === 'set') out.push({ path: [...base, ...w.slice(1)], n: i + 1 });
  }
  return out;
}

/** The XML configuration flattened into `network ike ...` paths, each with the line of its value. */
function panosXmlPaths(text: string): PathLine[] {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false, isArray: () => true });
  const doc = parser.parse(text) as unknown;
  const lines = text.split(/\r?\n/);
  const out: PathLine[] = [];
  let cursor = 1;
  const lineOf = (tag: string, value: string): number => {
    const re = new RegExp(`<${tag}[^>]*>\\s*${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*<`);
    for (let n = cursor; n <= lines.length; n++)
      if (re.test(lines[n - 1]!)) {
        cursor = n;
        return n;
      }
    return cursor;
  };
  const entryLine = (name: string) => {
    const re = new RegExp(`name="${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`);
    for (let n = cursor; n <= lines.length; n++)
      if (re.test(lines[n - 1]!)) {
        cursor = n;
        return;
      }
  };
  const walk = (node: unknown, path: string[]): void => {
    if (Array.isArray(node)) {
      for (const x of node) walk(x, path);
      return;
    }
    if (typeof node === 'string') {
      const tag = path[path.length - 1] === 'member' ? path[path.length - 2]! : path[path.length - 1]!;
      const p = path[path.length - 1] === 'member' ? path.slice(0, -1) : path;
      out.push({ path: [...p, node.trim()], n: lineOf(path[path.length - 1]!, node.trim()) || lineOf(tag, node.trim()) });
      return;
    }
    if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (typeof o['@_name'] === 'string') entryLine(o['@_name']);
      for (const [k, v] of Object.entries(o)) {
        if (k.startsWith('@_')) continue;
        if (k === 'entry') {
          for (const e of v as Record<string, unknown>[]) {
            const name = String(e['@_name'] ?? '');
            entryLine(name);
            // an entry with no content is itself the value (`<ike-gateway><entry name="GW"/>`)
            if (Object.keys(e).every((x) => x.startsWith('@_'))) out.push({ path: [...path, name], n: cursor });
            else walk(e, [...path, name]);
          }
        } else if (k === '#text') walk(v, path);
        else walk(v, [...path, k]);
      }
    }
  };
  walk(doc, []);
  return out;
}

type Rec = Record<string, { v: string; n: number }>;

export const PANOS_DEFAULTS: DefaultsTable = {
  'ike-version': { value: 'ikev1', source: 'PAN-OS web interface help, IKE Gateway > General: Version defaults to IKEv1 only mode' },
  'p1-lifetime': { value: '28800', source: 'PAN-OS web interface help, IKE Crypto profile: Key Lifetime default 8 hours' },
  'p2-lifetime': { value: '3600', source: 'PAN-OS web interface help, IPSec Crypto profile: Lifetime default 1 hour' },
  'p2-mode': { value: 'tunnel', source: 'PAN-OS IPSec tunnels are tunnel mode' },
  'p2-protocol': { value: 'esp', source: 'PAN-OS web interface help, IPSec Crypto profile: IPSec Protocol default ESP' },
  pfs: { value: '2', source: 'PAN-OS web interface help, IPSec Crypto profile: DH Group default group2' },
  'nat-t': { value: 'off', source: 'PAN-OS web interface help, IKE Gateway > Advanced: NAT Traversal disabled by default' },
};

function parsePanos(paths: PathLine[]): ParsedTunnel[] {
  const ikeCrypto = new Map<string, Rec>();
  const ipsecCrypto = new Map<string, Rec>();
  const gateways = new Map<string, Rec>();
  const tunnels = new Map<string, Rec>();
  const proxies = new Map<string, { names: Set<string>; n: number }>();
  const put = (m: Map<string, Rec>, name: string, key: string, v: string, n: number) => {
    const o = m.get(name) ?? {};
    o[key] = o[key] && /encryption|hash|authentication|dh-group$/.test(key) ? { v: `${o[key]!.v} ${v}`, n: o[key]!.n } : { v, n };
    m.set(name, o);
  };
  for (const { path, n } of paths) {
    if (path.some(isTemplateValue)) continue;
    const at = path.indexOf('network');
    if (at < 0) continue;
    const p = path.slice(at + 1);
    if (p[0] === 'ike' && p[1] === 'crypto-profiles' && (p[2] === 'ike-crypto-profiles' || p[2] === 'ipsec-crypto-profiles') && p[3]) {
      // one set line may carry several attributes: "hash sha384 dh-group group20 encryption aes-256-cbc"
      const target = p[2] === 'ike-crypto-profiles' ? ikeCrypto : ipsecCrypto;
      const rest = p.slice(4);
      let key = '';
      for (let i = 0; i < rest.length; i++) {
        const w = rest[i]!;
        if (w === 'esp' || w === 'ah') {
          put(target, p[3], 'protocol', w, n);
          key = '';
        } else if (w === 'lifetime' && rest[i + 2]) {
          put(target, p[3], 'lifetime', `${rest[i + 2]}${rest[i + 1]![0]}`, n);
          i += 2;
          key = '';
        } else if (w === 'lifesize' || w === 'authentication-multiple') {
          i += w === 'lifesize' ? 2 : 1;
          key = '';
        } else if (w === 'encryption' || w === 'hash' || w === 'authentication' || w === 'dh-group') key = w;
        else if (key) put(target, p[3], key, w, n);
      }
    } else if (p[0] === 'ike' && p[1] === 'gateway' && p[2]) {
      const rest = p.slice(3);
      const s = rest.join(' ');
      const g = p[2];
      let m: RegExpExecArray | null;
      if ((m = /protocol (ikev[12]) dpd .*?enable (yes|no)/.exec(s))) put(gateways, g, `dpd-${m[1]}`, m[2]!, n);
      if ((m = /protocol (ikev[12]) ike-crypto-profile (\S+)/.exec(s))) put(gateways, g, `profile-${m[1]}`, m[2]!, n);
      if ((m = /exchange-mode (\S+)/.exec(s))) put(gateways, g, 'mode', m[1]!, n);
      if ((m = /protocol version (\S+)/.exec(s))) put(gateways, g, 'version', m[1]!, n);
      if ((m = /nat-traversal enable (yes|no)/.exec(s))) put(gateways, g, 'nat-t', m[1]!, n);
      if (/authentication pre-shared-key/.test(s)) put(gateways, g, 'auth', 'psk', n);
      if (/authentication certificate/.test(s)) put(gateways, g, 'auth', 'cert', n);
      if ((m = /peer-address ip (\S+)/.exec(s))) put(gateways, g, 'peer', m[1]!, n);
    } else if (p[0] === 'tunnel' && p[1] === 'ipsec' && p[2]) {
      const s = p.slice(3).join(' ');
      let m: RegExpExecArray | null;
      if ((m = /auto-key ike-gateway (\S+)/.exec(s))) put(tunnels, p[2], 'gateway', m[1]!, n);
      if ((m = /auto-key ipsec-crypto-profile (\S+)/.exec(s))) put(tunnels, p[2], 'profile', m[1]!, n);
      if ((m = /auto-key proxy-id (\S+)/.exec(s))) {
        const x = proxies.get(p[2]) ?? { names: new Set<string>(), n };
        x.names.add(m[1]!);
        proxies.set(p[2], x);
      }
    }
  }
  const out: ParsedTunnel[] = [];
  const entries: [string, Rec][] = tunnels.size
    ? [...tunnels]
    : [...gateways.keys()].map((g): [string, Rec] => [g, { gateway: { v: g, n: 0 } }]);
  for (const [name, t] of entries) {
    const params: Partial<Record<ParameterName, ReadValue>> = {};
    const set = (k: ParameterName, v: string, n: number) => {
      if (v !== '') params[k] = { value: v, line: n || null };
    };
    const gName = t.gateway?.v ?? '';
    const g = gateways.get(gName) ?? {};
    const v2 = g.version?.v === 'ikev2' || (!g['profile-ikev1'] && !!g['profile-ikev2']);
    if (g.version) set('ike-version', g.version.v === 'ikev2-preferred' ? 'ikev1, ikev2' : g.version.v, g.version.n);
    else if (g['profile-ikev2'] && !g['profile-ikev1']) set('ike-version', 'ikev2', g['profile-ikev2'].n);
    const prof = (v2 ? g['profile-ikev2'] : g['profile-ikev1']) ?? g['profile-ikev1'] ?? g['profile-ikev2'];
    if (g.mode) set('ike-mode', g.mode.v === 'auto' ? 'main' : g.mode.v, g.mode.n);
    if (g.auth) set('auth', g.auth.v, g.auth.n);
    const dpd = v2 ? g['dpd-ikev2'] : g['dpd-ikev1'];
    if (dpd) set('dpd', dpd.v === 'yes' ? 'on' : 'off', dpd.n);
    if (g['nat-t']) set('nat-t', g['nat-t'].v === 'yes' ? 'on' : 'off', g['nat-t'].n);
    const ic = ikeCrypto.get(prof?.v ?? '') ?? {};
    const split = (r: { v: string } | undefined) => (r?.v ?? '').split(/\s+/).filter(Boolean);
    if (ic.encryption) set('p1-encryption', list(split(ic.encryption).map((e) => normEncryption(e))), ic.encryption.n);
    if (ic.hash) set('p1-integrity', list(split(ic.hash).map(normIntegrity)), ic.hash.n);
    if (ic['dh-group']) set('p1-dh', list(split(ic['dh-group']).map(normDh)), ic['dh-group'].n);
    if (ic.lifetime) set('p1-lifetime', String(lifetimeSeconds(ic.lifetime.v) ?? ic.lifetime.v), ic.lifetime.n);
    const pc = ipsecCrypto.get(t.profile?.v ?? '') ?? {};
    if (pc.protocol) set('p2-protocol', pc.protocol.v, pc.protocol.n);
    if (pc.encryption) set('p2-encryption', list(split(pc.encryption).map((e) => normEncryption(e))), pc.encryption.n);
    if (pc.authentication) set('p2-integrity', list(split(pc.authentication).map(normIntegrity)), pc.authentication.n);
    if (pc['dh-group']) set('pfs', list(split(pc['dh-group']).map(normDh)), pc['dh-group'].n);
    if (pc.lifetime) set('p2-lifetime', String(lifetimeSeconds(pc.lifetime.v) ?? pc.lifetime.v), pc.lifetime.n);
    const px = proxies.get(name);
    if (px) set('traffic-selectors', [...px.names].map((x) => `proxy-id ${x}`).join('; '), px.n);
    const tunnel: ParsedTunnel = {
      name,
      params,
      objects: {
        tunnel: name,
        gateway: gName,
        ikeProfile: prof?.v ?? '',
        ipsecProfile: t.profile?.v ?? '',
        ikeVersion: v2 ? 'ikev2' : 'ikev1',
      },
    };
    if (g.peer) tunnel.peer = g.peer.v;
    out.push(tunnel);
  }
  return out;
}

const ENC: Record<string, string> = { aes128: 'aes-128-cbc', aes256: 'aes-256-cbc', aes128gcm: 'aes-128-gcm', aes256gcm: 'aes-256-gcm' };

function panosFix(t: ParsedTunnel, target: FixTarget): string[] | null {
  const o = t.objects;
  const ike = `set network ike crypto-profiles ike-crypto-profiles ${o.ikeProfile || '<IKE-PROFILE>'}`;
  const ipsec = `set network ike crypto-profiles ipsec-crypto-profiles ${o.ipsecProfile || '<IPSEC-PROFILE>'}`;
  const gw = `set network ike gateway ${o.gateway}`;
  const v = target.value;
  switch (target.name) {
    case 'ike-version':
      return [`${gw} protocol version ${v}`];
    case 'ike-mode':
      return [`${gw} protocol ikev1 exchange-mode main`];
    case 'p1-encryption':
      return [`${ike} encryption ${ENC[v] ?? v}`];
    case 'p1-integrity':
      return [`${ike} hash ${v}`];
    case 'p1-dh':
      return [`${ike} dh-group group${v}`];
    case 'p1-lifetime':
      return [`${ike} lifetime seconds ${v}`];
    case 'p2-protocol':
      return [`${ipsec} esp encryption aes-256-cbc`];
    case 'p2-encryption':
      return [`${ipsec} esp encryption ${ENC[v] ?? v}`];
    case 'p2-integrity':
      return [`${ipsec} esp authentication ${v}`];
    case 'pfs':
      return [`${ipsec} dh-group group${v}`];
    case 'p2-lifetime':
      return [`${ipsec} lifetime seconds ${v}`];
    case 'dpd':
      return [`${gw} protocol ${o.ikeVersion} dpd enable yes interval 10 retry 3`];
    case 'traffic-selectors':
      return [
        `delete network tunnel ipsec ${o.tunnel} auto-key proxy-id`,
        `set network tunnel ipsec ${o.tunnel} auto-key proxy-id P1 local <ON-PREM-SUPERNET> remote <OUTSYSTEMS-RANGE>`,
      ];
    default:
      return null;
  }
}

const fixOf: ConfigParser['fix'] = (t, target) => {
  const lines = panosFix(t, target);
  return lines ? { platform: 'Palo Alto PAN-OS', kind: 'cli', lines: ['configure', ...lines, 'commit'] } : null;
};

export const panosSet: ConfigParser = {
  id: 'panos-set',
  vendor: 'paloalto',
  format: 'panos-set',
  detect(head) {
    if (/^\s*set (?:\S+ )*network ike (gateway|crypto-profiles) /m.test(head)) return 0.9;
    if (/^\s*edit network ike (gateway|crypto-profiles) /m.test(head)) return 0.9;
    return 0;
  },
  parse(text) {
    return { vendor: 'paloalto', format: 'panos-set', tunnels: parsePanos(panosSetPaths(text)) };
  },
  defaults: PANOS_DEFAULTS,
  fix: fixOf,
};

export const panosXml: ConfigParser = {
  id: 'panos-xml',
  vendor: 'paloalto',
  format: 'panos-xml',
  detect(head) {
    return /<(ike-crypto-profiles|ipsec-crypto-profiles)>/.test(head) && /<(config|network|ike)\b/.test(head) ? 0.9 : 0;
  },
  parse(text) {
    return { vendor: 'paloalto', format: 'panos-xml', tunnels: parsePanos(panosXmlPaths(text)) };
  },
  defaults: PANOS_DEFAULTS,
  fix: fixOf,
};
