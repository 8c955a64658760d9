/**
 * The one asynchronous SQL interface both storage engines implement (SQLite embedded, PostgreSQL for
 * replicas). Repositories write each statement once, with `?` placeholders and SQL both engines accept;
 * the few differences (placeholder style, column types in DDL, schema version bookkeeping) live in the
 * engines and in dialect.ts, nowhere else.
 */
export type SqlValue = string | number | null;

/** What a statement can run on: the database itself, or one transaction of it. */
export interface SqlSession {
  /** Every row, as plain column-name objects; the repositories give them their types. */
  all<R>(sql: string, params?: readonly SqlValue[]): Promise<R[]>;
  /** The first row, or undefined. */
  get<R>(sql: string, params?: readonly SqlValue[]): Promise<R | undefined>;
  /** An INSERT, UPDATE or DELETE: `changes` is how many rows it touched. */
  run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }>;
  /** Several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export type Engine = 'sqlite' | 'postgres';

export interface SqlDb extends SqlSession {
  readonly engine: Engine;
  /** Where the data lives, safe to print: a file path, or the connection string without its password. */
  readonly location: string;
  /**
   * Runs fn in one transaction: committed when its promise resolves, rolled back when it rejects. Statements
   * of the transaction go through `tx`; statements through the database itself wait until it ends (SQLite)
   * or run on another connection (PostgreSQL), never inside it.
   */
  transaction<T>(fn: (tx: SqlSession) => Promise<T>): Promise<T>;
  /** Runs fn while holding the engine's schema lock, so two replicas starting together migrate once. */
  withSchemaLock<T>(fn: () => Promise<T>): Promise<T>;
  /** The schema version the database is at (0: empty). */
  schemaVersion(session?: SqlSession): Promise<number>;
  setSchemaVersion(session: SqlSession, version: number): Promise<void>;
  readonly open: boolean;
  close(): Promise<void>;
}

/** `?` placeholders to PostgreSQL's `$1, $2, ...`. Statements are this code base's own: no `?` in literals. */
export function numberedPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}
