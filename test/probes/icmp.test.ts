import { describe, expect, it } from 'vitest';
import { createIcmpProbe, IcmpDetailSchema, IcmpParamsSchema, rttFrom } from '../../src/probes/icmp.js';
import type { NetPingModule } from '../../src/probes/net-ping.js';
import { ctx, fakeRunner, hasTool, rawSocketsAllowed } from './helpers.js';

const hasPing = hasTool('ping');
const rawAllowed = await rawSocketsAllowed();

const params = (p: Record<string, unknown>) => IcmpParamsSchema.parse(p);

/** A net-ping whose raw socket is refused, as for an ordinary user. */
const deniedNetPing = (): NetPingModule => ({
  NetworkProtocol: { IPv4: 1, IPv6: 2 },
  createSession: () => {
    throw Object.assign(new Error('Operation not permitted'), { code: 'EPERM' });
  },
});

describe('icmp probe on loopback', () => {
  it.skipIf(!hasPing)('pings 127.0.0.1 with the system ping', async () => {
    const probe = createIcmpProbe();
    const r = await probe.run(params({ target: '127.0.0.1', count: 2, backend: 'system' }), ctx());
    expect(r).toMatchObject({ kind: 'icmp', target: '127.0.0.1', ok: true, backend: 'iputils-ping' });
    expect(r.detail).toMatchObject({ status: 'replied', address: '127.0.0.1', transmitted: 2, received: 2, lossPercent: 0 });
    expect(r.detail.rttMs!.min).toBeGreaterThanOrEqual(0);
    expect(IcmpDetailSchema.parse(r.detail)).toEqual(r.detail);
  });

  it.skipIf(!hasPing)('pings ::1 with the system ping', async () => {
    const r = await createIcmpProbe().run(params({ target: '::1', count: 1, backend: 'system' }), ctx());
    expect(r.detail.status).toBe('replied');
  });

  it.skipIf(!hasPing)('stops at its deadline with partial statistics', async () => {
    const started = Date.now();
    const r = await createIcmpProbe().run(
      params({ target: '127.0.0.1', count: 20, intervalMs: 200, timeoutMs: 700, backend: 'system' }),
      ctx(),
    );
    expect(Date.now() - started).toBeLessThan(2500);
    expect(r.detail.status).toBe('replied');
    expect(r.detail.transmitted).toBeLessThan(20);
  });

  it.skipIf(!rawAllowed)('pings 127.0.0.1 with net-ping when raw sockets are allowed', async () => {
    const r = await createIcmpProbe().run(params({ target: '127.0.0.1', count: 2, backend: 'auto' }), ctx());
    expect(r).toMatchObject({ ok: true, backend: 'net-ping' });
    expect(r.detail).toMatchObject({ status: 'replied', transmitted: 2, received: 2 });
  });
});

describe('icmp probe on loopback: adaptive pacing', () => {
  // 3 echoes 1 s apart would take 2 s; answered at once, adaptive pacing takes a few round trips.
  it.skipIf(!hasPing)('the system ping (-A) sends the next echo as soon as one is answered', async () => {
    const started = Date.now();
    const r = await createIcmpProbe().run(
      params({ target: '127.0.0.1', count: 3, intervalMs: 1000, adaptive: true, backend: 'system' }),
      ctx(),
    );
    expect(Date.now() - started).toBeLessThan(1000);
    expect(r.detail).toMatchObject({ status: 'replied', transmitted: 3, received: 3 });
  });

  it.skipIf(!rawAllowed)('net-ping sends the next echo as soon as one is answered', async () => {
    const started = Date.now();
    const r = await createIcmpProbe().run(
      params({ target: '127.0.0.1', count: 3, intervalMs: 1000, adaptive: true, backend: 'net-ping' }),
      ctx(),
    );
    expect(Date.now() - started).toBeLessThan(1000);
    expect(r.detail).toMatchObject({ status: 'replied', transmitted: 3, received: 3 });
  });
});

describe('icmp probe: backends and failure mapping', () => {
  it('runs ping with an argument array, -n, LC-independent options and -- before the target', async () => {
    const runner = fakeRunner([
      {
        stdout:
          'PING 10.0.0.2 (10.0.0.2) 56(84) bytes of data.\n\n--- 10.0.0.2 ping statistics ---\n3 packets transmitted, 0 received, 100% packet loss, time 406ms\n',
        exitCode: 1,
      },
    ]);
    const probe = createIcmpProbe({ runCommand: runner, loadNetPing: () => null });
    const r = await probe.run(params({ target: '10.0.0.2' }), ctx());
    const { file, args } = runner.calls[0]!;
    expect(file).toBe('ping');
    expect(args.slice(-2)).toEqual(['--', '10.0.0.2']);
    expect(args).toContain('-n');
    expect(args.slice(args.indexOf('-c'), args.indexOf('-c') + 2)).toEqual(['-c', '3']);
    expect(args.slice(args.indexOf('-i'), args.indexOf('-i') + 2)).toEqual(['-i', '0.2']);
    // total loss is "no reply", never an error
    expect(r.detail).toMatchObject({ status: 'no-reply', transmitted: 3, received: 0, lossPercent: 100 });
    expect(r.ok).toBe(false);
  });

  it('says "not permitted" (not "down") when neither backend may send ICMP', async () => {
    const runner = fakeRunner([{ stderr: 'ping: socket: Operation not permitted\n', exitCode: 2 }]);
    const probe = createIcmpProbe({ runCommand: runner, loadNetPing: deniedNetPing });
    const r = await probe.run(params({ target: '10.0.0.2' }), ctx());
    expect(r).toMatchObject({ ok: false, backend: 'iputils-ping' });
    expect(r.detail.status).toBe('not-permitted');
  });

  it('says "not permitted" when net-ping lacks privileges and ping is not installed', async () => {
    const probe = createIcmpProbe({ loadNetPing: deniedNetPing, pingCommand: '/nonexistent/ping' });
    const r = await probe.run(params({ target: '127.0.0.1' }), ctx());
    expect(r.detail.status).toBe('not-permitted');
    expect(r.detail.message).toMatch(/raw socket.*not installed/);
  });

  it('says "unavailable" when no ICMP tool exists at all', async () => {
    const probe = createIcmpProbe({ loadNetPing: () => null, pingCommand: '/nonexistent/ping' });
    const r = await probe.run(params({ target: '127.0.0.1' }), ctx());
    expect(r.detail.status).toBe('unavailable');
  });

  it('falls back to the system ping when net-ping may not open a raw socket', async () => {
    const runner = fakeRunner([
      {
        stdout:
          'PING 10.0.0.2 (10.0.0.2) 56(84) bytes of data.\n64 bytes from 10.0.0.2: icmp_seq=1 ttl=63 time=12.5 ms\n\n--- 10.0.0.2 ping statistics ---\n1 packets transmitted, 1 received, 0% packet loss, time 0ms\nrtt min/avg/max/mdev = 12.500/12.500/12.500/0.000 ms\n',
      },
    ]);
    const r = await createIcmpProbe({ runCommand: runner, loadNetPing: deniedNetPing }).run(
      params({ target: '10.0.0.2', count: 1 }),
      ctx(),
    );
    expect(r).toMatchObject({ ok: true, backend: 'iputils-ping' });
    expect(r.detail.rttMs).toEqual({ min: 12.5, avg: 12.5, max: 12.5, mdev: 0 });
  });

  it('with backend net-ping only, reports its refusal as not permitted', async () => {
    const r = await createIcmpProbe({ loadNetPing: deniedNetPing }).run(params({ target: '10.0.0.2', backend: 'net-ping' }), ctx());
    expect(r).toMatchObject({ backend: 'net-ping', ok: false });
    expect(r.detail.status).toBe('not-permitted');
  });

  it('tells "no route from this machine" apart', async () => {
    const runner = fakeRunner([{ stderr: 'ping: connect: Network is unreachable\n', exitCode: 2 }]);
    const r = await createIcmpProbe({ runCommand: runner, loadNetPing: () => null }).run(params({ target: '10.0.0.2' }), ctx());
    expect(r.detail).toMatchObject({ status: 'unreachable', reason: 'no-route' });
  });

  it('reports ICMP errors from a router as unreachable, with the router', async () => {
    const runner = fakeRunner([
      {
        stdout:
          'PING 10.7.0.5 (10.7.0.5) 56(84) bytes of data.\nFrom 192.168.77.1 icmp_seq=1 Destination Net Unreachable\n\n--- 10.7.0.5 ping statistics ---\n2 packets transmitted, 0 received, +1 errors, 100% packet loss, time 202ms\n',
        exitCode: 1,
      },
    ]);
    const r = await createIcmpProbe({ runCommand: runner, loadNetPing: () => null }).run(params({ target: '10.7.0.5' }), ctx());
    expect(r.detail).toMatchObject({
      status: 'unreachable',
      reason: 'icmp-error',
      icmpErrors: [{ from: '192.168.77.1', message: 'Destination Net Unreachable' }],
    });
  });

  it('reports a local firewall refusing the packet as an error, not a loss', async () => {
    const runner = fakeRunner([
      { stderr: 'ping: sendmsg: Operation not permitted\n', stdout: 'PING 10.0.0.2 (10.0.0.2) 56(84) bytes of data.\n', exitCode: 1 },
    ]);
    const r = await createIcmpProbe({ runCommand: runner, loadNetPing: () => null }).run(params({ target: '10.0.0.2' }), ctx());
    expect(r.detail).toMatchObject({ status: 'error', reason: 'send-refused' });
  });

  it('asks the system ping for adaptive pacing (-A) when adaptive, and not otherwise', async () => {
    const out = {
      stdout:
        'PING 10.0.0.2 (10.0.0.2) 56(84) bytes of data.\n\n--- 10.0.0.2 ping statistics ---\n3 packets transmitted, 3 received, 0% packet loss, time 2ms\nrtt min/avg/max/mdev = 0.182/0.324/0.550/0.161 ms, ipg/ewma 1.002/0.470 ms\n',
    };
    const adaptive = fakeRunner([out]);
    const r = await createIcmpProbe({ runCommand: adaptive, loadNetPing: () => null }).run(
      params({ target: '10.0.0.2', adaptive: true }),
      ctx(),
    );
    expect(adaptive.calls[0]!.args).toContain('-A');
    // -i stays: it is the longest gap, what an unanswered echo waits before the next
    expect(adaptive.calls[0]!.args.slice(adaptive.calls[0]!.args.indexOf('-i'), adaptive.calls[0]!.args.indexOf('-i') + 2)).toEqual([
      '-i',
      '0.2',
    ]);
    expect(r.detail).toMatchObject({
      status: 'replied',
      transmitted: 3,
      received: 3,
      rttMs: { min: 0.182, avg: 0.324, max: 0.55, mdev: 0.161 },
    });
    const fixed = fakeRunner([out]);
    await createIcmpProbe({ runCommand: fixed, loadNetPing: () => null }).run(params({ target: '10.0.0.2' }), ctx());
    expect(fixed.calls[0]!.args).not.toContain('-A');
  });

  it('pings with fixed pacing when the system ping does not know -A', async () => {
    const runner = fakeRunner([
      { stderr: "ping: invalid option -- 'A'\nBusyBox v1.36.1 multi-call binary.\n", exitCode: 1 },
      {
        stdout:
          'PING 10.0.0.2 (10.0.0.2) 56(84) bytes of data.\n64 bytes from 10.0.0.2: icmp_seq=1 ttl=63 time=1.5 ms\n\n--- 10.0.0.2 ping statistics ---\n1 packets transmitted, 1 received, 0% packet loss, time 0ms\n',
      },
    ]);
    const r = await createIcmpProbe({ runCommand: runner, loadNetPing: () => null }).run(
      params({ target: '10.0.0.2', count: 1, adaptive: true }),
      ctx(),
    );
    expect(runner.calls).toHaveLength(2);
    expect(runner.calls[1]!.args).not.toContain('-A');
    expect(r.detail.status).toBe('replied');
  });

  it('computes RTT statistics as iputils does', () => {
    expect(rttFrom([])).toBeNull();
    expect(rttFrom([1, 2, 3])).toEqual({ min: 1, avg: 2, max: 3, mdev: 0.816 });
  });
});

/** A net-ping stand-in on a simulated path: each echo is answered after `rttMs`, or never (reply timeout). */
function simulatedNetPing(path: { rttMs: number; answers: (echo: number) => boolean }) {
  const sentAt: number[] = [];
  const mod: NetPingModule = {
    NetworkProtocol: { IPv4: 1, IPv6: 2 },
    createSession: (opts) => {
      const timers = new Set<NodeJS.Timeout>();
      const later = (ms: number, fn: () => void): void => {
        const t = setTimeout(() => {
          timers.delete(t);
          fn();
        }, ms);
        timers.add(t);
      };
      return {
        pingHost: (target, cb) => {
          const echo = sentAt.push(Date.now()) - 1;
          if (path.answers(echo)) later(path.rttMs, () => cb(null, target));
          else
            later(opts.timeout ?? 1000, () => cb(Object.assign(new Error('Request timed out'), { name: 'RequestTimedOutError' }), target));
        },
        traceRoute: () => undefined,
        close: () => {
          for (const t of timers) clearTimeout(t);
          timers.clear();
        },
        on: () => undefined,
      };
    },
  };
  return { mod, sentAt };
}

describe('icmp probe: pacing (net-ping backend)', () => {
  const gaps = (xs: number[]): number[] => xs.slice(1).map((x, i) => x - xs[i]!);

  it('adaptive: an answered echo sends the next at once, so an answering path costs round trips, not intervals', async () => {
    const { mod, sentAt } = simulatedNetPing({ rttMs: 5, answers: () => true });
    const started = Date.now();
    const r = await createIcmpProbe({ loadNetPing: () => mod }).run(
      params({ target: '10.0.0.2', count: 3, intervalMs: 200, adaptive: true }),
      ctx(),
    );
    expect(Date.now() - started).toBeLessThan(150);
    expect(r).toMatchObject({ ok: true, backend: 'net-ping' });
    expect(r.detail).toMatchObject({ status: 'replied', transmitted: 3, received: 3, lossPercent: 0 });
    for (const gap of gaps(sentAt)) expect(gap).toBeLessThan(100);
  });

  it('adaptive: an unanswered echo waits the whole interval, as fixed pacing does', async () => {
    const { mod, sentAt } = simulatedNetPing({ rttMs: 5, answers: (echo) => echo === 2 });
    const r = await createIcmpProbe({ loadNetPing: () => mod }).run(
      params({ target: '10.0.0.2', count: 3, intervalMs: 200, timeoutMs: 800, adaptive: true }),
      ctx(),
    );
    expect(r.detail).toMatchObject({ status: 'replied', transmitted: 3, received: 1 });
    for (const gap of gaps(sentAt)) expect(gap).toBeGreaterThanOrEqual(190);
  });

  it('fixed: one echo per interval even when every echo is answered at once', async () => {
    const { mod, sentAt } = simulatedNetPing({ rttMs: 1, answers: () => true });
    const r = await createIcmpProbe({ loadNetPing: () => mod }).run(params({ target: '10.0.0.2', count: 3, intervalMs: 200 }), ctx());
    expect(r.detail).toMatchObject({ status: 'replied', transmitted: 3, received: 3 });
    for (const gap of gaps(sentAt)) expect(gap).toBeGreaterThanOrEqual(190);
  });

  it('adaptive: a silent path still ends at its deadline with what was sent', async () => {
    const { mod, sentAt } = simulatedNetPing({ rttMs: 5, answers: () => false });
    const started = Date.now();
    const r = await createIcmpProbe({ loadNetPing: () => mod }).run(
      params({ target: '10.0.0.2', count: 3, intervalMs: 200, timeoutMs: 700, adaptive: true }),
      ctx(),
    );
    expect(Date.now() - started).toBeLessThan(1000);
    expect(r.detail).toMatchObject({ status: 'no-reply', received: 0 });
    expect(r.detail.transmitted).toBe(sentAt.length);
  });
});
