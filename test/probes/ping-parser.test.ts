import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyPingStderr, parsePingOutput } from '../../src/probes/ping-parser.js';

// Real outputs of iputils 20221126 under LC_ALL=C (captured on Debian 12).
const OK = `PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data.
64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=0.030 ms
64 bytes from 127.0.0.1: icmp_seq=2 ttl=64 time=0.066 ms
64 bytes from 127.0.0.1: icmp_seq=3 ttl=64 time=0.034 ms

--- 127.0.0.1 ping statistics ---
3 packets transmitted, 3 received, 0% packet loss, time 407ms
rtt min/avg/max/mdev = 0.030/0.043/0.066/0.016 ms
`;

const LOST = `PING 10.9.0.5 (10.9.0.5) 56(84) bytes of data.

--- 10.9.0.5 ping statistics ---
3 packets transmitted, 0 received, 100% packet loss, time 406ms

`;

const HOST_UNREACHABLE = `PING 192.168.77.9 (192.168.77.9) 56(84) bytes of data.
From 192.168.77.2 icmp_seq=1 Destination Host Unreachable
From 192.168.77.2 icmp_seq=2 Destination Host Unreachable
From 192.168.77.2 icmp_seq=3 Destination Host Unreachable

--- 192.168.77.9 ping statistics ---
5 packets transmitted, 0 received, +3 errors, 100% packet loss, time 4097ms
pipe 4
`;

const IPV6 = `PING ::1(::1) 56 data bytes
64 bytes from ::1: icmp_seq=1 ttl=64 time=0.076 ms
64 bytes from ::1: icmp_seq=1 ttl=64 time=0.090 ms (DUP!)

--- ::1 ping statistics ---
1 packets transmitted, 1 received, +1 duplicates, 0% packet loss, time 0ms
rtt min/avg/max/mdev = 0.076/0.083/0.090/0.007 ms
`;

describe('iputils ping output', () => {
  it('reads replies, statistics and RTT', () => {
    const p = parsePingOutput(OK);
    expect(p.host).toBe('127.0.0.1');
    expect(p.address).toBe('127.0.0.1');
    expect(p.replies).toHaveLength(3);
    expect(p.replies[1]).toEqual({ from: '127.0.0.1', seq: 2, ttl: 64, timeMs: 0.066, duplicate: false });
    expect(p.stats).toEqual({ transmitted: 3, received: 3, duplicates: 0, errors: 0, lossPercent: 0, timeMs: 407 });
    expect(p.rtt).toEqual({ min: 0.03, avg: 0.043, max: 0.066, mdev: 0.016 });
  });

  it('reads total loss', () => {
    const p = parsePingOutput(LOST);
    expect(p.replies).toEqual([]);
    expect(p.stats?.lossPercent).toBe(100);
    expect(p.rtt).toBeNull();
  });

  it('reads ICMP errors from routers and the error count', () => {
    const p = parsePingOutput(HOST_UNREACHABLE);
    expect(p.icmpErrors).toHaveLength(3);
    expect(p.icmpErrors[0]).toEqual({ from: '192.168.77.2', seq: 1, message: 'Destination Host Unreachable' });
    expect(p.stats).toMatchObject({ transmitted: 5, received: 0, errors: 3, lossPercent: 100 });
  });

  it('reads IPv6 output and duplicates', () => {
    const p = parsePingOutput(IPV6);
    expect(p.address).toBe('::1');
    expect(p.replies.map((r) => r.duplicate)).toEqual([false, true]);
    expect(p.stats?.duplicates).toBe(1);
  });

  it.each([
    ['ping: socket: Operation not permitted', 'not-permitted'],
    [
      'ping: socktype: SOCK_RAW\nping: socket: Operation not permitted\nping: => missing cap_net_raw+p capability or setuid?',
      'not-permitted',
    ],
    ['ping: connect: Network is unreachable', 'no-route'],
    ['ping: sendmsg: Operation not permitted', 'send-refused'],
    ['ping: no.such.invalid: Name or service not known', 'bad-target'],
    ["ping: invalid argument: '1.5'", 'bad-target'],
    ['something else entirely', 'other'],
    ['', null],
  ] as const)('classifies stderr %j', (stderr, expected) => {
    expect(classifyPingStderr(stderr)).toBe(expected);
  });
});

// ---- property tests: generated outputs parse back to the generated values ----

const octet = fc.integer({ min: 0, max: 255 });
const ipv4 = fc.tuple(octet, octet, octet, octet).map((o) => o.join('.'));
const ms = fc.integer({ min: 0, max: 5_000_000 }).map((n) => n / 1000); // 3 decimals, as ping prints

interface Generated {
  address: string;
  replies: { seq: number; ttl: number; timeMs: number }[];
  errors: { from: string; seq: number; message: string }[];
  lost: number;
}

const generated = fc
  .record({
    address: ipv4,
    replies: fc.array(fc.record({ ttl: fc.integer({ min: 1, max: 255 }), timeMs: ms }), { maxLength: 10 }),
    errors: fc.array(
      fc.record({
        from: ipv4,
        message: fc.constantFrom('Destination Host Unreachable', 'Destination Net Unreachable', 'Time to live exceeded', 'Packet filtered'),
      }),
      { maxLength: 5 },
    ),
    lost: fc.integer({ min: 0, max: 10 }),
  })
  .map(({ address, replies, errors, lost }): Generated => ({
    address,
    replies: replies.map((r, i) => ({ seq: i + 1, ...r })),
    errors: errors.map((e, i) => ({ ...e, seq: replies.length + i + 1 })),
    lost,
  }));

function render(g: Generated): string {
  const transmitted = g.replies.length + g.errors.length + g.lost;
  const received = g.replies.length;
  const loss = transmitted === 0 ? 0 : Math.round((1 - received / transmitted) * 100);
  const lines = [`PING ${g.address} (${g.address}) 56(84) bytes of data.`];
  for (const r of g.replies) lines.push(`64 bytes from ${g.address}: icmp_seq=${r.seq} ttl=${r.ttl} time=${r.timeMs.toFixed(3)} ms`);
  for (const e of g.errors) lines.push(`From ${e.from} icmp_seq=${e.seq} ${e.message}`);
  lines.push('', `--- ${g.address} ping statistics ---`);
  const errs = g.errors.length > 0 ? ` +${g.errors.length} errors,` : '';
  lines.push(`${transmitted} packets transmitted, ${received} received,${errs} ${loss}% packet loss, time 1001ms`);
  if (received > 0) {
    const t = g.replies.map((r) => r.timeMs);
    const avg = t.reduce((a, b) => a + b, 0) / t.length;
    lines.push(`rtt min/avg/max/mdev = ${Math.min(...t).toFixed(3)}/${avg.toFixed(3)}/${Math.max(...t).toFixed(3)}/0.000 ms`);
  }
  return lines.join('\n') + '\n';
}

describe('ping parser properties', () => {
  it('parses generated outputs back to the generated values', () => {
    fc.assert(
      fc.property(generated, (g) => {
        const p = parsePingOutput(render(g));
        expect(p.address).toBe(g.address);
        expect(p.replies.map(({ seq, ttl, timeMs }) => ({ seq, ttl, timeMs }))).toEqual(g.replies);
        expect(p.icmpErrors).toEqual(g.errors);
        expect(p.stats?.transmitted).toBe(g.replies.length + g.errors.length + g.lost);
        expect(p.stats?.received).toBe(g.replies.length);
        expect(p.stats?.errors).toBe(g.errors.length);
        if (g.replies.length > 0) expect(p.rtt?.max).toBe(Math.max(...g.replies.map((r) => r.timeMs)));
        else expect(p.rtt).toBeNull();
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on garbage, and garbage yields no replies', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 2000 }), (s) => {
        const p = parsePingOutput(s);
        expect(Array.isArray(p.replies)).toBe(true);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.constantFrom(
            'PING ',
            '64 bytes from ',
            'icmp_seq=',
            ' time=',
            'ms',
            '(',
            ')',
            ':',
            '\n',
            '1',
            '.',
            ' ',
            '%',
            'From ',
            'rtt min/avg/max/mdev = ',
            '/',
          ),
          { maxLength: 200 },
        ),
        (parts) => {
          expect(() => parsePingOutput(parts.join(''))).not.toThrow();
        },
      ),
      { numRuns: 2000 },
    );
  });
});
