import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lastResponder, parseTracerouteOutput, type TracerouteHop } from '../../src/probes/traceroute-parser.js';

describe('traceroute output', () => {
  it('reads the header and the hops of a trace that arrives', () => {
    const p = parseTracerouteOutput(
      'traceroute to 10.251.0.2 (10.251.0.2), 15 hops max, 60 byte packets\n' +
        ' 1  10.250.1.1  0.412 ms\n' +
        ' 2  10.250.2.2  0.733 ms\n' +
        ' 3  10.251.0.2  12.345 ms\n',
    );
    expect(p).toEqual({
      host: '10.251.0.2',
      address: '10.251.0.2',
      maxHops: 15,
      hops: [
        { hop: 1, address: '10.250.1.1', rttMs: 0.412, annotation: null },
        { hop: 2, address: '10.250.2.2', rttMs: 0.733, annotation: null },
        { hop: 3, address: '10.251.0.2', rttMs: 12.345, annotation: null },
      ],
    });
  });

  it('reads silent hops as nulls and finds the last responder', () => {
    const p = parseTracerouteOutput(
      'traceroute to 10.251.0.2 (10.251.0.2), 4 hops max, 60 byte packets\n 1  10.250.1.1  0.4 ms\n 2  *\n 3  *\n 4  *\n',
    );
    expect(p.hops.map((h) => h.address)).toEqual(['10.250.1.1', null, null, null]);
    expect(lastResponder(p.hops)).toEqual({ hop: 1, address: '10.250.1.1', rttMs: 0.4, annotation: null });
  });

  it('reads !N/!H marks and several probes per hop', () => {
    const p = parseTracerouteOutput(
      'traceroute to 10.9.0.5 (10.9.0.5), 3 hops max, 60 byte packets\n 1  192.168.77.1  0.163 ms !N  0.007 ms !N\n',
    );
    expect(p.hops).toEqual([{ hop: 1, address: '192.168.77.1', rttMs: 0.163, annotation: '!N' }]);
    const multi = parseTracerouteOutput(' 2  * 10.0.0.1  1.5 ms 10.0.0.5  1.2 ms\n');
    expect(multi.hops).toEqual([{ hop: 2, address: '10.0.0.1', rttMs: 1.5, annotation: null }]);
  });

  it('reads the output without -n (name and address)', () => {
    const p = parseTracerouteOutput(' 1  gw.example (192.168.1.1)  0.5 ms\n');
    expect(p.hops[0]).toMatchObject({ address: '192.168.1.1', rttMs: 0.5 });
  });

  it('reads IPv6', () => {
    const p = parseTracerouteOutput('traceroute to ::1 (::1), 30 hops max, 80 byte packets\n 1  ::1  0.045 ms\n');
    expect(p.address).toBe('::1');
    expect(p.hops[0]!.address).toBe('::1');
  });

  it('returns nothing for an unreachable network (header only)', () => {
    const p = parseTracerouteOutput('traceroute to 10.8.0.5 (10.8.0.5), 6 hops max, 60 byte packets');
    expect(p.hops).toEqual([]);
    expect(lastResponder(p.hops)).toBeNull();
  });
});

const octet = fc.integer({ min: 0, max: 255 });
const ipv4 = fc.tuple(octet, octet, octet, octet).map((o) => o.join('.'));
const hopArb = fc.oneof(
  fc.constant(null),
  fc.record({
    address: ipv4,
    rttMs: fc.integer({ min: 0, max: 9_999_999 }).map((n) => n / 1000),
    annotation: fc.constantFrom(null, '!H', '!N', '!P', '!X', '!S'),
  }),
);

function render(target: string, hops: (null | { address: string; rttMs: number; annotation: string | null })[]): string {
  const lines = [`traceroute to ${target} (${target}), ${Math.max(1, hops.length)} hops max, 60 byte packets`];
  hops.forEach((h, i) => {
    const n = String(i + 1).padStart(2);
    lines.push(h ? `${n}  ${h.address}  ${h.rttMs.toFixed(3)} ms${h.annotation ? ` ${h.annotation}` : ''}` : `${n}  *`);
  });
  return lines.join('\n') + '\n';
}

describe('traceroute parser properties', () => {
  it('parses generated outputs back to the generated hops', () => {
    fc.assert(
      fc.property(ipv4, fc.array(hopArb, { maxLength: 30 }), (target, hops) => {
        const p = parseTracerouteOutput(render(target, hops));
        const expected: TracerouteHop[] = hops.map((h, i) =>
          h
            ? { hop: i + 1, address: h.address, rttMs: h.rttMs, annotation: h.annotation }
            : { hop: i + 1, address: null, rttMs: null, annotation: null },
        );
        expect(p.address).toBe(target);
        expect(p.hops).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on garbage', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 2000 }), (s) => {
        expect(() => parseTracerouteOutput(s)).not.toThrow();
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.constantFrom(' 1 ', '  ', '*', ' ms', '!H', '10.0.0.1', '(', ')', '\n', '0.5', 'traceroute to ', ', 30 hops max', '999 '),
          { maxLength: 200 },
        ),
        (parts) => {
          const p = parseTracerouteOutput(parts.join(''));
          for (const h of p.hops) expect(h.hop).toBeGreaterThanOrEqual(1);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
