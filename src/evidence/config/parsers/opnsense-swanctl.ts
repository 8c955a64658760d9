/**
 * OPNsense 23.1+ IPsec "Connections" (the swanctl-based MVC model) in `config.xml`:
 * `<OPNsense><Swanctl><Connections><Connection uuid>`, with `<locals>`, `<remotes>` and `<children>` entries
 * pointing at their connection's uuid. OPNsense writes these fields straight into swanctl.conf, so they are
 * mapped to swanctl keys and read by the swanctl reader; empty fields take strongSwan's defaults.
 */
import { XMLParser } from 'fast-xml-parser';
import type { ConfigParser, DefaultsTable, FixTarget, ParsedTunnel } from '../model.js';
import { findLine } from '../text.js';
import { SWANCTL_DEFAULTS, swanctlFix, swanctlTunnels, type SwanctlConn, type SwanctlValue } from './swanctl.js';

type X = Record<string, unknown>;
const arr = (v: unknown): X[] => (Array.isArray(v) ? (v as X[]) : v && typeof v === 'object' ? [v as X] : []);
const str = (v: unknown): string => (v === undefined || v === null || typeof v === 'object' ? '' : String(v).trim());

export const OPNSENSE_SWANCTL_DEFAULTS: DefaultsTable = Object.fromEntries(
  Object.entries(SWANCTL_DEFAULTS).map(([k, d]) => [
    k,
    { value: d.value, source: `OPNsense leaves empty fields to strongSwan: ${d.source}` },
  ]),
);

/** OPNsense field -> swanctl key, where they differ in spelling or value. */
const CONNECTION_KEYS = ['proposals', 'version', 'aggressive', 'rekey_time', 'reauth_time', 'dpd_delay', 'encap', 'remote_addrs'];
const CHILD_KEYS = ['esp_proposals', 'rekey_time', 'mode', 'local_ts', 'remote_ts', 'dpd_action'];

function parseOpnSwanctl(text: string): ParsedTunnel[] {
  const doc = new XMLParser({ parseTagValue: false, ignoreAttributes: false, attributeNamePrefix: '@' }).parse(text) as X;
  const root = (doc.opnsense ?? doc) as X;
  const sw = ((root.OPNsense as X | undefined)?.Swanctl ?? {}) as X;
  const lines = text.split(/\r?\n/);
  /** The line of `<tag>` in the element whose uuid is given (elements may sit on one line or span several). */
  const lineOf = (uuid: string, tag: string): number => {
    const start = findLine(lines, new RegExp(`uuid="${uuid.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`)) ?? 1;
    return findLine(lines, new RegExp(`<${tag}>`), start) ?? start;
  };
  const conns = new Map<string, SwanctlConn>();
  const byUuid = new Map<string, SwanctlConn>();
  for (const c of arr((sw.Connections as X | undefined)?.Connection)) {
    const uuid = str(c['@uuid']);
    if (str(c.enabled) === '0') continue;
    const conn = new Map<string, SwanctlValue>();
    for (const k of CONNECTION_KEYS) {
      let v = str(c[k]);
      if (v === '') continue;
      if (k === 'aggressive') v = v === '1' ? 'yes' : 'no';
      if (k === 'encap') v = v === '1' ? 'yes' : 'no';
      if (k === 'proposals' && v === 'default') continue; // strongSwan's own default proposal list
      conn.set(k, { v, n: lineOf(uuid, k) });
    }
    const entry: SwanctlConn = { conn, children: new Map() };
    conns.set(str(c.description) || uuid, entry);
    byUuid.set(uuid, entry);
  }
  for (const [group, side] of [
    ['locals', 'local'],
    ['remotes', 'remote'],
  ] as const) {
    for (const a of arr((sw[group] as X | undefined)?.[side])) {
      const owner = byUuid.get(str(a.connection));
      const auth = str(a.auth);
      if (owner && auth && !owner.conn.has(`${side}.auth`)) owner.conn.set(`${side}.auth`, { v: auth, n: lineOf(str(a['@uuid']), 'auth') });
    }
  }
  for (const ch of arr((sw.children as X | undefined)?.child)) {
    const owner = byUuid.get(str(ch.connection));
    if (!owner || str(ch.enabled) === '0') continue;
    const uuid = str(ch['@uuid']);
    const keys = new Map<string, SwanctlValue>();
    for (const k of CHILD_KEYS) {
      const v = str(ch[k]);
      if (v !== '' && !(k === 'esp_proposals' && v === 'default')) keys.set(k, { v, n: lineOf(uuid, k) });
    }
    owner.children.set(str(ch.description) || uuid, keys);
  }
  return swanctlTunnels(conns);
}

/** Where the same change is made in the OPNsense GUI; the swanctl key it writes is shown next to it. */
function opnFix(t: ParsedTunnel, target: FixTarget): string[] | null {
  const swan = swanctlFix(t, target);
  if (!swan) return null;
  // the key line of the swanctl snippet ("proposals = ...", "rekey_time = 3600s") carries the value to enter
  const keyLine = swan.map((l) => l.trim()).find((l) => /=/.test(l) && !/\{$/.test(l));
  if (!keyLine) return null;
  const [key, value] = keyLine.split(/\s*=\s*/) as [string, string];
  const childKeys = /^(esp_proposals|local_ts|remote_ts|mode)$/.test(key) || (key === 'rekey_time' && target.name === 'p2-lifetime');
  const where = childKeys
    ? `VPN > IPsec > Connections > ${t.name} > Children > ${t.objects.child}`
    : `VPN > IPsec > Connections > ${t.name}`;
  const label: Record<string, string> = {
    proposals: 'Proposals',
    esp_proposals: 'ESP proposals',
    rekey_time: 'Rekey time (s)',
    dpd_delay: 'DPD delay (s)',
    version: 'Version',
    mode: 'Mode',
    local_ts: 'Local',
    remote_ts: 'Remote',
  };
  if (key === 'aggressive') return [`${where} > Aggressive: unchecked`];
  if (key === 'auth') return [`${where} > Local and Remote Authentication: Pre-Shared Key`];
  // swanctl writes durations as "3600s"; the GUI field takes seconds
  const shown = /^\d+s$/.test(value) ? value.slice(0, -1) : value;
  return [`${where} > ${label[key] ?? key}: ${shown}`];
}

export const opnsenseSwanctl: ConfigParser = {
  id: 'opnsense-swanctl-xml',
  vendor: 'opnsense',
  format: 'opnsense-swanctl-xml',
  detect: (head) => (/<Swanctl\b/.test(head) && /<Connections>|<Connection\s+uuid=/.test(head) ? 0.95 : 0),
  parse: (text) => ({ vendor: 'opnsense', format: 'opnsense-swanctl-xml', tunnels: parseOpnSwanctl(text) }),
  defaults: OPNSENSE_SWANCTL_DEFAULTS,
  fix(t, target) {
    const lines = opnFix(t, target);
    return lines ? { platform: 'OPNsense (VPN > IPsec > Connections)', kind: 'config', lines } : null;
  },
};
