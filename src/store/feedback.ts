import type { SqlDb } from './sql.js';

export interface FeedbackEntry {
  at: number;
  platform: string;
  channel: string;
  user: string;
  topic: string | null;
  fixed: boolean;
}

/** "fixed it" / "still broken" answers, kept to rank topics later. */
export class FeedbackRepo {
  constructor(private readonly db: SqlDb) {}

  async insert(e: FeedbackEntry): Promise<void> {
    await this.db.run('INSERT INTO feedback (at, platform, channel, "user", topic, fixed) VALUES (?, ?, ?, ?, ?, ?)', [
      e.at,
      e.platform,
      e.channel,
      e.user,
      e.topic,
      e.fixed ? 1 : 0,
    ]);
  }

  /** Per topic: how often the answer fixed it and how often not. */
  summary(): Promise<{ topic: string | null; fixed: number; notFixed: number }[]> {
    // Rows without a topic first on both engines (PostgreSQL would sort NULL last).
    return this.db.all(
      'SELECT topic, SUM(fixed) AS fixed, SUM(1 - fixed) AS "notFixed" FROM feedback GROUP BY topic ORDER BY topic IS NULL DESC, topic',
    );
  }
}
