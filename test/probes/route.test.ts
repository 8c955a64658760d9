import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand, type CommandRunner } from '../../src/probes/exec.js';
import { createRouteProbe, RouteDetailSchema, RouteParamsSchema } from '../../src/probes/route.js';
import { parseBsdRouteGet, parseIpText } from '../../src/probes/route-parser.js';
import { ctx, fakeRunner, hasTool, isRoot } from './helpers.js';

const hasIp = hasTool('ip');
const params = (target: string) => RouteParamsSchema.parse({ target });

describe('route probe on this machine', () => {
  it.skipIf(!hasIp)('asks the kernel with `ip -j -d route get`: 127.0.0.1 is a local route on lo', async () => {
    const r = await createRouteProbe().run(params('127.0.0.1'), ctx());
    expect(r).toMatchObject({ kind: 'route', target: '127.0.0.1', ok: true, backend: 'iproute2-json' });
    expect(r.detail).toMatchObject({ status: 'local', device: 'lo', gateway: null, command: 'ip route get 127.0.0.1' });
    expect(RouteDetailSchema.parse(r.detail)).toEqual(r.detail);
  });

  it('accepts only IP literals: a name or an option-like target never reaches the command line', () => {
    expect(RouteParamsSchema.safeParse({ target: 'acme.example.com' }).success).toBe(false);
    expect(RouteParamsSchema.safeParse({ target: '-n' }).success).toBe(false);
    expect(RouteParamsSchema.safeParse({ target: 'fe80::1%eth0' }).success).toBe(false);
  });
});

/**
 * The routes a customer machine can have, built in a network namespace this test creates (root only):
 * a veth pair inside it carries 10.7.0.1/24; the cloud range points at a next hop nobody has, and the
 * other route types refuse the lookup the way the kernel does. The real `ip` runs inside the namespace.
 */
describe.skipIf(!isRoot || !hasIp)('route probe in a namespace with real routes', () => {
  const ns = `vdroute-${process.pid}`;
  const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });
  const inNs: CommandRunner = (file, args, options) => runCommand('ip', ['netns', 'exec', ns, file, ...args], options);
  const probe = createRouteProbe({ runCommand: inNs, platform: 'linux' });

  beforeAll(() => {
    ip('netns', 'add', ns);
    ip('-n', ns, 'link', 'set', 'lo', 'up');
    ip('link', 'add', 'vdA', 'netns', ns, 'type', 'veth', 'peer', 'name', 'vdB', 'netns', ns);
    ip('-n', ns, 'link', 'set', 'vdA', 'up');
    ip('-n', ns, 'link', 'set', 'vdB', 'up');
    ip('-n', ns, 'addr', 'add', '10.7.0.1/24', 'dev', 'vdA');
    ip('-n', ns, 'route', 'add', '10.20.0.0/16', 'via', '10.7.0.99'); // the wrong next hop
    ip('-n', ns, 'route', 'add', '10.21.0.0/16', 'via', '10.7.0.2'); // the edge device
    ip('-n', ns, 'route', 'add', 'unreachable', '10.30.0.0/16');
    ip('-n', ns, 'route', 'add', 'prohibit', '10.31.0.0/16');
    ip('-n', ns, 'route', 'add', 'blackhole', '10.32.0.0/16');
  });
  afterAll(() => {
    try {
      ip('netns', 'del', ns);
    } catch {
      // already gone
    }
  });

  it('names the next hop, interface and source of a gateway route (here: one that does not exist)', async () => {
    const r = await probe.run(params('10.20.1.1'), ctx());
    expect(r).toMatchObject({ ok: true, backend: 'iproute2-json' });
    expect(r.detail).toEqual({
      status: 'routed',
      gateway: '10.7.0.99',
      device: 'vdA',
      source: '10.7.0.1',
      table: 'main',
      command: 'ip route get 10.20.1.1',
    });
  });

  it('an on-link destination has no gateway', async () => {
    const r = await probe.run(params('10.7.0.2'), ctx());
    expect(r.detail).toMatchObject({ status: 'routed', gateway: null, device: 'vdA', source: '10.7.0.1' });
  });

  it.each([
    ['8.8.8.8', 'no-route', 'Network is unreachable'],
    ['10.30.1.1', 'unreachable', 'No route to host'],
    ['10.31.1.1', 'prohibited', 'Permission denied'],
    ['10.32.1.1', 'blackhole', 'Invalid argument'],
  ])('a lookup the kernel refuses (%s) is an answer: %s', async (target, status, message) => {
    const r = await probe.run(params(target), ctx());
    expect(r.ok).toBe(false);
    expect(r.detail).toMatchObject({ status, gateway: null, device: null, message: expect.stringContaining(message) });
  });
});

describe('route probe: other iproute2 versions and platforms', () => {
  it('falls back to the text form when iproute2 has no JSON output', async () => {
    const runner = fakeRunner([
      { exitCode: 255, stderr: 'Option "-j" is unknown, try "ip -help".\n' },
      // Captured from iproute2 6.1 (`ip route get 10.20.1.1` in the namespace of the test above).
      { stdout: '10.20.1.1 via 10.7.0.99 dev vdA src 10.7.0.1 uid 0 \n    cache \n' },
    ]);
    const r = await createRouteProbe({ runCommand: runner, platform: 'linux' }).run(params('10.20.1.1'), ctx());
    expect(runner.calls.map((c) => [c.file, ...c.args].join(' '))).toEqual(['ip -j -d route get 10.20.1.1', 'ip route get 10.20.1.1']);
    expect(r).toMatchObject({ backend: 'iproute2', detail: { status: 'routed', gateway: '10.7.0.99', device: 'vdA', source: '10.7.0.1' } });
  });

  it('reads typed text routes', () => {
    expect(parseIpText('local 127.0.0.1 dev lo table local src 127.0.0.1 uid 0\n')).toMatchObject({ status: 'local', device: 'lo' });
    expect(parseIpText('\n')).toBeNull();
  });

  it('no ip tool: unavailable, not a network fault', async () => {
    const runner = fakeRunner([{ exitCode: null, spawnError: { code: 'ENOENT', message: 'spawn ip ENOENT' } }]);
    const r = await createRouteProbe({ runCommand: runner, platform: 'linux' }).run(params('10.20.1.1'), ctx());
    expect(r.detail.status).toBe('unavailable');
    expect(r.ok).toBe(false);
  });

  it('BSD/macOS: `route -n get`, gateway only when the route has the GATEWAY flag', async () => {
    // Format of macOS `route -n get 192.0.43.10`, as shown on the route(8) page of real-world-systems.com.
    const sample = [
      '   route to: 192.0.43.10',
      'destination: default',
      '       mask: default',
      '    gateway: 192.168.1.1',
      '  interface: en1',
      '      flags: <UP,GATEWAY,DONE,STATIC,PRCLONING>',
      ' recvpipe  sendpipe  ssthresh  rtt,msec    rttvar  hopcount      mtu     expire',
      '       0         0         0         0         0         0      1500         0',
    ].join('\n');
    const runner = fakeRunner([{ stdout: sample }]);
    const r = await createRouteProbe({ runCommand: runner, platform: 'darwin' }).run(params('192.0.43.10'), ctx());
    expect(runner.calls[0]).toEqual({ file: 'route', args: ['-n', 'get', '192.0.43.10'] });
    expect(r).toMatchObject({
      backend: 'bsd-route',
      ok: true,
      detail: { status: 'routed', gateway: '192.168.1.1', device: 'en1', source: null },
    });
    expect(parseBsdRouteGet(sample.replace('GATEWAY,', ''))).toMatchObject({ gateway: null, device: 'en1' });
    expect(parseBsdRouteGet('', 'route: writing to routing socket: not in table')).toMatchObject({ status: 'no-route' });
  });

  it('Windows: not looked up yet, and says which command shows it', async () => {
    const r = await createRouteProbe({ runCommand: fakeRunner([]), platform: 'win32' }).run(params('10.251.0.2'), ctx());
    expect(r).toMatchObject({
      backend: 'none',
      ok: false,
      detail: { status: 'unavailable', command: 'Find-NetRoute -RemoteIPAddress 10.251.0.2' },
    });
  });
});
