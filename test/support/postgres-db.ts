import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { inject } from 'vitest';
import { findPostgresBin } from './postgres.js';

/** True when the run has a PostgreSQL server (always in CI); use with describe.skipIf(!hasPostgres()). */
export function hasPostgres(): boolean {
  return inject('postgresHost') !== '';
}

/**
 * A fresh, empty database in the run's PostgreSQL server, for one test file or one test: returns its
 * connection string (postgres://postgres@/<name>?host=<socket folder>).
 */
export function createTestDatabase(prefix = 'vpnd'): string {
  const host = inject('postgresHost');
  if (!host) throw new Error('no PostgreSQL server in this run (see test/support/postgres-global-setup.ts)');
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const psql = join(findPostgresBin()!, 'psql');
  const created = spawnSync(
    psql,
    ['-h', host, '-U', 'postgres', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-c', `CREATE DATABASE ${name}`],
    {
      encoding: 'utf8',
    },
  );
  if (created.status !== 0) throw new Error(`CREATE DATABASE ${name} failed: ${created.stderr}`);
  return `postgres://postgres@/${name}?host=${encodeURIComponent(host)}`;
}
