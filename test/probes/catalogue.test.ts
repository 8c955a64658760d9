import { describe, expect, it } from 'vitest';
import {
  catalogue,
  createProbeRunner,
  ProbeRequestError,
  ProbeResultSchema,
  runProbe,
  type Catalogue,
} from '../../src/probes/catalogue.js';
import { PROBE_KINDS } from '../../src/probes/types.js';
import { ctx } from './helpers.js';

describe('probe catalogue', () => {
  it('has one probe per kind, each naming its own kind', () => {
    expect(Object.keys(catalogue).sort()).toEqual([...PROBE_KINDS].sort());
    for (const kind of PROBE_KINDS) expect(catalogue[kind].kind).toBe(kind);
  });

  it.each([
    { kind: 'icmp', params: { target: ';id' } },
    { kind: 'icmp', params: { target: '$(id)' } },
    { kind: 'traceroute', params: { target: '-oProxyCommand=x' } },
    { kind: 'dns', params: { name: 'a'.repeat(254) } },
    { kind: 'dns', params: { name: 'acme.outsystemsenterprise.com', server: 'not-an-ip' } },
    { kind: 'tcp', params: { target: '127.0.0.1', port: 0 } },
    { kind: 'tls', params: { target: '127.0.0.1', servername: '--help' } },
    { kind: 'shell', params: { command: 'id' } },
  ])('refuses the request $kind $params before running anything', async (request) => {
    await expect(runProbe(request as never, ctx())).rejects.toBeInstanceOf(ProbeRequestError);
  });

  it('returns a valid result envelope for each kind (loopback)', async () => {
    const r = await runProbe({ kind: 'tcp', params: { target: '127.0.0.1', port: 1 } }, ctx());
    expect(ProbeResultSchema.parse(r)).toEqual(r);
  });

  it('turns a probe that throws into a failed result', async () => {
    const broken: Catalogue = {
      ...catalogue,
      tcp: {
        ...catalogue.tcp,
        run: async () => {
          throw new Error('boom');
        },
      },
    };
    const r = await createProbeRunner(broken)({ kind: 'tcp', params: { target: '127.0.0.1', port: 9 } }, ctx());
    expect(r).toMatchObject({ kind: 'tcp', ok: false, backend: 'none', target: '127.0.0.1:9', error: 'probe failed: boom' });
    expect(ProbeResultSchema.parse(r)).toBeTruthy();
  });

  it('does not wait for a probe that overruns its deadline', async () => {
    const stuck: Catalogue = { ...catalogue, dns: { ...catalogue.dns, run: () => new Promise(() => {}) } };
    const started = Date.now();
    const r = await createProbeRunner(stuck)(
      { kind: 'dns', params: { name: 'acme.outsystemsenterprise.com', server: '127.0.0.1' } },
      ctx(100),
    );
    expect(Date.now() - started).toBeLessThan(2500);
    expect(r).toMatchObject({
      kind: 'dns',
      ok: false,
      target: 'acme.outsystemsenterprise.com @127.0.0.1',
      error: expect.stringMatching(/deadline/),
    });
  });
});
