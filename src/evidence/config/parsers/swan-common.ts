/**
 * The `ipsec.conf` layout shared by strongSwan (starter) and Libreswan/Openswan: `conn <name>` sections
 * of indented `key=value` lines, `conn %default` and `also=` for inheritance, `#` comments.
 */
import { isTemplateValue, sourceLines } from '../text.js';
import { normDh, normEncryption, normIntegrity } from '../algorithms.js';

export interface SwanValue {
  value: string;
  line: number;
}
export interface SwanConn {
  name: string;
  line: number;
  keys: Map<string, SwanValue>;
}

/** Reads every `conn` section (with `%default` and `also=` applied); `%default` itself is not returned. */
export function readSwanConns(text: string): SwanConn[] {
  const raw: SwanConn[] = [];
  let current: SwanConn | null = null;
  for (const l of sourceLines(text, ['#'], true)) {
    if (l.body === '') continue;
    const section = /^(conn|config|ca)\s+(\S+)/.exec(l.body);
    if (section && !/^\s/.test(l.raw)) {
      current = section[1] === 'conn' ? { name: section[2]!, line: l.n, keys: new Map() } : null;
      if (current) raw.push(current);
      continue;
    }
    if (section && section[1] === 'conn') {
      // an indented "conn" (inside a heredoc or markdown) still starts a section
      current = { name: section[2]!, line: l.n, keys: new Map() };
      raw.push(current);
      continue;
    }
    const kv = /^([A-Za-z_][\w-]*)\s*=\s*(.*)$/.exec(l.body);
    if (!current || !kv) continue;
    const value = kv[2]!.replace(/^"(.*)"$/, '$1').trim();
    if (value === '' || isTemplateValue(value)) continue;
    current.keys.set(kv[1]!.toLowerCase(), { value, line: l.n });
  }
  const byName = new Map(raw.map((c) => [c.name, c]));
  const defaults = raw.filter((c) => c.name === '%default');
  const resolve = (c: SwanConn, seen: Set<string>): Map<string, SwanValue> => {
    const out = new Map<string, SwanValue>();
    for (const d of defaults) for (const [k, v] of d.keys) out.set(k, v);
    const also = c.keys.get('also');
    if (also)
      for (const parent of also.value.split(/\s+/)) {
        const p = byName.get(parent);
        if (p && !seen.has(parent)) for (const [k, v] of resolve(p, new Set([...seen, parent]))) out.set(k, v);
      }
    for (const [k, v] of c.keys) out.set(k, v);
    return out;
  };
  const used = new Set(raw.flatMap((c) => c.keys.get('also')?.value.split(/\s+/) ?? []));
  return (
    raw
      // a conn pulled into others with also= is a template, not a tunnel of its own
      .filter((c) => c.name !== '%default' && !used.has(c.name))
      .map((c) => ({ ...c, keys: resolve(c, new Set([c.name])) }))
  );
}

/** Subnet list of a `leftsubnet=`/`rightsubnet=` value ("a,b", "{a b}", "vhost:..."). */
export function subnets(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .replace(/[{}]/g, ' ')
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '' && !s.startsWith('%'));
}

/** Selector pairs "local <=> remote; ..." from left/right subnet lists (every local with every remote). */
export function pairsOf(local: string[], remote: string[]): string {
  const l = local.length ? local : ['(host)'];
  const r = remote.length ? remote : ['(host)'];
  // an IPv4 selector never pairs with an IPv6 one
  const v6 = (s: string) => s.includes(':');
  return l.flatMap((a) => r.filter((b) => v6(a) === v6(b) || a === '(host)' || b === '(host)').map((b) => `${a} <=> ${b}`)).join('; ');
}

const ENC_TOKEN: Record<string, string> = {
  aes128: 'aes128',
  aes192: 'aes192',
  aes256: 'aes256',
  aes128gcm: 'aes128gcm16',
  aes256gcm: 'aes256gcm16',
};
const DH_TOKEN: Record<string, string> = {
  '2': 'modp1024',
  '5': 'modp1536',
  '14': 'modp2048',
  '15': 'modp3072',
  '16': 'modp4096',
  '17': 'modp6144',
  '18': 'modp8192',
  '19': 'ecp256',
  '20': 'ecp384',
  '21': 'ecp521',
  '22': 'modp1024s160',
  '23': 'modp2048s224',
  '24': 'modp2048s256',
};

/** Writes a strongSwan-style proposal ("aes256-sha256-modp2048") from normalised members. */
export function swanProposal(enc: string, integ: string, dh: string | null, libreswan = false): string {
  const e = ENC_TOKEN[enc] ?? enc;
  const i = libreswan
    ? (({ sha256: 'sha2_256', sha384: 'sha2_384', sha512: 'sha2_512' } as Record<string, string>)[integ] ?? integ)
    : integ;
  const d = dh && dh !== 'off' ? (libreswan ? `dh${dh}` : (DH_TOKEN[dh] ?? `modp${dh}`)) : null;
  if (libreswan) return d ? `${e}-${i};${d}` : `${e}-${i}`;
  return [e, i, d].filter(Boolean).join('-') + '!';
}

export { normDh, normEncryption, normIntegrity };
