import { afterEach, describe, expect, it } from 'vitest';
import { renderDdl } from '../../src/store/dialect.js';
import { MIGRATIONS, SchemaTooNewError, migrate } from '../../src/store/migrations.js';
import type { SqlDb } from '../../src/store/sql.js';
import { ENGINES } from '../support/store-engines.js';

const open: SqlDb[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) await db.close();
});

describe('the DDL dialect', () => {
  it('renders every migration for both engines, with no token left', () => {
    for (const m of MIGRATIONS) {
      for (const engine of ['sqlite', 'postgres'] as const) expect(renderDdl(m.sql, engine)).not.toMatch(/\{\w+\}/);
    }
    expect(renderDdl('x {int}, y {real}', 'postgres')).toBe('x BIGINT, y DOUBLE PRECISION');
    expect(() => renderDdl('{nope}', 'sqlite')).toThrow('unknown DDL token {nope}');
  });
});

describe.each(ENGINES)('the $name engine', (engine) => {
  describe.skipIf(engine.skip)('transactions and migrations', () => {
    const sql = () => {
      const db = engine.sql();
      open.push(db);
      return db;
    };
    const names = (db: SqlDb, table: string) =>
      db.engine === 'sqlite'
        ? db.all<{ name: string }>(`SELECT name FROM pragma_table_info('${table}') ORDER BY cid`)
        : db.all<{ name: string }>(
            `SELECT column_name AS name FROM information_schema.columns WHERE table_name = '${table}' ORDER BY ordinal_position`,
          );

    it('commits a transaction that resolves and hands back its value', async () => {
      const db = sql();
      await db.exec('CREATE TABLE t (x INTEGER)');
      expect(await db.transaction(async (tx) => (await tx.run('INSERT INTO t VALUES (?)', [1])).changes)).toBe(1);
      expect(await db.all('SELECT x FROM t')).toEqual([{ x: 1 }]);
      await db.close();
      expect(db.open).toBe(false);
    });

    it('rolls a rejecting transaction back and rethrows; statements outside it never join it', async () => {
      const db = sql();
      await db.exec('CREATE TABLE t (x INTEGER)');
      let outside: Promise<unknown> | undefined;
      await expect(
        db.transaction(async (tx) => {
          await tx.run('INSERT INTO t VALUES (?)', [1]);
          // Another caller writes while the transaction is open: its row must survive the rollback.
          outside = db.run('INSERT INTO t VALUES (?)', [2]);
          await new Promise((resolve) => setTimeout(resolve, 20));
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      await outside;
      expect(await db.all('SELECT x FROM t ORDER BY x')).toEqual([{ x: 2 }]);
      // The connection is usable afterwards: no transaction was left open.
      expect(await db.transaction(async (tx) => (await tx.run('INSERT INTO t VALUES (?)', [3])).changes)).toBe(1);
    });

    it('applies migrations in order, each with its version, and runs nothing twice', async () => {
      const db = sql();
      const steps = [
        { version: 1, name: 'one', sql: 'CREATE TABLE a (x {int})' },
        { version: 2, name: 'two', sql: 'ALTER TABLE a ADD COLUMN y TEXT' },
      ];
      expect(await migrate(db, steps)).toBe(2);
      expect(await names(db, 'a')).toEqual([{ name: 'x' }, { name: 'y' }]);
      expect(await migrate(db, steps)).toBe(2);
    });

    it('rolls a failing migration back entirely', async () => {
      const db = sql();
      await migrate(db, [{ version: 1, name: 'one', sql: 'CREATE TABLE a (x INTEGER)' }]);
      await expect(
        migrate(db, [
          { version: 1, name: 'one', sql: 'CREATE TABLE a (x INTEGER)' },
          { version: 2, name: 'bad', sql: 'CREATE TABLE b (x INTEGER); THIS IS NOT SQL' },
        ]),
      ).rejects.toThrow();
      expect(await db.schemaVersion()).toBe(1);
      expect(await names(db, 'b')).toEqual([]);
    });

    it('refuses a database written by a newer version', async () => {
      const db = sql();
      await db.transaction((tx) => db.setSchemaVersion(tx, 99));
      await expect(migrate(db)).rejects.toThrow(SchemaTooNewError);
    });

    it('migrates once when two servers start together on one database', async () => {
      const db = sql();
      // Both at once: on PostgreSQL over two pooled connections, the advisory lock lets one migrate; on
      // SQLite the second reads the version again inside its own transaction and finds nothing to do.
      const versions = await Promise.all([migrate(db), migrate(db)]);
      expect(versions).toEqual([MIGRATIONS.at(-1)!.version, MIGRATIONS.at(-1)!.version]);
      expect((await names(db, 'chat_state')).map((c) => c.name)).toEqual(['key', 'value', 'expires_at']);
    });
  });
});
