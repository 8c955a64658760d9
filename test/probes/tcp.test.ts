import { createServer, Socket, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTcpProbe, TcpParamsSchema, tcpStatusOf } from '../../src/probes/tcp.js';
import { ctx } from './helpers.js';

const params = (p: Record<string, unknown>) => TcpParamsSchema.parse(p);
const probe = createTcpProbe();

let server: Server;
let openPort: number;
let closedPort: number;

beforeAll(async () => {
  server = createServer((s) => s.destroy());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  openPort = (server.address() as { port: number }).port;
  // A port that was just free: bind, note it, close: nothing listens there now.
  const tmp = createServer();
  await new Promise<void>((r) => tmp.listen(0, '127.0.0.1', () => r()));
  closedPort = (tmp.address() as { port: number }).port;
  await new Promise<void>((r) => tmp.close(() => r()));
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('tcp probe on loopback', () => {
  it('connects to an open port', async () => {
    const r = await probe.run(params({ target: '127.0.0.1', port: openPort }), ctx());
    expect(r).toMatchObject({ kind: 'tcp', ok: true, target: `127.0.0.1:${openPort}`, backend: 'node-net' });
    expect(r.detail).toMatchObject({ status: 'open', address: '127.0.0.1', port: openPort });
    expect(r.detail.connectMs).toBeGreaterThanOrEqual(0);
  });

  it('tells a refused connection (closed port)', async () => {
    const r = await probe.run(params({ target: '127.0.0.1', port: closedPort }), ctx());
    expect(r.ok).toBe(false);
    expect(r.detail).toMatchObject({ status: 'refused', code: 'ECONNREFUSED' });
  });

  it('resolves a name first and reports the address it connected to', async () => {
    const r = await probe.run(params({ target: 'localhost', port: openPort }), ctx());
    // localhost may be ::1 first on some systems; the probe connects to one address and says which.
    expect(['127.0.0.1', '::1']).toContain(r.detail.address);
    expect(r.target).toBe(`localhost:${openPort}`);
  });
});

describe('tcp probe failure mapping', () => {
  it('times out on a silent drop (simulated: a socket that never connects)', async () => {
    const never = (): Socket => new Socket();
    const started = Date.now();
    const r = await createTcpProbe({ connect: never }).run(params({ target: '10.251.1.10', port: 443, timeoutMs: 200 }), ctx());
    expect(Date.now() - started).toBeLessThan(1000);
    expect(r.detail).toMatchObject({ status: 'timeout', code: 'ETIMEDOUT', address: '10.251.1.10' });
  });

  it('tells unreachable apart (EHOSTUNREACH from a router)', async () => {
    const unreachable = (): Socket => {
      const s = new Socket();
      setImmediate(() => s.emit('error', Object.assign(new Error('connect EHOSTUNREACH'), { code: 'EHOSTUNREACH' })));
      return s;
    };
    const r = await createTcpProbe({ connect: unreachable }).run(params({ target: '10.251.1.10', port: 443 }), ctx());
    expect(r.detail).toMatchObject({ status: 'unreachable', code: 'EHOSTUNREACH' });
  });

  it('stops when aborted', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const r = await createTcpProbe({ connect: () => new Socket() }).run(params({ target: '10.251.1.10', port: 443 }), {
      signal: ac.signal,
      deadline: Date.now() + 5000,
    });
    expect(r.detail.status).toBe('timeout');
  });

  it.each([
    ['ECONNREFUSED', 'refused'],
    ['ETIMEDOUT', 'timeout'],
    ['EHOSTUNREACH', 'unreachable'],
    ['ENETUNREACH', 'unreachable'],
    ['EPERM', 'error'],
    [undefined, 'error'],
  ] as const)('maps %s to %s', (code, status) => {
    expect(tcpStatusOf(code)).toBe(status);
  });

  it('refuses targets that are not addresses or names', () => {
    expect(TcpParamsSchema.safeParse({ target: '-oProxyCommand=x', port: 443 }).success).toBe(false);
    expect(TcpParamsSchema.safeParse({ target: '127.0.0.1', port: 70000 }).success).toBe(false);
  });
});
