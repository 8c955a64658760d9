import type { Db } from './db.js';

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
  constructor(private readonly db: Db) {}

  /** Idempotent: subscribing twice refreshes the reference (Teams references change over time). */
  upsert(s: Subscription): void {
    this.db
      .prepare(
        `INSERT INTO keepalive_subscriptions (agent, conversation_key, platform, reference, created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (agent, conversation_key) DO UPDATE SET reference = excluded.reference, platform = excluded.platform`,
      )
      .run(s.agent, s.conversationKey, s.platform, JSON.stringify(s.reference), s.createdBy, s.createdAt);
  }

  remove(agent: string, conversationKey: string): boolean {
    return (
      this.db.prepare('DELETE FROM keepalive_subscriptions WHERE agent = ? AND conversation_key = ?').run(agent, conversationKey).changes >
      0
    );
  }

  removeAll(agent: string): number {
    return this.db.prepare('DELETE FROM keepalive_subscriptions WHERE agent = ?').run(agent).changes;
  }

  /**
   * Removes the agent's subscriptions made in one conversation: this platform and channel, whichever
   * thread "here" was typed in (a Slack /vpn command is its user's own thread, yet alerts go to the
   * channel). Subscriptions of other channels and other platforms stay. Returns how many were removed.
   */
  removeInChannel(agent: string, platform: string, channel: string): number {
    const prefix = `${platform}:${channel}:`;
    const keys = this.forAgent(agent)
      .filter(
        (s) => s.platform === platform && s.conversationKey.startsWith(prefix) && !s.conversationKey.slice(prefix.length).includes(':'),
      )
      .map((s) => s.conversationKey);
    const del = this.db.prepare('DELETE FROM keepalive_subscriptions WHERE agent = ? AND conversation_key = ?');
    return this.db.transaction(() => keys.reduce((n, key) => n + del.run(agent, key).changes, 0));
  }

  forAgent(agent: string): Subscription[] {
    return (this.db.prepare('SELECT * FROM keepalive_subscriptions WHERE agent = ? ORDER BY created_at').all(agent) as Row[]).map(toRecord);
  }
}
