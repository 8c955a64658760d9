/** Starts the environment front-end listeners (see frontend-server.ts) and makes their TLS certificate. */
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { must, startDaemon, type Daemon } from './exec.js';
import { waitForListener } from './listen.js';

const HERE = dirname(fileURLToPath(import.meta.url));
/** The project root: `--import tsx` is resolved from the working directory, so servers start there. */
export const REPO_ROOT = join(HERE, '..', '..');

export interface Tls {
  cert: string;
  key: string;
  /** The lab's CA, which issued `cert`: the check trusts it through NODE_EXTRA_CA_CERTS. */
  ca: string;
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/**
 * The front-end's certificate as a real environment has one: issued by a CA (the lab's own, made here),
 * with the environment name as its subject alternative name. A check that trusts the lab CA
 * (NODE_EXTRA_CA_CERTS) verifies it, so a healthy lab is healthy because HTTPS verifies, and a check that
 * does not trust it sees what TLS inspection by a corporate proxy looks like: an untrusted issuer.
 * P-256 keys: quick to make.
 */
export async function makeCertificate(dir: string, host: string): Promise<Tls> {
  const ca = join(dir, 'lab-ca.crt');
  const caKey = join(dir, 'lab-ca.key');
  const cert = join(dir, 'frontend.crt');
  const key = join(dir, 'frontend.key');
  await must('openssl', [
    'req',
    '-x509',
    ...EC,
    '-keyout',
    caKey,
    '-out',
    ca,
    '-days',
    '30',
    '-subj',
    '/CN=vpn-doctor lab CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  await must('openssl', [
    'req',
    '-x509',
    '-CA',
    ca,
    '-CAkey',
    caKey,
    ...EC,
    '-keyout',
    key,
    '-out',
    cert,
    '-days',
    '30',
    '-subj',
    `/CN=${host}`,
    '-addext',
    `subjectAltName=DNS:${host}`,
    '-addext',
    'basicConstraints=critical,CA:FALSE',
    '-addext',
    'extendedKeyUsage=serverAuth',
  ]);
  return { cert, key, ca };
}

/** One listener process for `port` on every address in `addrs`; resolves once all are bound. */
export async function startFrontEnd(ns: string, dir: string, addrs: readonly string[], port: number, tls?: Tls): Promise<Daemon> {
  const args = ['--import', 'tsx', join(HERE, 'frontend-server.ts')];
  for (const a of addrs) args.push('--listen', `${a}:${port}`);
  if (tls) args.push('--cert', tls.cert, '--key', tls.key);
  const d = startDaemon(`front-end :${port}@${ns}`, ns, process.execPath, args, {
    logPath: join(dir, `frontend-${port}.log`),
    cwd: REPO_ROOT,
  });
  for (const a of addrs) await waitForListener(ns, 'tcp', a, port, d);
  return d;
}
