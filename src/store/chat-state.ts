import type { SqlDb } from './sql.js';

/**
 * Small shared state of the chat adapters, kept in the database so that any replica can answer any request:
 * which deliveries were already taken (Slack retries and replayed signatures, Teams invokes), "Show more"
 * pages and Teams conversation references. Every entry expires; expired rows read as absent and are deleted
 * by the retention sweep (src/store/retention.ts). Values are JSON. Keys are namespaced by their callers.
 */
export class ChatStateRepo {
  constructor(
    private readonly db: SqlDb,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * True for the first caller to remember `key` (until it expires), false for every other one, whichever
   * replica it runs on: one atomic statement, so two replicas handed the same retry never both see true.
   */
  async rememberOnce(key: string, ttlMs: number): Promise<boolean> {
    const now = this.now();
    const { changes } = await this.db.run(
      `INSERT INTO chat_state (key, value, expires_at) VALUES (?, 'true', ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at
       WHERE chat_state.expires_at <= ?`,
      [key, now + ttlMs, now],
    );
    return changes > 0;
  }

  /** Stores (or replaces) a value for `ttlMs`. */
  async put(key: string, value: unknown, ttlMs: number): Promise<void> {
    await this.db.run(
      `INSERT INTO chat_state (key, value, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
      [key, JSON.stringify(value ?? null), this.now() + ttlMs],
    );
  }

  /** The value stored under `key`, or undefined once it expired. */
  async get<T>(key: string): Promise<T | undefined> {
    const row = await this.db.get<{ value: string }>('SELECT value FROM chat_state WHERE key = ? AND expires_at > ?', [key, this.now()]);
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  async delete(key: string): Promise<void> {
    await this.db.run('DELETE FROM chat_state WHERE key = ?', [key]);
  }

  /** Deletes up to `limit` entries that expired before `before` (retention); returns how many went. */
  async prune(before: number, limit: number): Promise<number> {
    const { changes } = await this.db.run(
      'DELETE FROM chat_state WHERE key IN (SELECT key FROM chat_state WHERE expires_at < ? ORDER BY expires_at LIMIT ?)',
      [before, limit],
    );
    return changes;
  }
}
