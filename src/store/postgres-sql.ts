import pg from 'pg';
import { redactText } from '../evidence/redact.js';
import { numberedPlaceholders, type SqlDb, type SqlSession, type SqlValue } from './sql.js';

// COUNT(*), BIGINT columns (millisecond timestamps) and SUM() come back from pg as strings, since a 64-bit
// integer may not fit a JavaScript number. Ours are counts and epoch milliseconds, far below 2^53.
const INT8_OID = 20;
const NUMERIC_OID = 1700;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID || oid === NUMERIC_OID
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** Any fixed number, the same in every replica: the advisory lock that serialises migrations. */
const SCHEMA_LOCK_KEY = 7_741_020_518;

interface Queryable {
  query(text: string, values?: unknown[]): Promise<pg.QueryResult>;
}

function session(target: Queryable): SqlSession {
  const query = (sql: string, params: readonly SqlValue[]) => target.query(numberedPlaceholders(sql), [...params]);
  return {
    all: async <R>(sql: string, params: readonly SqlValue[] = []) => (await query(sql, params)).rows as R[],
    get: async <R>(sql: string, params: readonly SqlValue[] = []) => (await query(sql, params)).rows[0] as R | undefined,
    run: async (sql: string, params: readonly SqlValue[] = []) => ({ changes: (await query(sql, params)).rowCount ?? 0 }),
    // No parameters: the simple query protocol, which runs several statements at once.
    exec: async (sql: string) => void (await target.query(sql)),
  };
}

export interface PostgresOptions {
  /** Connections in the pool (default 10). */
  max?: number;
  /** An idle connection failed (the server restarted, the network dropped): the pool replaces it. */
  onIdleError?: (err: Error) => void;
}

/**
 * The replicated engine: a pool of connections to one PostgreSQL database. Several vpn-doctor replicas share
 * it, so anything one replica writes the others read at once.
 */
export class PostgresSql implements SqlDb {
  readonly engine = 'postgres' as const;
  readonly location: string;
  private readonly pool: pg.Pool;
  private readonly direct: SqlSession;
  private closed = false;

  constructor(url: string, options: PostgresOptions = {}) {
    this.location = redactText(url);
    this.pool = new pg.Pool({
      connectionString: url,
      max: options.max ?? 10,
      types,
      application_name: 'vpn-doctor',
      // An unreachable server fails startup with a clear error instead of hanging it.
      connectionTimeoutMillis: 10_000,
    });
    this.pool.on('error', (err) => options.onIdleError?.(err));
    this.direct = session(this.pool);
  }

  all<R>(sql: string, params?: readonly SqlValue[]): Promise<R[]> {
    return this.direct.all<R>(sql, params);
  }

  get<R>(sql: string, params?: readonly SqlValue[]): Promise<R | undefined> {
    return this.direct.get<R>(sql, params);
  }

  run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }> {
    return this.direct.run(sql, params);
  }

  exec(sql: string): Promise<void> {
    return this.direct.exec(sql);
  }

  async transaction<T>(fn: (tx: SqlSession) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await fn(session(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((err: Error) => (broken = err));
      throw error;
    } finally {
      // A connection whose rollback failed is in an unknown state: the pool discards it.
      client.release(broken);
    }
  }

  async withSchemaLock<T>(fn: () => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [SCHEMA_LOCK_KEY]);
      try {
        return await fn();
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [SCHEMA_LOCK_KEY]);
      }
    } finally {
      client.release();
    }
  }

  async schemaVersion(s: SqlSession = this.direct): Promise<number> {
    const table = await s.get<{ t: string | null }>("SELECT to_regclass('schema_version')::text AS t");
    if (!table?.t) return 0;
    return (await s.get<{ version: number }>('SELECT version FROM schema_version'))?.version ?? 0;
  }

  async setSchemaVersion(s: SqlSession, version: number): Promise<void> {
    await s.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
    await s.run('DELETE FROM schema_version');
    await s.run('INSERT INTO schema_version (version) VALUES (?)', [version]);
  }

  get open(): boolean {
    return !this.closed;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
