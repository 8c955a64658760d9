/** Cisco IOS/ASA configuration blocks: an unindented command and the indented lines under it. */
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
