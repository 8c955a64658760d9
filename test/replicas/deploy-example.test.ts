import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/env.js';

/**
 * The deployment example of docs/replicas.md, exercised where a test can: the environment file goes
 * through the server's own configuration schema, and the nginx configuration through `nginx -t` (with
 * a throw-away certificate in place of the example's paths) when nginx is installed.
 */
const DIR = join(import.meta.dirname, '../../docs/replicas');

/** KEY=VALUE lines as systemd's EnvironmentFile and docker --env-file read them (comments and blanks skipped). */
function readEnvFile(path: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const eq = trimmed.indexOf('=');
    expect(eq, `not KEY=VALUE: ${line}`).toBeGreaterThan(0);
    env[trimmed.slice(0, eq)] = trimmed.slice(eq + 1);
  }
  return env;
}

describe('replica deployment example', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'vpn-doctor-deploy-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('replica.env is a valid configuration and says what the docs say', () => {
    const env = readEnvFile(join(DIR, 'replica.env'));
    const config = loadConfig(env);
    expect(config.replicaName).toBe('replica-a');
    expect(config.host).toBe('10.20.0.11');
    expect(config.port).toBe(3978);
    expect(config.slack?.mode).toBe('http');
    expect(config.retention).toBeDefined();
    expect(env.VPN_DOCTOR_DATABASE_URL).toMatch(/^postgres:\/\/.+sslmode=require$/);
    // Every variable of the example is one the server documents (a typo would be silently ignored).
    const documented = readFileSync(join(import.meta.dirname, '../../.env.example'), 'utf8');
    for (const key of Object.keys(env)) expect(documented, key).toContain(key);
  });

  it('a bad replica name in the example would stop the server with the variable named', () => {
    const env = { ...readEnvFile(join(DIR, 'replica.env')), VPN_DOCTOR_REPLICA_NAME: 'replica a' };
    expect(() => loadConfig(env)).toThrow(/VPN_DOCTOR_REPLICA_NAME/);
  });

  const nginx = spawnSync('sh', ['-c', 'command -v nginx || ls /usr/sbin/nginx'], { encoding: 'utf8' }).stdout.trim().split('\n')[0];
  it.skipIf(!nginx)('nginx.conf passes nginx -t (WebSocket upgrade, TLS, upstream of two replicas)', () => {
    const cert = join(tmp, 'cert.pem');
    const key = join(tmp, 'key.pem');
    const made = spawnSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=vpn-doctor.example.com'],
      { encoding: 'utf8' },
    );
    expect(made.status, made.stderr).toBe(0);
    const text = readFileSync(join(DIR, 'nginx.conf'), 'utf8')
      .replace('/etc/ssl/vpn-doctor/fullchain.pem', cert)
      .replace('/etc/ssl/vpn-doctor/privkey.pem', key)
      .replace('/run/vpn-doctor-nginx.pid', join(tmp, 'nginx.pid'));
    expect(text).toContain('proxy_set_header Upgrade $http_upgrade');
    const conf = join(tmp, 'nginx.conf');
    writeFileSync(conf, text);
    const checked = spawnSync(nginx!, ['-t', '-q', '-e', join(tmp, 'error.log'), '-c', conf, '-p', tmp], { encoding: 'utf8' });
    expect(checked.status, `${checked.stderr}${checked.stdout}`).toBe(0);
  });
});
