import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { findPostgresBin } from '../support/postgres.js';
import { createTestDatabase, hasPostgres } from '../support/postgres-db.js';

describe.skipIf(!hasPostgres())('the test PostgreSQL server', () => {
  it('gives each caller its own empty database reachable over the socket', () => {
    // node's URL cannot parse a host-less postgres:// string; the database name is its path.
    const name = (url: string) => /^postgres:\/\/postgres@\/([a-z0-9_]+)\?host=/.exec(url)![1]!;
    const first = name(createTestDatabase());
    const second = name(createTestDatabase());
    expect(first).not.toBe(second);
    const host = inject('postgresHost');
    const psql = spawnSync(
      join(findPostgresBin()!, 'psql'),
      ['-h', host, '-U', 'postgres', '-d', first, '-tAc', 'SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()'],
      { encoding: 'utf8' },
    );
    expect(psql.stderr).toBe('');
    expect(psql.stdout.trim()).toBe('0');
  });
});
