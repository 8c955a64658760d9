import type { RawLine } from './log-reader.js';

/**
 * SA traffic counters as status outputs print them, one direction per line or both in one: IOS/ASA
 * `#pkts encaps/decaps`, FortiGate `enc/dec:pkts/bytes`, swanctl `in/out ... packets`, `ipsec statusall`
 * `bytes_i/bytes_o`, Libreswan `trafficstatus` `inBytes/outBytes`, PAN-OS `encap/decap packets`, Junos
 * `Encrypted/Decrypted packets`. Packets and bytes are paired separately, so a paste that lists both never
 * pairs one SA's packets with its bytes.
 */
export type CounterVerdict =
  /** Sent into the tunnel, nothing came back decrypted. */
  | 'esp-not-received'
  /** Nothing either way: an SA with no traffic yet (no fault by itself). */
  | 'idle'
  /** Both directions carry traffic. */
  | 'flowing'
  /** Received but never sent: the return route does not point into the tunnel (not judged here). */
  | 'inbound-only';

export interface CounterJudgement {
  verdict: CounterVerdict;
  in: number;
  out: number;
  unit: 'packets' | 'bytes';
  lines: RawLine[];
}

type Groups = Record<string, string | undefined>;
const num = (s: string | undefined): number | undefined => (s === undefined ? undefined : Number(s.replace(/,/g, '')));

interface Pending {
  in?: number;
  out?: number;
  lines: RawLine[];
}

export class SaCounters {
  private readonly pending: Record<'packets' | 'bytes', Pending> = { packets: { lines: [] }, bytes: { lines: [] } };

  /** A counter line; returns a judgement once both directions of one unit are known. */
  add(groups: Groups, line: RawLine): CounterJudgement | undefined {
    const [ip, op, ib, ob] = [num(groups.inPkts), num(groups.outPkts), num(groups.inBytes), num(groups.outBytes)];
    // A line with both directions in one unit is judged on it ("120 bytes_i (2 pkts), 0 bytes_o": bytes).
    if (ip !== undefined && op !== undefined) return this.feed('packets', ip, op, line);
    if (ib !== undefined && ob !== undefined) return this.feed('bytes', ib, ob, line);
    return ip !== undefined || op !== undefined ? this.feed('packets', ip, op, line) : this.feed('bytes', ib, ob, line);
  }

  private feed(unit: 'packets' | 'bytes', inN: number | undefined, outN: number | undefined, line: RawLine): CounterJudgement | undefined {
    if (inN === undefined && outN === undefined) return undefined;
    const p = this.pending[unit];
    if (inN !== undefined) p.in = inN;
    if (outN !== undefined) p.out = outN;
    if (p.lines.length < 4) p.lines.push(line);
    if (p.in === undefined || p.out === undefined) return undefined;
    const { in: i, out: o, lines } = p;
    this.pending[unit] = { lines: [] };
    const verdict: CounterVerdict =
      o > 0 && i === 0 ? 'esp-not-received' : o === 0 && i === 0 ? 'idle' : o === 0 ? 'inbound-only' : 'flowing';
    return { verdict, in: i, out: o, unit, lines };
  }
}
