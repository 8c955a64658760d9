/**
 * Flattens brace-structured configurations whose leaves are "key value" or "key = value" lines without a
 * terminator (strongSwan swanctl.conf, VyOS/EdgeOS config.boot) into paths with line numbers.
 */
import { words } from '../text.js';

export interface Leaf {
  path: string[];
  value: string;
  n: number;
}

export function braceLeaves(text: string, comment = '#'): Leaf[] {
  const out: Leaf[] = [];
  const stack: string[][] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    let body = lines[i]!;
    const c = body.indexOf(comment);
    if (c >= 0 && (c === 0 || /\s/.test(body[c - 1]!) || body.trimStart().startsWith(comment))) body = body.slice(0, c);
    body = body.replace(/\/\*.*?\*\//g, '').trim();
    if (body === '') continue;
    if (body.endsWith('{')) {
      stack.push(words(body.slice(0, -1).trim()));
      continue;
    }
    if (body === '}') {
      stack.pop();
      continue;
    }
    const eq = /^([\w.-]+)\s*=\s*(.*)$/.exec(body);
    if (eq) out.push({ path: [...stack.flat(), eq[1]!], value: eq[2]!.trim(), n: i + 1 });
    else {
      const w = words(body);
      out.push({ path: [...stack.flat(), w[0]!], value: w.slice(1).join(' '), n: i + 1 });
    }
  }
  return out;
}
