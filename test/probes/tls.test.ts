import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTlsProbe, TlsDetailSchema, TlsParamsSchema } from '../../src/probes/tls.js';
import { startSilentTcp } from './dns-server.js';
import { ctx, hasTool } from './helpers.js';
import { selfSignedCertificate } from './tls-cert.js';

const ENV = 'acme-dev.outsystemsenterprise.com';
const params = (p: Record<string, unknown>) => TlsParamsSchema.parse(p);
const probe = createTlsProbe();
const hasOpenssl = hasTool('openssl');

let tls: TlsServer;
let tlsPort: number;
let seenServernames: string[] = [];
let plain: TcpServer;
let plainPort: number;

beforeAll(async () => {
  if (!hasOpenssl) return;
  const pair = await selfSignedCertificate(ENV);
  if (!pair) throw new Error('openssl could not make a certificate');
  tls = createTlsServer(
    {
      ...pair,
      // Runs on the ClientHello, before the client can hang up: records the SNI the probe sent.
      SNICallback: (name, cb) => {
        seenServernames.push(name);
        cb(null, undefined);
      },
    },
    (s) => s.end(),
  );
  await new Promise<void>((r) => tls.listen(0, '127.0.0.1', () => r()));
  tlsPort = (tls.address() as { port: number }).port;
  // A plain TCP server that hangs up at once: not TLS.
  plain = createTcpServer((s) => s.destroy());
  await new Promise<void>((r) => plain.listen(0, '127.0.0.1', () => r()));
  plainPort = (plain.address() as { port: number }).port;
});

afterAll(async () => {
  if (!hasOpenssl) return;
  await new Promise<void>((r) => tls.close(() => r()));
  await new Promise<void>((r) => plain.close(() => r()));
});

describe.skipIf(!hasOpenssl)('tls probe on loopback', () => {
  it('completes the handshake with SNI and reports the certificate, unverified but not failed', async () => {
    seenServernames = [];
    const r = await probe.run(params({ target: '127.0.0.1', port: tlsPort, servername: ENV }), ctx());
    expect(r).toMatchObject({ kind: 'tls', ok: true, backend: 'node-tls', target: `127.0.0.1:${tlsPort} (${ENV})` });
    expect(seenServernames).toEqual([ENV]);
    expect(r.detail.status).toBe('handshake-ok');
    expect(r.detail.protocol).toMatch(/^TLSv1\.[23]$/);
    expect(r.detail.certificate).toMatchObject({
      subject: `CN=${ENV}, O=vpn-doctor test`,
      issuer: `CN=${ENV}, O=vpn-doctor test`,
      selfSigned: true,
      subjectAltNames: [`DNS:${ENV}`],
    });
    expect(r.detail.certificate!.daysLeft).toBeGreaterThanOrEqual(1);
    expect(r.detail.verified).toBe(false);
    expect(r.detail.verifyError).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(r.detail.hostnameError).toBeNull();
    expect(TlsDetailSchema.parse(r.detail)).toEqual(r.detail);
  });

  it('reports a certificate for another name', async () => {
    const r = await probe.run(params({ target: '127.0.0.1', port: tlsPort, servername: 'other.outsystemsenterprise.com' }), ctx());
    expect(r.ok).toBe(true);
    expect(r.detail.hostnameError).toMatch(/other\.outsystemsenterprise\.com/);
  });

  it('tells a failed handshake after a good TCP connection', async () => {
    const r = await probe.run(params({ target: '127.0.0.1', port: plainPort, servername: ENV }), ctx());
    expect(r.ok).toBe(false);
    expect(r.detail.status).toBe('handshake-failed');
  });

  it('tells a stalled handshake (TCP up, no TLS answer) within its timeout', async () => {
    const stalled = await startSilentTcp();
    const started = Date.now();
    const r = await probe.run(params({ target: '127.0.0.1', port: stalled.port, servername: ENV, timeoutMs: 300 }), ctx());
    await stalled.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(r.detail).toMatchObject({ status: 'handshake-failed', code: 'ETIMEDOUT' });
  });

  it('tells a refused connection', async () => {
    const tmp = createTcpServer();
    await new Promise<void>((r) => tmp.listen(0, '127.0.0.1', () => r()));
    const port = (tmp.address() as { port: number }).port;
    await new Promise<void>((r) => tmp.close(() => r()));
    const r = await probe.run(params({ target: '127.0.0.1', port, servername: ENV }), ctx());
    expect(r.detail).toMatchObject({ status: 'refused', code: 'ECONNREFUSED' });
  });
});
