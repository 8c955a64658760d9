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
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '2',
      '-subj', `/CN=${cn}/O=vpn-doctor test`, '-addext', `subjectAltName=DNS:${cn}`,
    ]);
    return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  } catch {
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
