import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { ListenerSession } from './bus.js';

export interface PresenceOptions {
  pool: Pool;
  replicaId: string;
  /** Shown in logs and `agents` listings: usually host:port. */
  label: string;
  log: Logger;
  /** How often this replica says it is alive. */
  beatMs?: number;
  /** A replica whose last beat is older than this is dead, whatever its connection says. */
  expiryMs?: number;
}

export const DEFAULT_REPLICA_BEAT_MS = 1000;
export const DEFAULT_REPLICA_EXPIRY_MS = 5000;

/**
 * Who is alive and which replica holds which agent's socket. A replica is alive while (1) its beat is
 * recent and (2) its listening session still exists in pg_stat_activity: a replica killed with -9 loses its
 * connections at once, and PostgreSQL sees the socket close, so (2) notices in milliseconds what (1) would
 * notice only at expiry; (1) covers a replica that hangs, or sits behind a partition PostgreSQL has not seen.
 * The agents of a dead replica are forgotten by every query (they join on the live replicas), and rows
 * left behind are swept.
 */
export class ReplicaPresence {
  private timer: NodeJS.Timeout | null = null;
  private beats = 0;
  private session: ListenerSession | null = null;
  private goneHandler: ((replica: { id: string; label: string }) => Promise<void>) | null = null;
  readonly beatMs: number;
  readonly expiryMs: number;

  constructor(private readonly options: PresenceOptions) {
    this.beatMs = options.beatMs ?? DEFAULT_REPLICA_BEAT_MS;
    this.expiryMs = options.expiryMs ?? DEFAULT_REPLICA_EXPIRY_MS;
  }

  private get pool(): Pool {
    return this.options.pool;
  }

  /** The live-replica condition, as SQL over replica_nodes `n`. */
  private static readonly LIVE = `n.beat_at + n.expiry_ms * interval '1 millisecond' > now()
    AND EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = n.listener_pid AND a.backend_start = n.listener_started)`;

  /** Records (or re-records, after the bus reconnected) this replica's listening session. */
  async register(session: ListenerSession): Promise<void> {
    this.session = session;
    await this.pool.query(
      `INSERT INTO replica_nodes (id, label, listener_pid, listener_started, expiry_ms) VALUES ($1, $2, $3, $4::timestamptz, $5)
       ON CONFLICT (id) DO UPDATE SET label = $2, listener_pid = $3, listener_started = $4::timestamptz, expiry_ms = $5, beat_at = now()`,
      [this.options.replicaId, this.options.label, session.pid, session.started, this.expiryMs],
    );
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.beat(), this.beatMs);
    this.timer.unref();
  }

  private async beat(): Promise<void> {
    try {
      const r = await this.pool.query('UPDATE replica_nodes SET beat_at = now() WHERE id = $1', [this.options.replicaId]);
      // Swept by another replica after a long pause of ours: come back.
      if (r.rowCount === 0 && this.session) await this.register(this.session);
      await this.reap();
      if (++this.beats % 30 === 0) await this.sweep();
    } catch (err) {
      this.options.log.error({ err: (err as Error).message }, 'replica heartbeat failed');
    }
  }

  /** Told about each replica found dead (the hub closes its audit rows); must be idempotent. */
  onGone(handler: (replica: { id: string; label: string }) => Promise<void>): void {
    this.goneHandler = handler;
  }

  /**
   * Finds dead replicas, hands each to the handler, then forgets it. Dead means not live AND silent for half
   * its expiry: a live replica whose listening session is reconnecting still beats through its pool, and
   * must not lose its running jobs. Until the handler succeeds the replica stays, so the next beat retries;
   * survivors racing on one dead replica both call the handler (idempotent), one deletes the row. Nothing
   * runs before a handler is set: the replica must not be forgotten with its jobs still open.
   */
  async reap(): Promise<void> {
    const handler = this.goneHandler;
    if (!handler) return;
    const dead = await this.pool.query<{ id: string; label: string }>(
      `SELECT n.id, n.label FROM replica_nodes n
       WHERE n.id <> $1 AND n.beat_at + (n.expiry_ms / 2) * interval '1 millisecond' < now() AND NOT (${ReplicaPresence.LIVE})`,
      [this.options.replicaId],
    );
    for (const replica of dead.rows) {
      await handler(replica);
      const gone = await this.pool.query(`DELETE FROM replica_nodes n WHERE n.id = $1 AND NOT (${ReplicaPresence.LIVE})`, [replica.id]);
      if (gone.rowCount) this.options.log.warn({ replica: replica.id, label: replica.label }, 'replica went away');
    }
  }

  /** Forgets what dead replicas left behind, and large bus messages nobody read. */
  async sweep(): Promise<void> {
    await this.pool.query(
      `DELETE FROM replica_agents ra WHERE NOT EXISTS (SELECT 1 FROM replica_nodes n WHERE n.id = ra.replica AND ${ReplicaPresence.LIVE})`,
    );
    await this.pool.query(`DELETE FROM replica_nodes WHERE beat_at < now() - interval '1 hour'`);
    await this.pool.query(`DELETE FROM replica_payloads WHERE created_at < now() - interval '10 minutes'`);
  }

  /** This replica now holds the agent's socket (the newest connection wins, here as in the registry). */
  async claim(agent: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO replica_agents (agent, replica) VALUES ($1, $2)
       ON CONFLICT (agent) DO UPDATE SET replica = $2, connected_at = now()`,
      [agent, this.options.replicaId],
    );
  }

  /** The agent's socket closed here; a newer claim by another replica is left alone. */
  async release(agent: string): Promise<void> {
    await this.pool.query('DELETE FROM replica_agents WHERE agent = $1 AND replica = $2', [agent, this.options.replicaId]);
  }

  /** The live replica holding the agent's socket, or null. */
  async holder(agent: string): Promise<string | null> {
    const r = await this.pool.query<{ replica: string }>(
      `SELECT ra.replica FROM replica_agents ra JOIN replica_nodes n ON n.id = ra.replica WHERE ra.agent = $1 AND ${ReplicaPresence.LIVE}`,
      [agent],
    );
    return r.rows[0]?.replica ?? null;
  }

  /** Agents connected to live replicas, with the replica each is on. */
  async agents(): Promise<{ agent: string; replica: string; label: string }[]> {
    const r = await this.pool.query<{ agent: string; replica: string; label: string }>(
      `SELECT ra.agent, ra.replica, n.label FROM replica_agents ra JOIN replica_nodes n ON n.id = ra.replica WHERE ${ReplicaPresence.LIVE} ORDER BY ra.agent`,
    );
    return r.rows;
  }

  /** The live replicas among `ids`. */
  async alive(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const r = await this.pool.query<{ id: string }>(
      `SELECT n.id FROM replica_nodes n WHERE n.id = ANY($1::text[]) AND ${ReplicaPresence.LIVE}`,
      [ids],
    );
    return new Set(r.rows.map((row) => row.id));
  }

  /** Live replicas: id and label. */
  async replicas(): Promise<{ id: string; label: string }[]> {
    const r = await this.pool.query<{ id: string; label: string }>(
      `SELECT n.id, n.label FROM replica_nodes n WHERE ${ReplicaPresence.LIVE} ORDER BY n.label`,
    );
    return r.rows;
  }

  /** Leaving cleanly: the others stop routing here at once instead of at expiry. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.pool.query('DELETE FROM replica_agents WHERE replica = $1', [this.options.replicaId]).catch(() => undefined);
    await this.pool.query('DELETE FROM replica_nodes WHERE id = $1', [this.options.replicaId]).catch(() => undefined);
  }
}
