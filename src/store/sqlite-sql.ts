import type { StatementSync } from 'node:sqlite';
import { openDatabase, type Db } from './db.js';
import type { SqlDb, SqlSession, SqlValue } from './sql.js';

/**
 * The embedded engine: node:sqlite behind the asynchronous interface. Each statement runs synchronously
 * (a few microseconds on an indexed table, so the event loop is never held long); the promise only lets
 * the same callers work with PostgreSQL. The one connection is shared, so while a transaction is open
 * (across its awaits) other statements wait for it rather than slip into it.
 */
export class SqliteSql implements SqlDb {
  readonly engine = 'sqlite' as const;
  private readonly statements = new Map<string, StatementSync>();
  private busy: Promise<void> | null = null;
  private readonly direct: SqlSession;

  constructor(
    readonly db: Db,
    readonly location: string,
  ) {
    this.direct = {
      all: async (sql, params = []) => this.prepare(sql).all(...params) as never[],
      get: async (sql, params = []) => this.prepare(sql).get(...params) as never,
      run: async (sql, params = []) => ({ changes: Number(this.prepare(sql).run(...params).changes) }),
      exec: async (sql) => this.db.exec(sql),
    };
  }

  /** Statements come from this code base: a bounded set, each prepared once. */
  private prepare(sql: string): StatementSync {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.raw.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private async idle(): Promise<void> {
    while (this.busy) await this.busy;
  }

  async all<R>(sql: string, params: readonly SqlValue[] = []): Promise<R[]> {
    if (this.busy) await this.idle();
    return this.direct.all<R>(sql, params);
  }

  async get<R>(sql: string, params: readonly SqlValue[] = []): Promise<R | undefined> {
    if (this.busy) await this.idle();
    return this.direct.get<R>(sql, params);
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<{ changes: number }> {
    if (this.busy) await this.idle();
    return this.direct.run(sql, params);
  }

  async exec(sql: string): Promise<void> {
    if (this.busy) await this.idle();
    this.db.exec(sql);
  }

  async transaction<T>(fn: (tx: SqlSession) => Promise<T>): Promise<T> {
    // Checked and taken with no await in between, so two callers never both see the connection free.
    while (this.busy) await this.busy;
    let release!: () => void;
    this.busy = new Promise((resolve) => (release = resolve));
    try {
      // BEGIN IMMEDIATE takes the write lock up front (waiting up to busy_timeout), so two processes (serve
      // and the CLI) never deadlock upgrading a read lock.
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(this.direct);
        this.db.exec('COMMIT');
        return result;
      } catch (error) {
        if (this.db.raw.isTransaction) this.db.exec('ROLLBACK');
        throw error;
      }
    } finally {
      this.busy = null;
      release();
    }
  }

  /** One process migrates at a time already: each step runs in a BEGIN IMMEDIATE transaction. */
  withSchemaLock<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }

  async schemaVersion(_session?: SqlSession): Promise<number> {
    return Number(this.db.pragma('user_version'));
  }

  async setSchemaVersion(_session: SqlSession, version: number): Promise<void> {
    this.db.pragma(`user_version = ${Math.trunc(version)}`);
  }

  get open(): boolean {
    return this.db.open;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** Opens (creating if needed) a SQLite database file, or ':memory:', without migrating it. */
export function openSqlite(path: string): SqliteSql {
  return new SqliteSql(openDatabase(path), path);
}
