/** strongSwan `swanctl.conf`: `connections { NAME { ... children { CHILD { ... } } } }`. */
import type { ParameterName } from '../../../knowledge/schema.js';
import { lifetimeSeconds, list, splitSwanProposals } from '../algorithms.js';
import type { ConfigParser, DefaultsTable, FixTarget, ParsedTunnel, ReadValue } from '../model.js';
import { isTemplateValue } from '../text.js';
import { braceLeaves } from './brace-tree.js';
import { swanProposal } from './swan-common.js';

const DOC = 'strongSwan swanctl.conf(5)';
export const SWANCTL_DEFAULTS: DefaultsTable = {
  'ike-version': { value: 'ikev1, ikev2', source: `${DOC}: version = 0 (any: IKEv2 initiated, both accepted)` },
  'ike-mode': { value: 'main', source: `${DOC}: aggressive = no` },
  auth: { value: 'cert', source: `${DOC}: local/remote auth = pubkey` },
  'p1-lifetime': { value: '14400', source: `${DOC}: rekey_time = 4h` },
  'p2-lifetime': { value: '3600', source: `${DOC}: children rekey_time = 1h` },
  'p2-protocol': { value: 'esp', source: `${DOC}: esp_proposals are used unless ah_proposals is set` },
  'p2-mode': { value: 'tunnel', source: `${DOC}: mode = tunnel` },
  pfs: { value: 'off', source: `${DOC}: the default esp_proposals carry no DH group (no PFS)` },
  dpd: { value: 'off', source: `${DOC}: dpd_delay = 0s (no DPD)` },
  'nat-t': { value: 'on', source: `${DOC}: NAT is detected automatically (encap = no only disables forcing)` },
};

/** One swanctl key's value and the 1-based line it came from. */
export interface SwanctlValue {
  v: string;
  n: number;
}
/** A connection as swanctl keys: its own (`version`, `local.auth`...) and each child's (`esp_proposals`...). */
export interface SwanctlConn {
  conn: Map<string, SwanctlValue>;
  children: Map<string, Map<string, SwanctlValue>>;
}

function parseSwanctl(text: string): ParsedTunnel[] {
  const conns = new Map<string, SwanctlConn>();
  for (const leaf of braceLeaves(text)) {
    const p = leaf.path;
    if (p[0] !== 'connections' || !p[1] || isTemplateValue(leaf.value)) continue;
    const c = conns.get(p[1]) ?? { conn: new Map(), children: new Map() };
    conns.set(p[1], c);
    const rest = p.slice(2);
    const v = { v: leaf.value.replace(/^"|"$/g, ''), n: leaf.n };
    if (rest[0] === 'children' && rest[1] && rest[2]) {
      const ch = c.children.get(rest[1]) ?? new Map();
      ch.set(rest.slice(2).join('.'), v);
      c.children.set(rest[1], ch);
    } else c.conn.set(rest.join('.'), v);
  }
  return swanctlTunnels(conns);
}

/** The tunnels of swanctl connections, whichever text they were read from (swanctl.conf, OPNsense's XML). */
export function swanctlTunnels(conns: Map<string, SwanctlConn>): ParsedTunnel[] {
  const tunnels: ParsedTunnel[] = [];
  for (const [name, { conn, children }] of conns) {
    const params: Partial<Record<ParameterName, ReadValue>> = {};
    const set = (k: ParameterName, v: string, n: number) => {
      if (v !== '') params[k] = { value: v, line: n };
    };
    const g = (k: string) => conn.get(k);
    const version = g('version');
    if (version) set('ike-version', version.v === '1' ? 'ikev1' : version.v === '2' ? 'ikev2' : 'ikev1, ikev2', version.n);
    const aggr = g('aggressive');
    if (aggr) set('ike-mode', /yes/.test(aggr.v) ? 'aggressive' : 'main', aggr.n);
    const auth = [...conn.entries()].find(([k]) => /^(local|remote)[\w-]*\.auth$/.test(k));
    if (auth) set('auth', /psk|secret/.test(auth[1].v) ? 'psk' : 'cert', auth[1].n);
    const props = g('proposals');
    if (props) {
      const s = splitSwanProposals(props.v);
      set('p1-encryption', list(s.enc), props.n);
      set('p1-integrity', list(s.integ), props.n);
      set('p1-dh', list(s.dh), props.n);
    }
    const life = g('rekey_time') ?? g('reauth_time');
    if (life) set('p1-lifetime', String(lifetimeSeconds(life.v) ?? life.v), life.n);
    const dpd = g('dpd_delay');
    if (dpd) set('dpd', lifetimeSeconds(dpd.v) ? 'on' : 'off', dpd.n);
    const encap = g('encap');
    if (encap) set('nat-t', 'on', encap.n);
    const pairs: string[] = [];
    let selLine = 0;
    let firstChild = '';
    const enc: string[] = [];
    const integ: string[] = [];
    const dh: string[] = [];
    for (const [cname, ch] of children) {
      firstChild ||= cname;
      const esp = ch.get('esp_proposals') ?? ch.get('ah_proposals');
      if (esp) {
        const s = splitSwanProposals(esp.v);
        enc.push(...s.enc);
        integ.push(...s.integ);
        dh.push(...s.dh);
        set('p2-encryption', list(enc), params['p2-encryption']?.line ?? esp.n);
        set('p2-integrity', list(integ), params['p2-integrity']?.line ?? esp.n);
        set('pfs', dh.length ? list(dh) : 'off', params.pfs?.line ?? esp.n);
        set('p2-protocol', ch.has('ah_proposals') ? 'ah' : 'esp', esp.n);
      }
      const cl = ch.get('rekey_time') ?? ch.get('life_time');
      if (cl && !params['p2-lifetime']) set('p2-lifetime', String(lifetimeSeconds(cl.v) ?? cl.v), cl.n);
      const mode = ch.get('mode');
      if (mode && !params['p2-mode']) set('p2-mode', mode.v, mode.n);
      const lts = ch.get('local_ts');
      const rts = ch.get('remote_ts');
      if (lts || rts) {
        selLine ||= (lts ?? rts)!.n;
        const l = (lts?.v ?? 'dynamic').split(/\s*,\s*/);
        const r = (rts?.v ?? 'dynamic').split(/\s*,\s*/);
        for (const a of l) for (const b of r) pairs.push(`${a} <=> ${b}`);
      }
      const cdpd = ch.get('dpd_action');
      if (cdpd && !params.dpd && /none/.test(cdpd.v)) set('dpd', 'off', cdpd.n);
    }
    if (pairs.length) set('traffic-selectors', pairs.join('; '), selLine);
    const t: ParsedTunnel = { name, params, objects: { connection: name, child: firstChild || 'net' } };
    const remote = g('remote_addrs');
    if (remote) t.peer = remote.v;
    tunnels.push(t);
  }
  return tunnels;
}

const first = (t: ParsedTunnel, k: ParameterName, d: string) => (t.params[k]?.value ?? d).split(',')[0]!.trim();

export function swanctlFix(t: ParsedTunnel, target: FixTarget): string[] | null {
  const v = target.value;
  const conn = (lines: string[]) => ['connections {', `    ${t.objects.connection} {`, ...lines.map((l) => `        ${l}`), '    }', '}'];
  const child = (lines: string[]) => conn(['children {', `    ${t.objects.child} {`, ...lines.map((l) => `        ${l}`), '    }', '}']);
  const ike = (o: { enc?: string; integ?: string; dh?: string }) =>
    `proposals = ${swanProposal(o.enc ?? first(t, 'p1-encryption', 'aes256'), o.integ ?? first(t, 'p1-integrity', 'sha256'), o.dh ?? first(t, 'p1-dh', '14')).replace(/!$/, '')}`;
  const esp = (o: { enc?: string; integ?: string; dh?: string }) => {
    const pfs = first(t, 'pfs', '14');
    return `esp_proposals = ${swanProposal(o.enc ?? first(t, 'p2-encryption', 'aes256'), o.integ ?? first(t, 'p2-integrity', 'sha256'), o.dh ?? (pfs === 'off' ? '14' : pfs)).replace(/!$/, '')}`;
  };
  switch (target.name) {
    case 'ike-version':
      return conn([`version = ${v === 'ikev1' ? 1 : 2}`]);
    case 'ike-mode':
      return conn(['aggressive = no']);
    case 'auth':
      return conn(['local {', '    auth = psk', '}', 'remote {', '    auth = psk', '}']);
    case 'p1-encryption':
      return conn([ike({ enc: v })]);
    case 'p1-integrity':
      return conn([ike({ integ: v })]);
    case 'p1-dh':
      return conn([ike({ dh: v })]);
    case 'p1-lifetime':
      return conn([`rekey_time = ${v}s`]);
    case 'p2-encryption':
      return child([esp({ enc: v })]);
    case 'p2-integrity':
      return child([esp({ integ: v })]);
    case 'pfs':
      return child([esp({ dh: v })]);
    case 'p2-lifetime':
      return child([`rekey_time = ${v}s`]);
    case 'p2-mode':
      return child(['mode = tunnel']);
    case 'p2-protocol':
      return child([esp({})]);
    case 'dpd':
      return conn(['dpd_delay = 10s']);
    case 'traffic-selectors':
      return child(['local_ts = <ON-PREM-SUPERNET>', 'remote_ts = <OUTSYSTEMS-RANGE>']);
    default:
      return null;
  }
}

export const swanctl: ConfigParser = {
  id: 'swanctl',
  vendor: 'strongswan',
  format: 'swanctl-conf',
  detect: (head) =>
    /^\s*connections\s*\{/m.test(head) && /\b(children|local_ts|remote_ts|esp_proposals|remote_addrs|proposals)\b/.test(head) ? 0.9 : 0,
  parse: (text) => ({ vendor: 'strongswan', format: 'swanctl-conf', tunnels: parseSwanctl(text) }),
  defaults: SWANCTL_DEFAULTS,
  fix(t, target) {
    const lines = swanctlFix(t, target);
    return lines ? { platform: 'strongSwan swanctl.conf', kind: 'config', lines } : null;
  },
};
