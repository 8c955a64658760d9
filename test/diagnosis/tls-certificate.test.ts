/**
 * tls-certificate and tls-handshake-failed from real TLS listeners on loopback (127.0.0.2): the TLS probe
 * observes, the rules judge. Certificates are made with openssl at test time (see test/probes/tls-cert.ts).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/diagnosis/rules.js';
import { createTlsProbe, TlsResultSchema, type TlsResult } from '../../src/probes/tls.js';
import { ctx, hasTool } from '../probes/helpers.js';
import { caSignedCertificate, selfSignedCertificate } from '../probes/tls-cert.js';
import { ENV, healthy, input, withOutcomes } from './synthetic.js';

const ADDR = '127.0.0.2';
const hasOpenssl = hasTool('openssl');
const probe = createTlsProbe();
const servers: (TlsServer | TcpServer)[] = [];
let dir: string;

async function listen(server: TlsServer | TcpServer): Promise<number> {
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, ADDR, () => r()));
  return (server.address() as { port: number }).port;
}

const ports: Record<'inspected' | 'selfSigned' | 'notTls', number> = { inspected: 0, selfSigned: 0, notTls: 0 };
let caFile: string;

beforeAll(async () => {
  if (!hasOpenssl) return;
  dir = mkdtempSync(join(tmpdir(), 'vpn-doctor-tlscert-'));
  // What a TLS-inspecting proxy presents: a certificate for the right name from an issuer of its own,
  // and (made here to test the expiry rule on a real certificate) valid for 5 more days.
  const inspected = await caSignedCertificate(ENV, { days: 5 });
  const selfSigned = await selfSignedCertificate(ENV);
  if (!inspected || !selfSigned) throw new Error('openssl could not make the certificates');
  caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, inspected.ca);
  ports.inspected = await listen(createTlsServer({ key: inspected.key, cert: inspected.cert }, (s) => s.end()));
  ports.selfSigned = await listen(createTlsServer(selfSigned, (s) => s.end()));
  ports.notTls = await listen(createTcpServer((s) => s.destroy()));
});

afterAll(async () => {
  for (const s of servers) await new Promise<void>((r) => s.close(() => r()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The rules' findings for a healthy network whose TLS probe gave this result. */
function judge(result: TlsResult) {
  const i = input();
  return evaluate(i, withOutcomes(healthy(i), { role: 'tls', host: ENV, port: 443, result }));
}

const run = async (port: number, servername = ENV): Promise<TlsResult> =>
  (await probe.run({ target: ADDR, port, servername, timeoutMs: 2000 }, ctx())) as TlsResult;

describe.skipIf(!hasOpenssl)('TLS findings from real listeners', () => {
  it('an issuer this machine does not trust (TLS inspection), expiring in 5 days -> tls-certificate warning, degraded', async () => {
    const r = await run(ports.inspected);
    expect(r.detail).toMatchObject({
      status: 'handshake-ok',
      verified: false,
      verifyError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      hostnameError: null,
    });
    const { verdict, findings } = judge(r);
    expect(verdict).toBe('degraded');
    expect(findings.map((f) => `${f.code}/${f.severity}/${f.topic}`)).toEqual(['tls-certificate/warning/testing-connectivity']);
    const f = findings[0]!;
    expect(f.summary).toMatch(
      /issued by CN=vpn-doctor test inspection CA, which this machine does not trust \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)/,
    );
    expect(f.summary).toMatch(/it expires in [45] days/);
    expect(f.summary).toMatch(/TLS inspection by a corporate proxy/);
    expect(f.evidence.map((e) => e.fact)).toContain(
      'verification error: UNABLE_TO_VERIFY_LEAF_SIGNATURE; issuer CN=vpn-doctor test inspection CA',
    );
  });

  it('a certificate for another name -> tls-certificate with the hostname error', async () => {
    const r = await run(ports.inspected, 'other.outsystemsenterprise.com');
    const f = judge(r).findings[0]!;
    expect(f.code).toBe('tls-certificate');
    expect(f.summary).toMatch(/it is not valid for acme-dev\.outsystemsenterprise\.com \(Hostname\/IP does not match/);
    expect(f.evidence.some((e) => e.fact.startsWith('hostname error: Hostname/IP does not match'))).toBe(true);
  });

  it('a self-signed certificate -> tls-certificate (untrusted issuer)', async () => {
    const f = judge(await run(ports.selfSigned)).findings;
    expect(f.map((x) => x.code)).toEqual(['tls-certificate']);
    expect(f[0]!.summary).toMatch(/does not trust \(DEPTH_ZERO_SELF_SIGNED_CERT\)/);
  });

  it('TCP connects but no TLS answers -> tls-handshake-failed warning, degraded', async () => {
    const r = await run(ports.notTls);
    expect(r.detail.status).toBe('handshake-failed');
    const { verdict, findings } = judge(r);
    expect(findings.map((f) => `${f.code}/${f.severity}`)).toEqual(['tls-handshake-failed/warning']);
    expect(verdict).toBe('degraded');
  });

  it('the same certificate, with its issuer trusted (NODE_EXTRA_CA_CERTS, as the lab runs the check): only the expiry is reported', async () => {
    // NODE_EXTRA_CA_CERTS is read at process start: the probe runs in a child node process.
    const tlsModule = fileURLToPath(new URL('../../src/probes/tls.ts', import.meta.url));
    const script = `
      import { createTlsProbe } from ${JSON.stringify(tlsModule)};
      const r = await createTlsProbe().run({ target: ${JSON.stringify(ADDR)}, port: ${ports.inspected}, servername: ${JSON.stringify(ENV)}, timeoutMs: 2000 },
        { signal: new AbortController().signal, deadline: Date.now() + 3000 });
      process.stdout.write(JSON.stringify(r));`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile },
      timeout: 20_000,
    });
    const r = TlsResultSchema.parse(JSON.parse(stdout)) as TlsResult;
    expect(r.detail).toMatchObject({ status: 'handshake-ok', verified: true, verifyError: null, hostnameError: null });
    const f = judge(r).findings;
    expect(f.map((x) => x.code)).toEqual(['tls-certificate']);
    expect(f[0]!.summary).toMatch(/it expires in [45] days/);
    expect(f[0]!.summary).not.toMatch(/does not trust|TLS inspection/);
  });
});
