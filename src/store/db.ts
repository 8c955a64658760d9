import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { silenceSqliteExperimentalWarning } from './sqlite-warning.js';

// Node's built-in SQLite (no native build, no compiler on the user's machine). Node 22 announces it as
// experimental once, on load; that notice is filtered before the module loads (and only that one), so a
// newcomer's terminal shows no warning. Loaded with require so the filter is in place first.
silenceSqliteExperimentalWarning();
const sqlite = createRequire(import.meta.url)('node:sqlite') as typeof import('node:sqlite');

/**
 * One SQLite connection: node:sqlite's DatabaseSync plus PRAGMA values. Statements and transactions go
 * through the asynchronous engine over it (src/store/sqlite-sql.ts).
 */
export class Db {
  constructor(private readonly sqlite: DatabaseSync) {}

  /** node:sqlite's own connection, for the asynchronous engine (src/store/sqlite-sql.ts) that caches statements. */
  get raw(): DatabaseSync {
    return this.sqlite;
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
 * Opens (creating if needed) the SQLite database; migrations run next (src/store/migrations.ts).
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
