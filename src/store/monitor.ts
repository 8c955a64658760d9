import type { SqlDb } from './sql.js';

export interface MonitorEventRecord {
  agent: string;
  /** Chosen by the agent, so an event re-sent after a reconnect is stored once. */
  eventId: string;
  kind: 'up' | 'down';
  target: string;
  at: number;
  sent: number;
  received: number;
  /** 0..1 over the window that decided the transition. */
  loss: number;
  rttMs: number | null;
  idleBeforeMs: number | null;
  topic: string | null;
  receivedAt: number;
}

interface Row {
  agent: string;
  event_id: string;
  kind: 'up' | 'down';
  target: string;
  at: number;
  sent: number;
  received: number;
  loss: number;
  rtt_ms: number | null;
  idle_before_ms: number | null;
  topic: string | null;
  received_at: number;
}

function toRecord(r: Row): MonitorEventRecord {
  return {
    agent: r.agent,
    eventId: r.event_id,
    kind: r.kind,
    target: r.target,
    at: r.at,
    sent: r.sent,
    received: r.received,
    loss: r.loss,
    rttMs: r.rtt_ms,
    idleBeforeMs: r.idle_before_ms,
    topic: r.topic,
    receivedAt: r.received_at,
  };
}

export class MonitorRepo {
  constructor(private readonly db: SqlDb) {}

  /** Returns false when the event was already stored (a re-sent buffer after a reconnect). */
  async insert(e: MonitorEventRecord): Promise<boolean> {
    const { changes } = await this.db.run(
      `INSERT INTO monitor_events
         (agent, event_id, kind, target, at, sent, received, loss, rtt_ms, idle_before_ms, topic, received_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (agent, event_id) DO NOTHING`,
      [e.agent, e.eventId, e.kind, e.target, e.at, e.sent, e.received, e.loss, e.rttMs, e.idleBeforeMs, e.topic, e.receivedAt],
    );
    return changes > 0;
  }

  async setTopic(agent: string, eventId: string, topic: string | null): Promise<void> {
    await this.db.run('UPDATE monitor_events SET topic = ? WHERE agent = ? AND event_id = ?', [topic, agent, eventId]);
  }

  /** Events of one agent at or after `since`, oldest first: the history the drop-pattern analysis reads. */
  async since(agent: string, since: number): Promise<MonitorEventRecord[]> {
    return (await this.db.all<Row>('SELECT * FROM monitor_events WHERE agent = ? AND at >= ? ORDER BY at, id', [agent, since])).map(
      toRecord,
    );
  }

  /**
   * The latest `limit` events of one kind strictly before `at` (or at `at` with another id), newest first.
   * Served by the (agent, kind, at) index: the analysis reads a few rows whatever the history's size.
   */
  async lastBefore(agent: string, kind: 'up' | 'down', at: number, excludeEventId: string, limit: number): Promise<MonitorEventRecord[]> {
    const rows = await this.db.all<Row>(
      'SELECT * FROM monitor_events WHERE agent = ? AND kind = ? AND at <= ? AND event_id != ? ORDER BY at DESC, id DESC LIMIT ?',
      [agent, kind, at, excludeEventId, limit],
    );
    return rows.map(toRecord);
  }

  /** Deletes up to `limit` events received before `before` (retention); returns how many went. */
  async prune(before: number, limit: number): Promise<number> {
    const { changes } = await this.db.run(
      'DELETE FROM monitor_events WHERE id IN (SELECT id FROM monitor_events WHERE received_at < ? ORDER BY received_at LIMIT ?)',
      [before, limit],
    );
    return changes;
  }

  async count(): Promise<number> {
    return (await this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM monitor_events'))!.n;
  }

  async recent(agent: string, limit = 50): Promise<MonitorEventRecord[]> {
    const rows = await this.db.all<Row>('SELECT * FROM monitor_events WHERE agent = ? ORDER BY at DESC, id DESC LIMIT ?', [agent, limit]);
    return rows.map(toRecord);
  }
}
