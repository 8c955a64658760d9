import { createSocket } from 'node:dgram';
import { Packet } from 'dns2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDnsProbe, DnsDetailSchema, DnsParamsSchema, type SystemLookup } from '../../src/probes/dns.js';
import { startDnsServer, startSilentTcp, type TestDnsServer } from './dns-server.js';
import { ctx } from './helpers.js';

const ENV = 'acme-dev.outsystemsenterprise.com';
const params = (p: Record<string, unknown>) => DnsParamsSchema.parse(p);
const probe = createDnsProbe();

let server: TestDnsServer;
beforeAll(async () => {
  server = await startDnsServer({
    [ENV]: { addresses: ['10.251.1.10'], ttl: 30 },
    'public.outsystemsenterprise.com': { addresses: ['203.0.113.10'] },
    'alias.outsystemsenterprise.com': { cname: ENV, addresses: ['10.251.1.10'] },
    'broken.outsystemsenterprise.com': { rcode: Packet.RCODE.SERVFAIL },
    // 40 A records do not fit in 512 bytes: dns2 truncates the UDP answer
    'big.outsystemsenterprise.com': { addresses: Array.from({ length: 40 }, (_, i) => `10.251.2.${i + 1}`) },
  });
});
afterAll(() => server.close());

describe('dns probe against a dns2 server on loopback', () => {
  it('asks the named server for A records and classifies the answers', async () => {
    const r = await probe.run(params({ name: ENV, server: '127.0.0.1', port: server.port }), ctx());
    expect(r).toMatchObject({ kind: 'dns', ok: true, backend: 'dns2-udp', target: `${ENV} @127.0.0.1:${server.port}` });
    expect(r.detail).toMatchObject({ status: 'answered', rcode: 'NOERROR', transport: 'udp', truncated: false, server: '127.0.0.1' });
    expect(r.detail.answers).toEqual([{ name: ENV, type: 'A', address: '10.251.1.10', ttl: 30, scope: 'private', range: 'rfc1918' }]);
    expect(DnsDetailSchema.parse(r.detail)).toEqual(r.detail);
    // always type A, to the server we named: never dns2's defaults (ANY, public resolvers)
    expect(server.questions.at(-1)).toEqual({ name: ENV, type: Packet.TYPE.A, transport: 'udp' });
  });

  it('classifies a public answer as public', async () => {
    const r = await probe.run(params({ name: 'public.outsystemsenterprise.com', server: '127.0.0.1', port: server.port }), ctx());
    expect(r.detail.answers[0]).toMatchObject({ address: '203.0.113.10', scope: 'public' });
  });

  it('follows the CNAME in the answer', async () => {
    const r = await probe.run(params({ name: 'alias.outsystemsenterprise.com', server: '127.0.0.1', port: server.port }), ctx());
    expect(r.detail.cnames).toEqual([ENV]);
    expect(r.detail.answers.map((a) => a.address)).toEqual(['10.251.1.10']);
  });

  it('reports NXDOMAIN and SERVFAIL as answers with their rcode', async () => {
    const nx = await probe.run(params({ name: 'nope.outsystemsenterprise.com', server: '127.0.0.1', port: server.port }), ctx());
    expect(nx.ok).toBe(false);
    expect(nx.detail).toMatchObject({ status: 'answered', rcode: 'NXDOMAIN', answers: [] });
    const sf = await probe.run(params({ name: 'broken.outsystemsenterprise.com', server: '127.0.0.1', port: server.port }), ctx());
    expect(sf.detail).toMatchObject({ status: 'answered', rcode: 'SERVFAIL' });
  });

  it('falls back to TCP when the UDP answer is truncated', async () => {
    const r = await probe.run(params({ name: 'big.outsystemsenterprise.com', server: '127.0.0.1', port: server.port }), ctx());
    expect(r).toMatchObject({ ok: true, backend: 'dns2-udp+tcp' });
    expect(r.detail).toMatchObject({ transport: 'tcp', truncated: true });
    expect(r.detail.answers).toHaveLength(40);
    expect(server.questions.slice(-2).map((q) => q.transport)).toEqual(['udp', 'tcp']);
  });

  it('with transport udp only, reports the truncation instead', async () => {
    const r = await probe.run(
      params({ name: 'big.outsystemsenterprise.com', server: '127.0.0.1', port: server.port, transport: 'udp' }),
      ctx(),
    );
    expect(r.detail).toMatchObject({ transport: 'udp', truncated: true, answers: [] });
  });

  it('can ask over TCP directly', async () => {
    const r = await probe.run(params({ name: ENV, server: '127.0.0.1', port: server.port, transport: 'tcp' }), ctx());
    expect(r).toMatchObject({ ok: true, backend: 'dns2-tcp' });
    expect(r.detail.transport).toBe('tcp');
  });
});

describe('dns probe timeouts', () => {
  it('times out, within its timeout, when the server never answers over UDP', async () => {
    const silent = createSocket('udp4');
    await new Promise<void>((r) => silent.bind(0, '127.0.0.1', () => r()));
    const port = silent.address().port;
    const started = Date.now();
    const r = await probe.run(params({ name: ENV, server: '127.0.0.1', port, timeoutMs: 300 }), ctx());
    silent.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(r.ok).toBe(false);
    expect(r.detail).toMatchObject({ status: 'timeout', code: 'ETIMEDOUT', answers: [] });
  });

  it('bounds the TCP fallback too (a stalled TCP server)', async () => {
    const stalled = await startSilentTcp();
    const started = Date.now();
    const r = await probe.run(params({ name: ENV, server: '127.0.0.1', port: stalled.port, transport: 'tcp', timeoutMs: 300 }), ctx());
    await stalled.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(r.detail).toMatchObject({ status: 'timeout', transport: 'tcp' });
  });

  it('stops when the context deadline comes first', async () => {
    const silent = createSocket('udp4');
    await new Promise<void>((r) => silent.bind(0, '127.0.0.1', () => r()));
    const started = Date.now();
    const r = await probe.run(params({ name: ENV, server: '127.0.0.1', port: silent.address().port, timeoutMs: 5000 }), ctx(200));
    silent.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(r.detail.status).toBe('timeout');
  });
});

describe('dns probe through the system resolver', () => {
  it('resolves localhost through getaddrinfo (no network involved)', async () => {
    const r = await probe.run(params({ name: 'localhost' }), ctx());
    expect(r).toMatchObject({ backend: 'getaddrinfo', target: 'localhost @system', ok: true });
    expect(r.detail).toMatchObject({ status: 'answered', transport: 'system', server: null });
    expect(r.detail.answers[0]).toMatchObject({ address: '127.0.0.1', ttl: null, scope: 'private', range: 'loopback' });
  });

  const failing =
    (code: string): SystemLookup =>
    async () => {
      throw Object.assign(new Error(`getaddrinfo ${code}`), { code });
    };

  it('maps "no such name" to NXDOMAIN', async () => {
    const r = await createDnsProbe({ lookup: failing('ENOTFOUND') }).run(params({ name: ENV }), ctx());
    expect(r.detail).toMatchObject({ status: 'answered', rcode: 'NXDOMAIN', code: 'ENOTFOUND' });
  });

  it('maps a resolver failure to an error', async () => {
    const r = await createDnsProbe({ lookup: failing('EAI_AGAIN') }).run(params({ name: ENV }), ctx());
    expect(r.detail).toMatchObject({ status: 'error', code: 'EAI_AGAIN', rcode: null });
  });

  it('gives up waiting for a resolver that hangs', async () => {
    const hang: SystemLookup = () => new Promise(() => {});
    const r = await createDnsProbe({ lookup: hang }).run(params({ name: ENV, timeoutMs: 200 }), ctx());
    expect(r.detail.status).toBe('timeout');
  });
});
