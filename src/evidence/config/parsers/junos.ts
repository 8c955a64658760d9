/**
 * Juniper SRX (Junos): `set security ike|ipsec ...` commands, or the hierarchical `security { ike { ... } }`
 * form, which is first flattened into the same set commands (each keeps the line number of its leaf).
 */
import type { ParameterName } from '../../../knowledge/schema.js';
import { lifetimeSeconds, list, normDh, normEncryption, normIntegrity } from '../algorithms.js';
import type { ConfigParser, DefaultsTable, FixTarget, ParsedTunnel, ReadValue } from '../model.js';
import { isTemplateValue, words } from '../text.js';

interface SetLine {
  path: string[];
  n: number;
}

/** Flattens hierarchical Junos into set paths; plain `set` lines pass through. */
export function junosSetLines(text: string): SetLine[] {
  const out: SetLine[] = [];
  const stack: string[][] = [];
  const lines = text.split(/\r?\n/);
  let inBlockComment = false;
  // "# show security ike" output starts below the level it names: its statements belong there
  let context: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    let body = lines[i]!;
    const shown = /^\s*(?:\S+@\S+)?#\s*show\s+(.*?)\s*$/.exec(body);
    if (shown) {
      context = words(shown[1]!.replace(/\|.*$/, ''));
      stack.length = 0;
      continue;
    }
    if (inBlockComment) {
      const end = body.indexOf('*/');
      if (end < 0) continue;
      body = body.slice(end + 2);
      inBlockComment = false;
    }
    body = body.replace(/\/\*.*?\*\//g, '');
    const open = body.indexOf('/*');
    if (open >= 0) {
      inBlockComment = true;
      body = body.slice(0, open);
    }
    body = body
      .replace(/^\s*#.*$/, '')
      .replace(/\s##.*$/, '')
      .trim();
    if (body === '') continue;
    if (/^(set|deactivate|delete)\s/.test(body)) {
      if (body.startsWith('set ')) out.push({ path: words(body.slice(4)).map((w) => w.replace(/;$/, '')), n: i + 1 });
      continue;
    }
    // hierarchical: statements end with ";" or open "{" / close "}"; several may share a line
    for (const m of body.matchAll(/([^{};]*)([{};])/g)) {
      const stmt = m[1]!.trim().replace(/^(inactive|protect):\s*/, '');
      if (m[2] === '{') stack.push(stack.length === 0 ? [...context, ...words(stmt)] : words(stmt));
      else if (m[2] === '}') stack.pop();
      else if (stmt !== '') {
        const w = words(stmt.replace(/[[\]]/g, ' '));
        out.push({ path: [...(stack.length === 0 ? context : []), ...stack.flat(), ...w], n: i + 1 });
      }
    }
  }
  return out;
}

const IKE_SETS: Record<string, { enc: string[]; integ: string[]; dh: string[] }> = {
  standard: { enc: ['aes128', '3des'], integ: ['sha1'], dh: ['2'] },
  compatible: { enc: ['3des', 'des'], integ: ['sha1', 'md5'], dh: ['2'] },
  basic: { enc: ['des'], integ: ['sha1', 'md5'], dh: ['1'] },
};

export const JUNOS_DEFAULTS: DefaultsTable = {
  'ike-version': { value: 'ikev1', source: 'Junos "version (Security IKE Gateway)": default v1-only' },
  'ike-mode': { value: 'main', source: 'Junos "mode (Security IKE Policy)": main is the default' },
  'p1-lifetime': { value: '28800', source: 'Junos "lifetime-seconds (Security IKE)": default 28,800 seconds' },
  'p2-lifetime': { value: '3600', source: 'Junos "lifetime-seconds (Security IPsec)": default 3600 seconds' },
  'p2-mode': { value: 'tunnel', source: 'Junos SRX IPsec VPNs run in tunnel mode' },
  pfs: { value: 'off', source: 'Junos "perfect-forward-secrecy": PFS is disabled unless configured' },
  dpd: { value: 'off', source: 'Junos "dead-peer-detection": DPD is disabled unless configured' },
  'nat-t': { value: 'on', source: 'Junos "no-nat-traversal": NAT-T is enabled by default' },
};

function parseJunos(text: string): ParsedTunnel[] {
  const ikeProp = new Map<string, Record<string, { v: string; n: number }>>();
  const ipsecProp = new Map<string, Record<string, { v: string; n: number }>>();
  const ikePol = new Map<string, Record<string, { v: string; n: number }>>();
  const ipsecPol = new Map<string, Record<string, { v: string; n: number }>>();
  const gw = new Map<string, Record<string, { v: string; n: number }>>();
  const vpn = new Map<string, Record<string, { v: string; n: number }>>();
  const selectors = new Map<string, { pairs: string[]; n: number }>();
  const proxy = new Map<string, { local: string; remote: string; n: number }>();
  const put = (
    m: Map<string, Record<string, { v: string; n: number }>>,
    name: string,
    key: string,
    v: string,
    n: number,
    append = false,
  ) => {
    const o = m.get(name) ?? {};
    o[key] = append && o[key] ? { v: `${o[key]!.v} ${v}`, n: o[key]!.n } : { v, n };
    m.set(name, o);
  };
  for (const { path, n } of junosSetLines(text)) {
    const at = path.indexOf('security');
    // `show security` output starts below the `security` level
    const p = at >= 0 ? path.slice(at + 1) : path[0] === 'ike' || path[0] === 'ipsec' ? path : null;
    if (!p || path.some(isTemplateValue)) continue;
    const [area, kind, name, ...rest] = p;
    if (!name) continue;
    const key = rest[0] ?? '';
    const val = rest.slice(1).join(' ');
    if (area === 'ike' && kind === 'proposal') put(ikeProp, name, key, val, n);
    else if (area === 'ipsec' && kind === 'proposal') put(ipsecProp, name, key, val, n);
    else if (area === 'ike' && kind === 'policy') put(ikePol, name, key, key === 'proposals' ? val : val, n, key === 'proposals');
    else if (area === 'ipsec' && kind === 'policy') {
      if (key === 'perfect-forward-secrecy') put(ipsecPol, name, 'pfs', rest.slice(2).join(' '), n);
      else put(ipsecPol, name, key, val, n, key === 'proposals');
    } else if (area === 'ike' && kind === 'gateway') put(gw, name, key, val, n);
    else if (area === 'ipsec' && kind === 'vpn') {
      if (key === 'ike') put(vpn, name, rest[1] ?? '', rest.slice(2).join(' '), n);
      else if (key === 'bind-interface') put(vpn, name, key, val, n);
      if (key === 'ike' && rest[1] === 'proxy-identity') {
        // set form has local and remote on one line; hierarchical on two: collect both sides, pair at the end
        const s = proxy.get(name) ?? { local: '', remote: '', n };
        for (const side of ['local', 'remote'] as const) {
          const i = rest.indexOf(side);
          if (i >= 0 && rest[i + 1]) s[side] = rest[i + 1]!;
        }
        proxy.set(name, s);
      }
      if (key === 'traffic-selector') {
        const s = selectors.get(name) ?? { pairs: [], n };
        const tsName = rest[1]!;
        if (!s.pairs.some((x) => x.startsWith(`${tsName}:`))) s.pairs.push(`${tsName}:`);
        selectors.set(name, s);
      }
    }
  }
  for (const [name, p] of proxy) {
    const s = selectors.get(name) ?? { pairs: [], n: p.n };
    s.pairs.push(`${p.local || '?'} <=> ${p.remote || '?'}`);
    selectors.set(name, s);
  }
  const tunnels: ParsedTunnel[] = [];
  const gwNames = [...gw.keys()];
  type Rec = Record<string, { v: string; n: number }>;
  const vpnEntries: [string, Rec][] =
    vpn.size > 0 ? [...vpn.entries()] : gwNames.map((g): [string, Rec] => [g, { gateway: { v: g, n: 0 } }]);
  for (const [vpnName, v] of vpnEntries) {
    const params: Partial<Record<ParameterName, ReadValue>> = {};
    const set = (name: ParameterName, value: string, line: number) => {
      if (value !== '') params[name] = { value, line: line || null };
    };
    const gwName = v.gateway?.v ?? '';
    const g = gw.get(gwName) ?? {};
    const ikePolName = g['ike-policy']?.v ?? '';
    const ip = ikePol.get(ikePolName) ?? {};
    const objects: Record<string, string> = { vpn: vpnName, gateway: gwName, ikePolicy: ikePolName };
    if (g.version) set('ike-version', /v2/.test(g.version.v) ? 'ikev2' : 'ikev1', g.version.n);
    if (ip.mode) set('ike-mode', ip.mode.v, ip.mode.n);
    if (g['dead-peer-detection']) set('dpd', 'on', g['dead-peer-detection'].n);
    if (g['no-nat-traversal']) set('nat-t', 'off', g['no-nat-traversal'].n);
    const props = (ip.proposals?.v ?? '').split(/\s+/).filter(Boolean);
    const enc: string[] = [];
    const integ: string[] = [];
    const dh: string[] = [];
    const life: string[] = [];
    let p1line = ip.proposals?.n ?? 0;
    let auth: { v: string; n: number } | undefined;
    for (const pn of props) {
      const pr = ikeProp.get(pn) ?? {};
      objects.ikeProposal ??= pn;
      if (pr['encryption-algorithm']) {
        enc.push(normEncryption(pr['encryption-algorithm'].v));
        p1line = pr['encryption-algorithm'].n;
      }
      if (pr['authentication-algorithm']) integ.push(normIntegrity(pr['authentication-algorithm'].v));
      if (pr['dh-group']) dh.push(normDh(pr['dh-group'].v));
      if (pr['lifetime-seconds']) life.push(pr['lifetime-seconds'].v);
      auth ??= pr['authentication-method'];
    }
    const set1 = ip['proposal-set'] ? IKE_SETS[ip['proposal-set'].v] : undefined;
    if (set1) {
      enc.push(...set1.enc);
      integ.push(...set1.integ);
      dh.push(...set1.dh);
      p1line = ip['proposal-set']!.n;
    }
    const firstProp = ikeProp.get(props[0] ?? '') ?? {};
    set('p1-encryption', list(enc), firstProp['encryption-algorithm']?.n ?? p1line);
    set('p1-integrity', list(integ), firstProp['authentication-algorithm']?.n ?? p1line);
    set('p1-dh', list(dh), firstProp['dh-group']?.n ?? p1line);
    if (life.length) set('p1-lifetime', list(life.map((l) => String(lifetimeSeconds(l) ?? l))), firstProp['lifetime-seconds']?.n ?? p1line);
    if (auth) set('auth', /pre-shared/.test(auth.v) ? 'psk' : auth.v, auth.n);
    else if (ip['pre-shared-key']) set('auth', 'psk', ip['pre-shared-key'].n);

    const ipsecPolName = v['ipsec-policy']?.v ?? '';
    const sp = ipsecPol.get(ipsecPolName) ?? {};
    objects.ipsecPolicy = ipsecPolName;
    const p2props = (sp.proposals?.v ?? '').split(/\s+/).filter(Boolean);
    const e2: string[] = [];
    const i2: string[] = [];
    const l2: string[] = [];
    let proto: { v: string; n: number } | undefined;
    for (const pn of p2props) {
      const pr = ipsecProp.get(pn) ?? {};
      objects.ipsecProposal ??= pn;
      if (pr['encryption-algorithm']) e2.push(normEncryption(pr['encryption-algorithm'].v));
      if (pr['authentication-algorithm']) i2.push(normIntegrity(pr['authentication-algorithm'].v));
      if (pr['lifetime-seconds']) l2.push(pr['lifetime-seconds'].v);
      proto ??= pr.protocol;
    }
    const fp = ipsecProp.get(p2props[0] ?? '') ?? {};
    if (sp['proposal-set']) {
      const s = sp['proposal-set'];
      const std = s.v === 'standard';
      e2.push(...(std ? ['aes128', '3des'] : ['3des', 'des']));
      i2.push(...(std ? ['sha1'] : ['sha1', 'md5']));
      if (std && !sp.pfs) set('pfs', '2', s.n);
      set('p2-protocol', 'esp', s.n);
    }
    set('p2-encryption', list(e2), fp['encryption-algorithm']?.n ?? sp['proposal-set']?.n ?? 0);
    set('p2-integrity', list(i2), fp['authentication-algorithm']?.n ?? sp['proposal-set']?.n ?? 0);
    if (l2.length) set('p2-lifetime', list(l2.map((l) => String(lifetimeSeconds(l) ?? l))), fp['lifetime-seconds']?.n ?? 0);
    if (proto) set('p2-protocol', proto.v, proto.n);
    if (sp.pfs) set('pfs', normDh(sp.pfs.v.replace(/^keys\s+/, '')), sp.pfs.n);
    const sel = selectors.get(vpnName);
    if (sel) set('traffic-selectors', sel.pairs.join('; '), sel.n);
    const t: ParsedTunnel = { name: vpnName, params, objects };
    if (g.address) t.peer = g.address.v;
    tunnels.push(t);
  }
  return tunnels;
}

const ENC: Record<string, string> = { aes128: 'aes-128-cbc', aes256: 'aes-256-cbc', aes128gcm: 'aes-128-gcm', aes256gcm: 'aes-256-gcm' };
const IKE_AUTH: Record<string, string> = { sha1: 'sha1', sha256: 'sha-256', sha384: 'sha-384', sha512: 'sha-512' };
const ESP_AUTH: Record<string, string> = {
  sha1: 'hmac-sha1-96',
  sha256: 'hmac-sha-256-128',
  sha384: 'hmac-sha-384',
  sha512: 'hmac-sha-512',
};

function junosFix(t: ParsedTunnel, target: FixTarget): string[] | null {
  const o = t.objects;
  const ikeP = o.ikeProposal ?? 'IKE-PROPOSAL';
  const ipsecP = o.ipsecProposal ?? 'IPSEC-PROPOSAL';
  const v = target.value;
  switch (target.name) {
    case 'ike-version':
      return [`set security ike gateway ${o.gateway} version ${v === 'ikev2' ? 'v2-only' : 'v1-only'}`];
    case 'ike-mode':
      return [`set security ike policy ${o.ikePolicy} mode main`];
    case 'auth':
      return [`set security ike proposal ${ikeP} authentication-method pre-shared-keys`];
    case 'p1-encryption':
      return [`set security ike proposal ${ikeP} encryption-algorithm ${ENC[v] ?? v}`];
    case 'p1-integrity':
      return [`set security ike proposal ${ikeP} authentication-algorithm ${IKE_AUTH[v] ?? v}`];
    case 'p1-dh':
      return [`set security ike proposal ${ikeP} dh-group group${v}`];
    case 'p1-lifetime':
      return [`set security ike proposal ${ikeP} lifetime-seconds ${v}`];
    case 'p2-protocol':
      return [`set security ipsec proposal ${ipsecP} protocol esp`];
    case 'p2-encryption':
      return [`set security ipsec proposal ${ipsecP} encryption-algorithm ${ENC[v] ?? v}`];
    case 'p2-integrity':
      return [`set security ipsec proposal ${ipsecP} authentication-algorithm ${ESP_AUTH[v] ?? v}`];
    case 'pfs':
      return [`set security ipsec policy ${o.ipsecPolicy || 'IPSEC-POLICY'} perfect-forward-secrecy keys group${v}`];
    case 'p2-lifetime':
      return [`set security ipsec proposal ${ipsecP} lifetime-seconds ${v}`];
    case 'dpd':
      return [
        `set security ike gateway ${o.gateway} dead-peer-detection interval 10`,
        `set security ike gateway ${o.gateway} dead-peer-detection threshold 3`,
      ];
    case 'traffic-selectors':
      return [
        `delete security ipsec vpn ${o.vpn} ike proxy-identity`,
        `set security ipsec vpn ${o.vpn} ike proxy-identity local <ON-PREM-SUPERNET> remote <OUTSYSTEMS-RANGE>`,
      ];
    default:
      return null;
  }
}

export const junos: ConfigParser = {
  id: 'junos',
  vendor: 'juniper-srx',
  format: 'junos',
  detect(head) {
    if (/^\s*set security (ike|ipsec) /m.test(head)) return 0.9;
    if (/^\s*security\s*\{/m.test(head) && /\b(ike|ipsec)\s*\{/.test(head)) return 0.9;
    if (/^\s*(ike|ipsec)\s*\{/m.test(head) && /\bproposal\s+\S+\s*\{/.test(head)) return 0.7;
    if (/^\s*(\S+@\S+)?#\s*show security (ike|ipsec)\b/m.test(head) && /\bproposal\s+\S+\s*\{/.test(head)) return 0.85;
    return 0;
  },
  parse(text) {
    const hierarchical = !/^\s*set security /m.test(text);
    return { vendor: 'juniper-srx', format: hierarchical ? 'junos-hierarchical' : 'junos-set', tunnels: parseJunos(text) };
  },
  defaults: JUNOS_DEFAULTS,
  fix(t, target) {
    const lines = junosFix(t, target);
    return lines ? { platform: 'Juniper SRX', kind: 'cli', lines } : null;
  },
};
