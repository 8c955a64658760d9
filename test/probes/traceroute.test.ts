import { describe, expect, it } from 'vitest';
import type { NetPingModule } from '../../src/probes/net-ping.js';
import { createTracerouteProbe, TracerouteDetailSchema, TracerouteParamsSchema } from '../../src/probes/traceroute.js';
import { ctx, fakeRunner, hasTool, rawSocketsAllowed } from './helpers.js';

const hasTraceroute = hasTool('traceroute');
const rawAllowed = await rawSocketsAllowed();
const params = (p: Record<string, unknown>) => TracerouteParamsSchema.parse(p);

const REACHED =
  'traceroute to 10.251.0.2 (10.251.0.2), 15 hops max, 60 byte packets\n 1  10.250.1.1  0.4 ms\n 2  10.250.2.2  0.7 ms\n 3  10.251.0.2  12.1 ms\n';

describe('traceroute probe on loopback', () => {
  it.skipIf(!hasTraceroute)('traces 127.0.0.1 with the system traceroute', async () => {
    const r = await createTracerouteProbe().run(params({ target: '127.0.0.1', maxHops: 5, waitMs: 500 }), ctx());
    expect(r).toMatchObject({ kind: 'traceroute', ok: true, backend: 'traceroute' });
    expect(r.detail).toMatchObject({ status: 'reached', destination: '127.0.0.1', lastResponder: { hop: 1, address: '127.0.0.1' } });
    expect(r.detail.hops[0]).toMatchObject({ hop: 1, address: '127.0.0.1' });
    expect(TracerouteDetailSchema.parse(r.detail)).toEqual(r.detail);
  });

  it.skipIf(!hasTraceroute)('traces 127.0.0.1 with UDP probes', async () => {
    const r = await createTracerouteProbe().run(params({ target: '127.0.0.1', maxHops: 3, method: 'udp' }), ctx());
    expect(r.detail).toMatchObject({ status: 'reached', method: 'udp' });
  });

  it.skipIf(!rawAllowed)('traces 127.0.0.1 with net-ping', async () => {
    const r = await createTracerouteProbe().run(params({ target: '127.0.0.1', maxHops: 3, backend: 'net-ping' }), ctx());
    expect(r).toMatchObject({ ok: true, backend: 'net-ping' });
    expect(r.detail.hops[0]).toMatchObject({ hop: 1, address: '127.0.0.1' });
  });
});

describe('traceroute probe: arguments and failure mapping', () => {
  it('uses -n -q 1 -w -m, ICMP probes first, and -- before the target', async () => {
    const runner = fakeRunner([{ stdout: REACHED }]);
    const r = await createTracerouteProbe({ runCommand: runner }).run(params({ target: '10.251.0.2', waitMs: 500, maxHops: 15 }), ctx());
    expect(runner.calls[0]!.args).toEqual(['-n', '-I', '-q', '1', '-w', '0.5', '-m', '15', '--', '10.251.0.2']);
    expect(r.detail).toMatchObject({ status: 'reached', method: 'icmp', lastResponder: { hop: 3, address: '10.251.0.2' } });
  });

  it('with a NEAR factor, passes -w MAX,0,NEAR (one probe per hop: HERE has nothing to scale)', async () => {
    const runner = fakeRunner([{ stdout: REACHED }]);
    await createTracerouteProbe({ runCommand: runner }).run(params({ target: '10.251.0.2', waitMs: 1000, nearFactor: 10 }), ctx());
    expect(runner.calls[0]!.args).toEqual(['-n', '-I', '-q', '1', '-w', '1,0,10', '-m', '15', '--', '10.251.0.2']);
  });

  it('falls back to a plain -w MAX when traceroute does not take the NEAR form', async () => {
    const runner = fakeRunner([{ stderr: "Cannot handle `-w' option with arg `1,0,10' (argc 6)\n", exitCode: 2 }, { stdout: REACHED }]);
    const r = await createTracerouteProbe({ runCommand: runner }).run(
      params({ target: '10.251.0.2', waitMs: 1000, nearFactor: 10 }),
      ctx(),
    );
    expect(runner.calls).toHaveLength(2);
    expect(runner.calls[1]!.args.slice(4, 6)).toEqual(['-w', '1']);
    expect(r.detail).toMatchObject({ status: 'reached', method: 'icmp' });
  });

  it('falls back to UDP probes when ICMP probes are not permitted', async () => {
    const runner = fakeRunner([
      { stderr: 'You do not have enough privileges to use this traceroute method.\nsocket: Operation not permitted\n', exitCode: 1 },
      { stdout: REACHED },
    ]);
    const r = await createTracerouteProbe({ runCommand: runner }).run(params({ target: '10.251.0.2' }), ctx());
    expect(runner.calls).toHaveLength(2);
    expect(runner.calls[1]!.args).not.toContain('-I');
    expect(r.detail).toMatchObject({ status: 'reached', method: 'udp' });
  });

  it('says not permitted when no probe method is allowed', async () => {
    const runner = fakeRunner([{ stderr: 'socket: Operation not permitted\n', exitCode: 1 }]);
    const r = await createTracerouteProbe({ runCommand: runner }).run(params({ target: '10.251.0.2' }), ctx());
    expect(r.detail.status).toBe('not-permitted');
  });

  it('reports where a trace stops', async () => {
    const runner = fakeRunner([
      {
        stdout:
          'traceroute to 10.251.0.2 (10.251.0.2), 4 hops max, 60 byte packets\n 1  10.250.1.1  0.4 ms\n 2  10.250.2.2  0.7 ms\n 3  *\n 4  *\n',
      },
    ]);
    const r = await createTracerouteProbe({ runCommand: runner }).run(params({ target: '10.251.0.2', maxHops: 4 }), ctx());
    expect(r.ok).toBe(false);
    expect(r.detail).toMatchObject({ status: 'not-reached', lastResponder: { hop: 2, address: '10.250.2.2' } });
  });

  it('reports a trace cut by the deadline as incomplete, with the hops so far', async () => {
    const runner = fakeRunner([
      {
        stdout: 'traceroute to 10.251.0.2 (10.251.0.2), 15 hops max, 60 byte packets\n 1  10.250.1.1  0.4 ms\n',
        interrupted: true,
        signal: 'SIGTERM',
        exitCode: null,
      },
    ]);
    const r = await createTracerouteProbe({ runCommand: runner }).run(params({ target: '10.251.0.2' }), ctx());
    expect(r.detail).toMatchObject({ status: 'incomplete', lastResponder: { hop: 1, address: '10.250.1.1' } });
  });

  it('tells "no route from this machine" apart', async () => {
    const runner = fakeRunner([
      {
        stdout: 'traceroute to 10.8.0.5 (10.8.0.5), 6 hops max, 60 byte packets',
        stderr: 'connect: Network is unreachable\n',
        exitCode: 1,
      },
    ]);
    const r = await createTracerouteProbe({ runCommand: runner }).run(params({ target: '10.8.0.5' }), ctx());
    expect(r.detail).toMatchObject({ status: 'unreachable', reason: 'no-route', hops: [] });
  });

  it('says unavailable when traceroute is not installed and net-ping cannot help', async () => {
    const probe = createTracerouteProbe({ tracerouteCommand: '/nonexistent/traceroute', loadNetPing: () => null });
    const r = await probe.run(params({ target: '127.0.0.1' }), ctx());
    expect(r).toMatchObject({ ok: false });
    expect(r.detail.status).toBe('unavailable');
  });

  it('uses net-ping when traceroute is not installed, and says not permitted without raw sockets', async () => {
    const denied: NetPingModule = {
      NetworkProtocol: { IPv4: 1, IPv6: 2 },
      createSession: () => {
        throw Object.assign(new Error('Operation not permitted'), { code: 'EPERM' });
      },
    };
    const probe = createTracerouteProbe({ tracerouteCommand: '/nonexistent/traceroute', loadNetPing: () => denied });
    const r = await probe.run(params({ target: '127.0.0.1' }), ctx());
    expect(r).toMatchObject({ backend: 'net-ping' });
    expect(r.detail.status).toBe('not-permitted');
  });
});
