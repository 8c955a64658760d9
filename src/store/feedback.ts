import type { Db } from './db.js';

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
  constructor(private readonly db: Db) {}

  insert(e: FeedbackEntry): void {
    this.db
      .prepare('INSERT INTO feedback (at, platform, channel, user, topic, fixed) VALUES (?, ?, ?, ?, ?, ?)')
      .run(e.at, e.platform, e.channel, e.user, e.topic, e.fixed ? 1 : 0);
  }

  /** Per topic: how often the answer fixed it and how often not. */
  summary(): { topic: string | null; fixed: number; notFixed: number }[] {
    return this.db
      .prepare('SELECT topic, SUM(fixed) AS fixed, SUM(1 - fixed) AS notFixed FROM feedback GROUP BY topic ORDER BY topic')
      .all() as { topic: string | null; fixed: number; notFixed: number }[];
  }
}
