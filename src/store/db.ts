import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import { migrate } from './migrations.js';
import { silenceSqliteExperimentalWarning } from './sqlite-warning.js';

// Node's built-in SQLite (no native build, no compiler on the user's machine). Node 22 announces it as
// experimental once, on load; that notice is filtered before the module loads (and only that one), so a
// newcomer's terminal shows no warning. Loaded with require so the filter is in place first.
silenceSqliteExperimentalWarning();
const sqlite = createRequire(import.meta.url)('node:sqlite') as typeof import('node:sqlite');

/** A prepared statement. Rows come back as plain column-name objects; the repositories give them their types. */
export interface Statement {
  get(...params: SQLInputValue[]): unknown;
  all(...params: SQLInputValue[]): unknown[];
  /** `changes`: how many rows the statement inserted, updated or deleted. */
  run(...params: SQLInputValue[]): { changes: number };
}

/**
 * The store's one SQLite connection: node:sqlite's DatabaseSync plus the two helpers the repositories
 * need that it lacks (PRAGMA values and transactions).
 */
export class Db {
  private depth = 0;

  constructor(private readonly sqlite: DatabaseSync) {}

  prepare(sql: string): Statement {
    const statement = this.sqlite.prepare(sql);
    return {
      get: (...params) => statement.get(...params),
      all: (...params) => statement.all(...params),
      run: (...params) => ({ changes: Number(statement.run(...params).changes) }),
    };
  }

  exec(sql: string): void {
    this.sqlite.exec(sql);
  }

  /**
   * Runs `PRAGMA <statement>` and returns the first column of its row (a read such as `user_version`, or the
   * value a setting reports back such as `journal_mode = WAL` → 'wal'), undefined when it returns no row.
   * The statement is written in this code base, never taken from input.
   */
  pragma(statement: string): unknown {
    const row = this.sqlite.prepare(`PRAGMA ${statement}`).get();
    return row === undefined ? undefined : Object.values(row)[0];
  }

  /**
   * Runs fn inside a transaction: committed when fn returns, rolled back when it throws. BEGIN IMMEDIATE takes
   * the write lock up front (waiting up to busy_timeout), so two processes never deadlock upgrading a read.
   * A nested call becomes a savepoint of the outer transaction.
   */
  transaction<T>(fn: () => T): T {
    const savepoint = this.depth > 0 ? `nested_${this.depth}` : undefined;
    this.sqlite.exec(savepoint ? `SAVEPOINT ${savepoint}` : 'BEGIN IMMEDIATE');
    this.depth++;
    try {
      const result = fn();
      this.sqlite.exec(savepoint ? `RELEASE ${savepoint}` : 'COMMIT');
      return result;
    } catch (error) {
      this.sqlite.exec(savepoint ? `ROLLBACK TO ${savepoint}; RELEASE ${savepoint}` : 'ROLLBACK');
      throw error;
    } finally {
      this.depth--;
    }
  }

  get open(): boolean {
    return this.sqlite.isOpen;
  }

  close(): void {
    this.sqlite.close();
  }
}

/** A bare connection: no pragmas, no migrations (tests of the migrations themselves start here). */
export function connect(path: string): Db {
  return new Db(new sqlite.DatabaseSync(path));
}

/**
 * Opens (creating if needed) the SQLite database and brings its schema up to date.
 * WAL lets the CLI (`agents add`, `agents list`) read and write while `serve` holds the file open;
 * synchronous=NORMAL is durable across process crashes in WAL mode, which is the failure we care about.
 */
export function openDatabase(path: string): Db {
  if (path !== ':memory:' && !path.startsWith('file:')) createPrivately(path);
  const db = connect(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // Another process (the CLI) may hold the write lock for a moment: wait rather than fail.
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

/** Owner-only permissions: the audit log names users, channels and the hosts they checked. */
export const DB_FILE_MODE = 0o600;
export const DB_DIR_MODE = 0o700;

/**
 * Creates the database folder (0700, only the folders created here) and file (0600) before SQLite does,
 * since SQLite would create the file with 0644 under a usual umask; its -wal and -shm files take the
 * database file's permissions. An existing database (and journal files) readable by others is tightened.
 */
function createPrivately(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: DB_DIR_MODE });
  if (!existsSync(path)) closeSync(openSync(path, 'a', DB_FILE_MODE));
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    try {
      if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, DB_FILE_MODE);
    } catch {
      // missing journal file, or a file system without POSIX permissions: nothing to tighten
    }
  }
}
