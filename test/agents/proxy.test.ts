import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { proxyAgentFor, proxyUrlFor } from '../../src/agents/proxy.js';
import { registerAgent, startAgent, startHub } from './helpers.js';

describe('proxy selection', () => {
  it('uses HTTPS_PROXY for wss://, HTTP_PROXY for ws://, ALL_PROXY for both', () => {
    expect(proxyUrlFor('wss://hub.example.com/agents', { HTTPS_PROXY: 'http://p:3128' })).toBe('http://p:3128');
    expect(proxyUrlFor('wss://hub.example.com/agents', { https_proxy: 'http://p:3128' })).toBe('http://p:3128');
    expect(proxyUrlFor('ws://hub.example.com/agents', { HTTPS_PROXY: 'http://p:3128' })).toBeNull();
    expect(proxyUrlFor('ws://hub.example.com/agents', { HTTP_PROXY: 'http://p:8080' })).toBe('http://p:8080');
    expect(proxyUrlFor('ws://hub.example.com/agents', { ALL_PROXY: 'http://p:1' })).toBe('http://p:1');
    expect(proxyUrlFor('wss://hub.example.com/agents', {})).toBeNull();
  });

  it('honours NO_PROXY (names, suffixes, ports, *)', () => {
    const env = (NO_PROXY: string) => ({ HTTPS_PROXY: 'http://p:3128', NO_PROXY });
    expect(proxyUrlFor('wss://hub.example.com/agents', env('example.com'))).toBeNull();
    expect(proxyUrlFor('wss://hub.example.com/agents', env('.example.com'))).toBeNull();
    expect(proxyUrlFor('wss://hub.example.com/agents', env('*.example.com'))).toBeNull();
    expect(proxyUrlFor('wss://hub.example.com/agents', env('ample.com'))).toBe('http://p:3128');
    expect(proxyUrlFor('wss://hub.example.com:8443/agents', env('hub.example.com:443'))).toBe('http://p:3128');
    expect(proxyUrlFor('wss://hub.example.com/agents', env('*'))).toBeNull();
  });
});

describe('agent through an HTTP CONNECT proxy', () => {
  let proxy: Server | undefined;
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('tunnels the WebSocket through the proxy to the hub', async () => {
    const h = await startHub();
    cleanups.push(() => h.close());
    const connects: string[] = [];
    const sockets = new Set<Socket>();
    proxy = createServer();
    proxy.on('connect', (req, client: Socket, head: Buffer) => {
      connects.push(req.url ?? '');
      const [host, port] = (req.url ?? '').split(':');
      const upstream = connect(Number(port), host!, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client).pipe(upstream);
      });
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('error', () => {});
      }
    });
    await new Promise<void>((r) => proxy!.listen(0, '127.0.0.1', () => r()));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
    cleanups.push(
      () =>
        new Promise<void>((r) => {
          for (const s of sockets) s.destroy();
          proxy!.close(() => r());
        }),
    );

    const httpAgent = proxyAgentFor(h.url, { HTTP_PROXY: proxyUrl });
    expect(httpAgent).toBeDefined();
    const { agent } = startAgent(h.url, await registerAgent(h.store, 'behind-proxy'), 'behind-proxy', { httpAgent: httpAgent! });
    cleanups.push(() => agent.stop({ timeoutMs: 100 }));
    await agent.whenOnline();
    expect(connects).toEqual([`127.0.0.1:${h.port}`]);
    expect(h.hub.isOnline('behind-proxy')).toBe(true);
  });
});
