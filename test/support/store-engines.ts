import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../../src/store/index.js';
import { PostgresSql } from '../../src/store/postgres-sql.js';
import type { SqlDb } from '../../src/store/sql.js';
import { openSqlite } from '../../src/store/sqlite-sql.js';
import { createTestDatabase, hasPostgres } from './postgres-db.js';

/**
 * The two storage engines, for suites that must pass on both: `describe.each(ENGINES)` with
 * `describe.skipIf(engine.skip)` (PostgreSQL is skipped only outside CI, on a machine without the server).
 */
export interface TestEngine {
  name: 'sqlite' | 'postgres';
  skip: boolean;
  /** A migrated store with every table empty. */
  store(): Promise<Store>;
  /** A bare connection to a new, empty database: no migrations run. */
  sql(): SqlDb;
  /**
   * Two stores on one new database, each with its own connection(s), as two replicas (or `serve` and the
   * CLI) have them: a SQLite file opened twice, or two PostgreSQL pools.
   */
  replicas(): Promise<[Store, Store]>;
}

// Creating a PostgreSQL database costs about 0.3 s (more on a busy machine); emptying the tables of one
// made for this test file costs a few milliseconds. Each test file has its own, migrated once.
let fileDatabase: string | undefined;

async function emptyPostgresStore(): Promise<Store> {
  fileDatabase ??= createTestDatabase();
  const store = await Store.open(fileDatabase, { postgres: { max: 4 } });
  const tables = await store.db.all<{ name: string }>(
    "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'schema_version'",
  );
  await store.db.exec(`TRUNCATE ${tables.map((t) => t.name).join(', ')} RESTART IDENTITY`);
  return store;
}

async function sqliteReplicas(): Promise<[Store, Store]> {
  const dir = mkdtempSync(join(tmpdir(), 'vpn-doctor-replicas-'));
  const path = join(dir, 'shared.db');
  const first = await Store.open(path);
  const second = await Store.open(path);
  // The folder goes with the second store: closing both is the test's job (afterEach).
  const close = second.close.bind(second);
  second.close = async () => {
    await close();
    rmSync(dir, { recursive: true, force: true });
  };
  return [first, second];
}

async function postgresReplicas(): Promise<[Store, Store]> {
  const first = await emptyPostgresStore();
  return [first, await Store.open(fileDatabase!, { postgres: { max: 4 } })];
}

export const ENGINES: readonly TestEngine[] = [
  { name: 'sqlite', skip: false, store: () => Store.open(':memory:'), sql: () => openSqlite(':memory:'), replicas: sqliteReplicas },
  {
    name: 'postgres',
    skip: !hasPostgres(),
    store: emptyPostgresStore,
    sql: () => new PostgresSql(createTestDatabase(), { max: 4 }),
    replicas: postgresReplicas,
  },
];
