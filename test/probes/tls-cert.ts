import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * A self-signed certificate made at test time with openssl (node:crypto cannot issue X.509
 * certificates). Returns null when openssl is not installed: the callers skip.
 */
export async function selfSignedCertificate(cn: string): Promise<{ key: Buffer; cert: Buffer } | null> {
  const dir = mkdtempSync(join(tmpdir(), 'vpn-doctor-tls-'));
  try {
    await promisify(execFile)('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
      '-days',
      '30',
      '-subj',
      `/CN=${cn}/O=vpn-doctor test`,
      '-addext',
      `subjectAltName=DNS:${cn}`,
    ]);
    return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  } catch {
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A certificate issued by a CA made for the occasion (not trusted by this machine), as a TLS-inspecting
 * proxy or the lab presents: key and cert for the server, the CA's PEM for whoever should trust it.
 * Null when openssl is not installed.
 */
export async function caSignedCertificate(
  cn: string,
  opts: { days?: number; san?: string } = {},
): Promise<{ key: Buffer; cert: Buffer; ca: Buffer } | null> {
  const dir = mkdtempSync(join(tmpdir(), 'vpn-doctor-tls-'));
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  try {
    const run = promisify(execFile);
    await run('openssl', [
      'req',
      '-x509',
      ...ec,
      '-keyout',
      join(dir, 'ca.key'),
      '-out',
      join(dir, 'ca.pem'),
      '-days',
      '30',
      '-subj',
      '/CN=vpn-doctor test inspection CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    await run('openssl', [
      'req',
      '-x509',
      '-CA',
      join(dir, 'ca.pem'),
      '-CAkey',
      join(dir, 'ca.key'),
      ...ec,
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
      '-days',
      String(opts.days ?? 30),
      '-subj',
      `/CN=${cn}`,
      '-addext',
      `subjectAltName=DNS:${opts.san ?? cn}`,
      '-addext',
      'basicConstraints=critical,CA:FALSE',
    ]);
    return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')), ca: readFileSync(join(dir, 'ca.pem')) };
  } catch {
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
