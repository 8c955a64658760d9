import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AddressLimits, keyOf } from '../../src/server/address-limits.js';
import { captureLogger } from '../agents/helpers.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

/** A server whose handler holds every request until `release()`, behind the limits. */
async function holdingServer(maxConnections: number, maxRequests: number) {
  const held: (() => void)[] = [];
  const server = createServer((_req, res) => held.push(() => res.end('ok')));
  servers.push(server);
  const { log, lines } = captureLogger();
  const refused: string[] = [];
  new AddressLimits({ maxConnections, maxRequests, log, onRefused: (w) => refused.push(w) }).attach(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const get = (localAddress: string) =>
    new Promise<number>((resolve) => {
      const req = request({ port, host: '127.0.0.1', localAddress, agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', () => resolve(0));
      req.end();
    });
  return { get, release: () => held.splice(0).forEach((f) => f()), held, refused, lines };
}

const waitFor = async (p: () => boolean) => {
  for (let i = 0; i < 200 && !p(); i++) await new Promise((r) => setTimeout(r, 10));
};

describe('per-address limits', () => {
  it('answers 429 beyond the requests in progress of one address, counts others apart, and frees places as responses end', async () => {
    const s = await holdingServer(0, 2);
    const first = [s.get('127.0.0.2'), s.get('127.0.0.2')];
    await waitFor(() => s.held.length === 2);
    expect(await s.get('127.0.0.2')).toBe(429);
    const other = s.get('127.0.0.3');
    await waitFor(() => s.held.length === 3);
    s.release();
    expect(await Promise.all([...first, other])).toEqual([200, 200, 200]);
    expect(await Promise.race([s.get('127.0.0.2'), waitFor(() => s.held.length === 1).then(() => (s.release(), -1))])).toBe(-1);
    expect(s.refused).toEqual(['request']);
    expect(s.lines.filter((l) => /too many from one address/.test(String(l.msg)))).toHaveLength(1);
  });

  it('refuses connections beyond the cap of one address with a 429 before reading them', async () => {
    const s = await holdingServer(2, 0);
    const first = [s.get('127.0.0.2'), s.get('127.0.0.2')];
    await waitFor(() => s.held.length === 2);
    expect(await s.get('127.0.0.2')).toBe(429);
    expect(s.held).toHaveLength(2);
    s.release();
    expect(await Promise.all(first)).toEqual([200, 200]);
    expect(s.refused).toEqual(['connection']);
  });

  it('counts IPv4-mapped addresses as IPv4 and IPv6 per /64', () => {
    expect(keyOf('::ffff:10.1.2.3')).toBe('10.1.2.3');
    expect(keyOf('2001:db8:1:2:aaaa::1')).toBe(keyOf('2001:db8:1:2:bbbb:cccc:dddd:eeee'));
    expect(keyOf('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(keyOf('2001:db8:1:3::1')).not.toBe(keyOf('2001:db8:1:2::1'));
  });
});
