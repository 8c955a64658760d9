import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Allowlist } from '../../src/agents/allowlist.js';
import { CatalogueExecutor } from '../../src/agents/catalogue-executor.js';
import { guardRequest } from '../../src/agents/job-guard.js';
import { ProbeRequestSchema } from '../../src/probes/catalogue.js';

const ctx = () => ({ signal: new AbortController().signal, deadline: Date.now() + 2000, onProgress: () => {} });
const allow = Allowlist.parse(['10.0.0.0/8', '127.0.0.0/8', '.outsystemsenterprise.com:443'], { ownAddresses: [] });

describe('agent-side validation of job params', () => {
  const executor = new CatalogueExecutor(allow, { resolve: async () => '10.9.9.9', systemResolvers: () => ['10.0.0.53'] });
  const injections = [
    ';id',
    '$(id)',
    '`id`',
    '-oProxyCommand=x',
    '--help',
    'a'.repeat(300),
    `${'a'.repeat(64)}.example.com`,
    '10.0.0.1; rm -rf /',
    '10.0.0.1 -c 1000',
    'fe80::1%eth0',
    '../../etc/passwd',
    '',
  ];

  for (const probe of ['icmp', 'traceroute', 'tcp', 'tls'] as const) {
    it.each(injections)(`${probe}: refuses target %j before anything runs`, async (target) => {
      const out = await executor.execute({ probe, params: { target, port: 443 } }, ctx());
      expect(out).toMatchObject({ status: 'refused', error: { code: 'invalid-params' } });
    });
  }

  it.each(injections)('dns: refuses name %j and server %j', async (bad) => {
    expect(await executor.execute({ probe: 'dns', params: { name: bad, server: '10.0.0.2' } }, ctx())).toMatchObject({
      status: 'refused',
      error: { code: 'invalid-params' },
    });
    expect(await executor.execute({ probe: 'dns', params: { name: 'acme.outsystemsenterprise.com', server: bad } }, ctx())).toMatchObject({
      status: 'refused',
    });
  });

  it('refuses unknown probe kinds and extra shapes', async () => {
    expect(await executor.execute({ probe: 'shell', params: { cmd: 'id' } }, ctx())).toMatchObject({
      status: 'refused',
      error: { code: 'invalid-params' },
    });
    expect(await executor.execute({ probe: 'tcp', params: { target: '10.0.0.1', port: 70000 } }, ctx())).toMatchObject({
      status: 'refused',
    });
    expect(await executor.execute({ probe: 'icmp', params: { target: '10.0.0.1', count: 100000 } }, ctx())).toMatchObject({
      status: 'refused',
    });
  });
});

describe('agent-side allowlist (after resolution)', () => {
  const parse = (r: unknown) => ProbeRequestSchema.parse(r);

  it('refuses targets outside the allowlist with the reason', async () => {
    const g = await guardRequest(parse({ kind: 'tcp', params: { target: '192.168.1.1', port: 22 } }), allow, Date.now() + 1000);
    expect(g).toMatchObject({ ok: false, code: 'not-allowed', reason: expect.stringContaining('192.168.1.1:22 is outside') });
  });

  it('pins a name to the checked address, keeping the name for SNI', async () => {
    const g = await guardRequest(
      parse({ kind: 'tls', params: { target: 'acme.outsystemsenterprise.com', port: 443 } }),
      allow,
      Date.now() + 1000,
      {
        resolve: async () => '52.1.2.3',
      },
    );
    expect(g).toMatchObject({
      ok: true,
      contacted: ['52.1.2.3'],
      request: { params: { target: '52.1.2.3', servername: 'acme.outsystemsenterprise.com' } },
    });
  });

  it('refuses a permitted name that resolves to a protected address (rebinding)', async () => {
    const wide = Allowlist.parse(['.outsystemsenterprise.com'], { ownAddresses: [] });
    for (const evil of ['127.0.0.1', '169.254.169.254', '::1']) {
      const g = await guardRequest(parse({ kind: 'icmp', params: { target: 'acme.outsystemsenterprise.com' } }), wide, Date.now() + 1000, {
        resolve: async () => evil,
      });
      expect(g, evil).toMatchObject({ ok: false, code: 'not-allowed' });
    }
  });

  it('checks the system resolvers a server-less DNS probe would contact', async () => {
    const req = parse({ kind: 'dns', params: { name: 'acme.outsystemsenterprise.com' } });
    expect(await guardRequest(req, allow, Date.now() + 1000, { systemResolvers: () => ['10.0.0.53'] })).toMatchObject({
      ok: true,
      contacted: ['10.0.0.53'],
    });
    expect(await guardRequest(req, allow, Date.now() + 1000, { systemResolvers: () => ['8.8.8.8'] })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('system resolver 8.8.8.8:53'),
    });
    expect(await guardRequest(req, allow, Date.now() + 1000, { systemResolvers: () => ['[::1]:5353'] })).toMatchObject({ ok: false });
  });

  it('reports a failed resolution as a failure, not a refusal', async () => {
    const g = await guardRequest(
      parse({ kind: 'tcp', params: { target: 'nope.outsystemsenterprise.com', port: 443 } }),
      allow,
      Date.now() + 1000,
      {
        resolve: async () => {
          throw new Error('ENOTFOUND');
        },
      },
    );
    expect(g).toMatchObject({ ok: false, code: 'resolve-failed' });
  });
});

describe('catalogue executor runs real probes on loopback', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer((s) => s.end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('connects to an allowed TCP port and returns the probe envelope', async () => {
    const out = await new CatalogueExecutor(allow).execute({ probe: 'tcp', params: { target: '127.0.0.1', port } }, ctx());
    expect(out).toMatchObject({ status: 'ok', result: { kind: 'tcp', ok: true, target: `127.0.0.1:${port}`, detail: { status: 'open' } } });
  });

  it('refuses the same port when loopback is not explicitly allowed', async () => {
    const out = await new CatalogueExecutor(Allowlist.parse(['0.0.0.0/0'])).execute(
      { probe: 'tcp', params: { target: '127.0.0.1', port } },
      ctx(),
    );
    expect(out).toMatchObject({ status: 'refused', error: { code: 'not-allowed', message: expect.stringContaining('loopback') } });
  });
});
