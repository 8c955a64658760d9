import type { SqlDb } from './sql.js';

export type JobStatus = 'running' | 'ok' | 'failed' | 'refused' | 'timeout' | 'disconnected' | 'interrupted' | 'cancelled';

export interface JobStart {
  id: string;
  checkId?: string | null;
  requestedAt: number;
  requestedBy: string;
  platform: string;
  channel?: string | null;
  agent: string;
  probe: string;
  target: string;
  params: unknown;
  /** With replicas on one PostgreSQL: the replica whose hub ran the job (null with one process). */
  replica?: string | null;
}

export interface JobRecord extends Required<JobStart> {
  status: JobStatus;
  detail: string | null;
  durationMs: number | null;
  finishedAt: number | null;
}

interface Row {
  id: string;
  check_id: string | null;
  requested_at: number;
  requested_by: string;
  platform: string;
  channel: string | null;
  agent: string;
  probe: string;
  target: string;
  params: string;
  status: JobStatus;
  detail: string | null;
  duration_ms: number | null;
  finished_at: number | null;
  replica: string | null;
}

function toRecord(r: Row): JobRecord {
  return {
    id: r.id,
    checkId: r.check_id,
    requestedAt: r.requested_at,
    requestedBy: r.requested_by,
    platform: r.platform,
    channel: r.channel,
    agent: r.agent,
    probe: r.probe,
    target: r.target,
    params: JSON.parse(r.params) as unknown,
    status: r.status,
    detail: r.detail,
    durationMs: r.duration_ms,
    finishedAt: r.finished_at,
    replica: r.replica,
  };
}

/**
 * The audit log: one row per job, written BEFORE the job is sent (so a crash can never leave a job that ran
 * without a trace) and completed when it ends. Finished rows older than the retention period are pruned
 * (src/store/retention.ts); a running row never is.
 */
export class AuditRepo {
  constructor(private readonly db: SqlDb) {}

  async start(job: JobStart): Promise<void> {
    await this.db.run(
      `INSERT INTO jobs (id, check_id, requested_at, requested_by, platform, channel, agent, probe, target, params, replica, status)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'running')`,
      [
        job.id,
        job.checkId ?? null,
        job.requestedAt,
        job.requestedBy,
        job.platform,
        job.channel ?? null,
        job.agent,
        job.probe,
        job.target,
        JSON.stringify(job.params),
        job.replica ?? null,
      ],
    );
  }

  /**
   * Closes a job. Only a running or interrupted row is updated: a late result from an agent that reconnected
   * after a hub restart may still complete an interrupted row, but nothing overwrites a final outcome.
   */
  async finish(
    id: string,
    outcome: { status: Exclude<JobStatus, 'running'>; detail?: string | null; durationMs: number | null },
    now: number = Date.now(),
  ): Promise<boolean> {
    const { changes } = await this.db.run(
      `UPDATE jobs SET status = ?, detail = ?, duration_ms = ?, finished_at = ?
       WHERE id = ? AND status IN ('running', 'interrupted')`,
      [outcome.status, outcome.detail ?? null, outcome.durationMs, now, id],
    );
    return changes > 0;
  }

  /** At hub start: jobs still "running" belong to a hub that died; they can no longer be answered in time. */
  async interruptRunning(now: number = Date.now()): Promise<number> {
    const { changes } = await this.db.run(
      `UPDATE jobs SET status = 'interrupted', detail = 'hub stopped before the job finished', finished_at = ? WHERE status = 'running'`,
      [now],
    );
    return changes;
  }

  /**
   * A replica died: what its hub still ran can no longer be answered. Any number of survivors may call this
   * at once; each row changes once (the UPDATE re-checks `running` under its row lock), and a late result the
   * agent sends after reconnecting elsewhere still completes the row (see finish).
   */
  async interruptReplica(replica: string, detail: string, now: number = Date.now()): Promise<number> {
    const { changes } = await this.db.run(
      `UPDATE jobs SET status = 'interrupted', detail = ?, finished_at = ? WHERE status = 'running' AND replica = ?`,
      [detail, now, replica],
    );
    return changes;
  }

  async get(id: string): Promise<JobRecord | undefined> {
    const row = await this.db.get<Row>('SELECT * FROM jobs WHERE id = ?', [id]);
    return row ? toRecord(row) : undefined;
  }

  async recent(options: { limit?: number; agent?: string } = {}): Promise<JobRecord[]> {
    const limit = Math.min(Math.max(options.limit ?? 100, 1), 1000);
    const rows = options.agent
      ? await this.db.all<Row>('SELECT * FROM jobs WHERE agent = ? ORDER BY requested_at DESC, rowid DESC LIMIT ?', [options.agent, limit])
      : await this.db.all<Row>('SELECT * FROM jobs ORDER BY requested_at DESC, rowid DESC LIMIT ?', [limit]);
    return rows.map(toRecord);
  }

  /** Deletes up to `limit` finished jobs that ended before `before` (retention); returns how many went. */
  async prune(before: number, limit: number): Promise<number> {
    const { changes } = await this.db.run(
      `DELETE FROM jobs WHERE rowid IN
         (SELECT rowid FROM jobs WHERE finished_at IS NOT NULL AND finished_at < ? AND status != 'running' ORDER BY finished_at LIMIT ?)`,
      [before, limit],
    );
    return changes;
  }

  async count(): Promise<number> {
    return (await this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM jobs'))!.n;
  }
}
