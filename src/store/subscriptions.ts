import type { SqlDb } from './sql.js';

/** A conversation that asked for keep-alive alerts of one agent ("keepalive on AGENT here"). */
export interface Subscription {
  agent: string;
  /** platform:channel:thread, as `Assistant.conversationKey` builds it. */
  conversationKey: string;
  platform: string;
  /** Whatever the chat adapter needs to post into that conversation later (Slack channel/thread, Teams ConversationReference). */
  reference: unknown;
  createdBy: string;
  createdAt: number;
}

interface Row {
  agent: string;
  conversation_key: string;
  platform: string;
  reference: string;
  created_by: string;
  created_at: number;
}

function toRecord(r: Row): Subscription {
  return {
    agent: r.agent,
    conversationKey: r.conversation_key,
    platform: r.platform,
    reference: JSON.parse(r.reference) as unknown,
    createdBy: r.created_by,
    createdAt: r.created_at,
  };
}

export class SubscriptionRepo {
  constructor(private readonly db: SqlDb) {}

  /** Idempotent: subscribing twice refreshes the reference (Teams references change over time). */
  async upsert(s: Subscription): Promise<void> {
    await this.db.run(
      `INSERT INTO keepalive_subscriptions (agent, conversation_key, platform, reference, created_by, created_at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (agent, conversation_key) DO UPDATE SET reference = excluded.reference, platform = excluded.platform`,
      [s.agent, s.conversationKey, s.platform, JSON.stringify(s.reference), s.createdBy, s.createdAt],
    );
  }

  async remove(agent: string, conversationKey: string): Promise<boolean> {
    const { changes } = await this.db.run('DELETE FROM keepalive_subscriptions WHERE agent = ? AND conversation_key = ?', [
      agent,
      conversationKey,
    ]);
    return changes > 0;
  }

  async removeAll(agent: string): Promise<number> {
    return (await this.db.run('DELETE FROM keepalive_subscriptions WHERE agent = ?', [agent])).changes;
  }

  /**
   * Removes the agent's subscriptions made in one conversation: this platform and channel, whichever
   * thread "here" was typed in (a Slack /vpn command is its user's own thread, yet alerts go to the
   * channel). Subscriptions of other channels and other platforms stay. Returns how many were removed.
   */
  removeInChannel(agent: string, platform: string, channel: string): Promise<number> {
    const prefix = `${platform}:${channel}:`;
    return this.db.transaction(async (tx) => {
      const rows = await tx.all<Row>('SELECT * FROM keepalive_subscriptions WHERE agent = ? AND platform = ?', [agent, platform]);
      const keys = rows.map((r) => r.conversation_key).filter((key) => key.startsWith(prefix) && !key.slice(prefix.length).includes(':'));
      let removed = 0;
      for (const key of keys) {
        removed += (await tx.run('DELETE FROM keepalive_subscriptions WHERE agent = ? AND conversation_key = ?', [agent, key])).changes;
      }
      return removed;
    });
  }

  async forAgent(agent: string): Promise<Subscription[]> {
    return (await this.db.all<Row>('SELECT * FROM keepalive_subscriptions WHERE agent = ? ORDER BY created_at', [agent])).map(toRecord);
  }
}
