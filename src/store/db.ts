import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrations.js';

export type Db = Database.Database;

/**
 * Opens (creating if needed) the SQLite database and brings its schema up to date.
 * WAL lets the CLI (`agents add`, `agents list`) read and write while `serve` holds the file open;
 * synchronous=NORMAL is durable across process crashes in WAL mode, which is the failure we care about.
 */
export function openDatabase(path: string): Db {
  if (path !== ':memory:' && !path.startsWith('file:')) createPrivately(path);
  const db = new Database(path);
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
