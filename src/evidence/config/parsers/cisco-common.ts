/**
 * What the Cisco ASA, FTD and IOS readers share: configuration blocks (an unindented command and the
 * indented lines under it), IKE policies and transform sets, crypto ACLs, and the `set` lines of a crypto
 * map entry or IPsec profile (PFS, SA lifetime, selectors).
 */
import type { ParameterName } from '../../../knowledge/schema.js';
import { normDh, normEncryption, normIntegrity } from '../algorithms.js';
import type { ParsedTunnel, ReadValue } from '../model.js';

type Params = Partial<Record<ParameterName, ReadValue>>;
import { isTemplateValue } from '../text.js';

export interface CiscoLine {
  text: string;
  n: number;
}
export interface CiscoBlock {
  head: CiscoLine;
  children: CiscoLine[];
}

export function ciscoBlocks(text: string): CiscoBlock[] {
  const blocks: CiscoBlock[] = [];
  let current: CiscoBlock | null = null;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const body = raw.trim();
    if (body === '' || body.startsWith('!') || body.startsWith('#') || body.startsWith(':')) {
      if (body === '!' && current) current = null;
      continue;
    }
    if (isTemplateValue(body.split(/\s+/).pop() ?? '')) continue;
    if (/^\s/.test(raw) && current) current.children.push({ text: body, n: i + 1 });
    else {
      current = { head: { text: body, n: i + 1 }, children: [] };
      blocks.push(current);
    }
  }
  return blocks;
}

/** ACE count of an access list (named or numbered), for the number of selector pairs. */
export function aclEntries(blocks: CiscoBlock[], acl: string): CiscoLine[] {
  const out: CiscoLine[] = [];
  const esc = acl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const ace = /^(\d+\s+|sequence \d+\s+)?permit /;
  blocks.forEach((b, i) => {
    if (new RegExp(`^access-list ${esc} (extended )?permit `).test(b.head.text)) out.push(b.head);
    if (!new RegExp(`^(ip access-list extended|ipv6 access-list) ${esc}$`).test(b.head.text)) return;
    out.push(...b.children.filter((c) => ace.test(c.text)));
    // pasted without indentation, the entries follow as lines of their own
    for (let j = i + 1; j < blocks.length && /^(\d+\s+|sequence \d+\s+)?(permit|deny|remark) /.test(blocks[j]!.head.text); j++)
      if (ace.test(blocks[j]!.head.text)) out.push(blocks[j]!.head);
  });
  return out;
}

/** "permit ip 10.0.0.0 0.0.0.255 10.1.0.0 0.0.255.255" -> "10.0.0.0 0.0.0.255 <=> 10.1.0.0 0.0.255.255". */
export function acePair(ace: string): string {
  const w = ace
    .replace(/^access-list \S+ (extended )?/, '')
    .replace(/^\d+\s+/, '')
    .split(/\s+/);
  const rest = w.slice(2);
  const take = (): string => {
    const t = rest.shift() ?? '?';
    if (t === 'host' || t === 'object' || t === 'object-group') return `${t} ${rest.shift() ?? ''}`;
    if (t === 'any' || t === 'any4') return 'any';
    if (/^\d+\.\d+\.\d+\.\d+$/.test(t) && /^\d+\.\d+\.\d+\.\d+$/.test(rest[0] ?? '')) return `${t} ${rest.shift()}`;
    return t;
  };
  const a = take();
  const b = take();
  return `${a} <=> ${b}`;
}

/** Transform words (ASA and IOS): "esp-aes-256", "esp-aes", "esp-3des", "esp-sha-hmac", "esp-sha256-hmac", "esp-md5-hmac". */
export function transformMembers(words: string[]): { enc: string[]; integ: string[]; transport: boolean } {
  const enc: string[] = [];
  const integ: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!.toLowerCase();
    if (/hmac$|^esp-none$|^ah-/.test(w)) integ.push(normIntegrity(w.replace(/^esp-|^ah-/, '').replace(/-hmac$/, '')));
    else if (/^esp-(aes|3des|des|gcm|null|seal)/.test(w)) {
      // IOS writes the key size as a separate word: "esp-aes 256"
      const bits = /^\d{3}$/.test(words[i + 1] ?? '') ? words[++i] : undefined;
      enc.push(normEncryption(bits ? `${w}-${bits}` : w));
    }
  }
  return { enc, integ, transport: false };
}

/** An IKE policy (ASA `crypto ikev1|ikev2 policy`, IOS `crypto isakmp policy`, `crypto ikev2 proposal`). */
export interface CiscoPolicy {
  enc: string[];
  integ: string[];
  dh: string[];
  life: string | null;
  auth: string | null;
  n: number;
  lines: Partial<Record<'enc' | 'integ' | 'dh' | 'life' | 'auth', number>>;
}

export function readPolicies(blocks: CiscoBlock[], re: RegExp): (CiscoPolicy & { id: string })[] {
  return blocks
    .filter((b) => re.test(b.head.text))
    .map((b) => {
      const p: CiscoPolicy & { id: string } = {
        id: re.exec(b.head.text)![1]!,
        enc: [],
        integ: [],
        dh: [],
        life: null,
        auth: null,
        n: b.head.n,
        lines: {},
      };
      for (const c of b.children) {
        const [k, ...rest] = c.text.split(/\s+/);
        if (k === 'encryption' || k === 'encr') {
          p.enc.push(
            ...(rest.length === 2 && /^\d+$/.test(rest[1]!) ? [normEncryption(rest.join('-'))] : rest.map((r) => normEncryption(r))),
          );
          p.lines.enc = c.n;
        } else if (k === 'hash' || k === 'integrity') {
          p.integ.push(...rest.map(normIntegrity));
          p.lines.integ = c.n;
        } else if (k === 'group') {
          p.dh.push(...rest.map(normDh));
          p.lines.dh = c.n;
        } else if (k === 'lifetime') {
          const v = rest.filter((r) => /^\d+$/.test(r))[0];
          if (v) p.life = v;
          p.lines.life = c.n;
        } else if (k === 'authentication') {
          p.auth = /pre-share/.test(c.text) ? 'psk' : 'cert';
          p.lines.auth = c.n;
        }
      }
      return p;
    });
}

export interface TransformSet {
  enc: string[];
  integ: string[];
  n: number;
  transport: boolean;
}

/** Transform sets by name; `head` captures the name and the transform words (`crypto ipsec [ikev1 ]transform-set`). */
export function readTransformSets(blocks: CiscoBlock[], head: RegExp): Map<string, TransformSet> {
  const sets = new Map<string, TransformSet>();
  for (const b of blocks) {
    const m = head.exec(b.head.text);
    if (m)
      sets.set(m[1]!, {
        ...transformMembers(m[2]!.split(/\s+/)),
        n: b.head.n,
        transport: b.children.some((c) => c.text === 'mode transport'),
      });
  }
  return sets;
}

/** The phase-2 algorithms of the transform sets (or IPsec proposals) an entry names; the first name is kept for fixes. */
export function phase2Of(
  names: string[],
  known: Map<string, { enc: string[]; integ: string[]; transport?: boolean }>,
  objects: Record<string, string>,
  key: 'transformSet' | 'proposal',
): { enc: string[]; integ: string[]; transport: boolean } {
  const out = { enc: [] as string[], integ: [] as string[], transport: false };
  for (const name of names) {
    const t = known.get(name);
    if (t) {
      out.enc.push(...t.enc);
      out.integ.push(...t.integ);
      out.transport ||= t.transport ?? false;
    }
    objects[key] ??= name;
  }
  return out;
}

/** A crypto map entry or an IPsec profile (with the tunnel interface using it): its `set` lines and ACL. */
export interface CiscoEntry {
  name: string;
  peer?: string;
  sets: CiscoLine[];
  acl?: string;
  objects: Record<string, string>;
}

type SetParam = (k: ParameterName, v: string, n: number | null, defaultFrom?: string) => void;

/** Starts reading an entry: its parameters, a setter (empty values skipped), a `set` line finder; the peer is read. */
export function openEntry(e: CiscoEntry): { params: Params; set: SetParam; s: (re: RegExp) => CiscoLine | undefined } {
  const params: Params = {};
  const set: SetParam = (k, v, n, defaultFrom) => {
    if (v !== '') params[k] = defaultFrom ? { value: v, line: n, defaultFrom } : { value: v, line: n };
  };
  const s = (re: RegExp) => e.sets.find((c) => re.test(c.text));
  const peer = s(/^set peer /);
  if (peer) e.peer = peer.text.split(/\s+/)[2];
  return { params, set, s };
}

/**
 * PFS (`set pfs [groupN]`, `pfsGroup` when the group is left out), the SA lifetime (the entry's, else the
 * global one) and the traffic selectors (the crypto ACL's entries; any/any on a VTI).
 */
export function readEntryTail(
  e: CiscoEntry,
  blocks: CiscoBlock[],
  set: SetParam,
  o: { globalLife: CiscoLine | undefined; pfsGroup: string; vtiSource: string },
): void {
  const s = (re: RegExp) => e.sets.find((c) => re.test(c.text));
  const pfs = s(/^set pfs/);
  if (pfs) set('pfs', normDh(pfs.text.split(/\s+/)[2] ?? o.pfsGroup), pfs.n);
  const life = s(/^set security-association lifetime seconds /);
  if (life) set('p2-lifetime', life.text.split(/\s+/)[4]!, life.n);
  else if (o.globalLife) set('p2-lifetime', o.globalLife.text.split(/\s+/)[5]!, o.globalLife.n);
  if (e.acl) {
    const aces = aclEntries(blocks, e.acl);
    if (aces.length) set('traffic-selectors', aces.map((a) => acePair(a.text)).join('; '), aces[0]!.n);
  } else if (e.objects.interface) set('traffic-selectors', '0.0.0.0/0 <=> 0.0.0.0/0', null, o.vtiSource);
}

/** The first member of a tunnel's value (or `d`), for fixes that rewrite a whole proposal. */
export const firstMember = (t: ParsedTunnel, k: ParameterName, d: string): string => (t.params[k]?.value ?? d).split(',')[0]!.trim();

/** ESP integrity in transform-set syntax (ASA and IOS spell these alike). */
export const ESP_HMAC: Record<string, string> = {
  sha1: 'esp-sha-hmac',
  sha256: 'esp-sha256-hmac',
  sha384: 'esp-sha384-hmac',
  sha512: 'esp-sha512-hmac',
};
