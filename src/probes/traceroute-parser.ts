import { isIP } from 'node:net';

/**
 * Parser for the output of Linux `traceroute -n` (Dmitry Butskoy's traceroute 2.x) under LC_ALL=C.
 * Pure and total like the ping parser. Each hop is reduced to data: the first address that answered,
 * its first round-trip time and any `!H`/`!N`/`!X` mark (ICMP unreachable) — or nulls when nothing answered.
 */

export interface TracerouteHop {
  hop: number;
  address: string | null;
  rttMs: number | null;
  /** "!H", "!N", "!P", "!X", "!S", "!F-1400"...: the hop answered with an ICMP unreachable. */
  annotation: string | null;
}

export interface TracerouteParse {
  /** From the header line: "traceroute to <host> (<address>), <n> hops max, ...". */
  host: string | null;
  address: string | null;
  maxHops: number | null;
  hops: TracerouteHop[];
}

const HEADER_RE = /^traceroute to\s+(\S+)\s+\(([^()\s]+)\),\s+(\d+)\s+hops max/;
const HOP_RE = /^\s*(\d+)\s+(.*)$/;
const TIME_RE = /^\d+(?:\.\d+)?$/;

export function parseTracerouteOutput(stdout: string): TracerouteParse {
  const result: TracerouteParse = { host: null, address: null, maxHops: null, hops: [] };
  if (typeof stdout !== 'string') return result;
  for (const line of stdout.split(/\r?\n/)) {
    const header = HEADER_RE.exec(line.trim());
    if (header) {
      result.host = header[1]!;
      result.address = header[2]!;
      result.maxHops = Number(header[3]);
      continue;
    }
    const m = HOP_RE.exec(line);
    if (!m) continue;
    const hop = parseHop(Number(m[1]), m[2]!);
    if (hop) result.hops.push(hop);
  }
  return result;
}

function parseHop(n: number, rest: string): TracerouteHop | null {
  if (!Number.isSafeInteger(n) || n < 1 || n > 255) return null;
  const tokens = rest.trim().split(/\s+/).filter(Boolean);
  let address: string | null = null;
  let rttMs: number | null = null;
  let annotation: string | null = null;
  let recognised = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t === '*') {
      recognised = true;
    } else if (isIP(t)) {
      recognised = true;
      address ??= t;
    } else if (/^\(.+\)$/.test(t) && isIP(t.slice(1, -1))) {
      // Without -n: "host (1.2.3.4)"; the address in parentheses is what matters.
      recognised = true;
      address ??= t.slice(1, -1);
    } else if (TIME_RE.test(t) && tokens[i + 1] === 'ms') {
      recognised = true;
      rttMs ??= Number(t);
      i++;
    } else if (/^!\S*$/.test(t)) {
      annotation ??= t;
    }
  }
  return recognised ? { hop: n, address, rttMs, annotation } : null;
}

/** The last hop that answered, if any. */
export function lastResponder(hops: readonly TracerouteHop[]): TracerouteHop | null {
  for (let i = hops.length - 1; i >= 0; i--) if (hops[i]!.address) return hops[i]!;
  return null;
}
