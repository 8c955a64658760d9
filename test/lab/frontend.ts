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
}

/** A self-signed certificate for the environment name (P-256: quick to make). */
export async function makeCertificate(dir: string, host: string): Promise<Tls> {
  const cert = join(dir, 'frontend.crt');
  const key = join(dir, 'frontend.key');
  await must('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', key, '-out', cert, '-days', '2', '-subj', `/CN=${host}`, '-addext', `subjectAltName=DNS:${host}`,
  ]);
  return { cert, key };
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
