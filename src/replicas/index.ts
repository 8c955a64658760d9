import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Logger } from 'pino';
import type { ReplicaLink } from '../agents/hub/replica-link.js';
import type { JobOutcome, JobRequest } from '../agents/hub/types.js';
import { ReplicaBus } from './bus.js';
import { ReplicaPresence } from './presence.js';
import { RemoteJobs } from './remote-jobs.js';
import { ensureReplicaSchema } from './schema.js';

export { ReplicaBus, replicaChannel, NOTIFY_PAYLOAD_LIMIT } from './bus.js';
export { ReplicaPresence, DEFAULT_REPLICA_BEAT_MS, DEFAULT_REPLICA_EXPIRY_MS } from './presence.js';
export { RemoteJobs } from './remote-jobs.js';
export { ensureReplicaSchema } from './schema.js';

export interface ReplicasOptions {
  /** The PostgreSQL every replica shares (VPN_DOCTOR_DATABASE_URL). */
  connectionString: string;
  /** Shown in logs and listings, usually HOST:PORT. */
  label: string;
  log: Logger;
  /** Default: random per process (a restarted replica is a new one; the old one's rows expire). */
  replicaId?: string;
  beatMs?: number;
  expiryMs?: number;
  /** How often replicas holding this replica's forwarded jobs are checked for life. */
  watchMs?: number;
}

/**
 * One replica's part in a group of replicas sharing one PostgreSQL: presence (which replica holds which
 * agent's socket, who is alive), the bus (LISTEN/NOTIFY) and the jobs relayed over it. The hub asks
 * `holder(agent)` when an agent is not connected locally and `forward`s the job there. SQLite mode (one
 * process) never builds this.
 */
export class Replicas implements ReplicaLink {
  readonly presence: ReplicaPresence;
  readonly jobs: RemoteJobs;
  private readonly bus: ReplicaBus;
  private dispatchLocal: ((agent: string, request: JobRequest) => Promise<JobOutcome>) | null = null;
  private controlLocal: ((agent: string, action: 'start' | 'stop') => boolean) | null = null;

  private constructor(
    readonly id: string,
    private readonly pool: pg.Pool,
    options: ReplicasOptions,
  ) {
    this.presence = new ReplicaPresence({
      pool,
      replicaId: id,
      label: options.label,
      log: options.log,
      ...(options.beatMs ? { beatMs: options.beatMs } : {}),
      ...(options.expiryMs ? { expiryMs: options.expiryMs } : {}),
    });
    this.jobs = new RemoteJobs({
      self: id,
      send: (to, message) => this.bus.send(to, message),
      alive: (ids) => this.presence.alive(ids),
      dispatchLocal: (agent, request) => {
        if (!this.dispatchLocal) return Promise.reject(new Error('this replica has no hub yet'));
        return this.dispatchLocal(agent, request);
      },
      controlLocal: (agent, action) => this.controlLocal?.(agent, action) ?? false,
      log: options.log,
      ...(options.watchMs ? { watchMs: options.watchMs } : {}),
    });
    this.bus = new ReplicaBus({
      pool,
      connectionString: options.connectionString,
      replicaId: id,
      log: options.log,
      onMessage: (m) => this.jobs.handle(m),
      onListening: (session) => this.presence.register(session),
    });
  }

  static async start(options: ReplicasOptions): Promise<Replicas> {
    const id = options.replicaId ?? randomBytes(6).toString('hex');
    const pool = new pg.Pool({ connectionString: options.connectionString, max: 4, application_name: `vpn-doctor replica ${id}` });
    pool.on('error', (err) => options.log.error({ err: err.message }, 'replica pool: idle connection failed'));
    try {
      await ensureReplicaSchema(pool);
      const replicas = new Replicas(id, pool, options);
      await replicas.bus.start();
      replicas.presence.start();
      options.log.info({ replica: id, label: options.label }, 'replica joined');
      return replicas;
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw err;
    }
  }

  /** The hub's local dispatch and keep-alive control, for what other replicas send here. */
  serve(
    dispatchLocal: (agent: string, request: JobRequest) => Promise<JobOutcome>,
    controlLocal?: (agent: string, action: 'start' | 'stop') => boolean,
  ): void {
    this.dispatchLocal = dispatchLocal;
    this.controlLocal = controlLocal ?? null;
  }

  onReplicaGone(handler: (replica: { id: string; label: string }) => Promise<void>): void {
    this.presence.onGone(handler);
  }

  claim(agent: string): Promise<void> {
    return this.presence.claim(agent);
  }

  release(agent: string): Promise<void> {
    return this.presence.release(agent);
  }

  agents(): Promise<{ agent: string; replica: string; label: string }[]> {
    return this.presence.agents();
  }

  /** The live replica holding `agent`'s socket other than this one, or null. */
  async remoteHolder(agent: string): Promise<string | null> {
    const holder = await this.presence.holder(agent);
    return holder === this.id ? null : holder;
  }

  forward(replica: string, agent: string, request: JobRequest): Promise<JobOutcome> {
    return this.jobs.forward(replica, agent, request);
  }

  controlMonitor(replica: string, agent: string, action: 'start' | 'stop'): Promise<boolean> {
    return this.jobs.controlMonitor(replica, agent, action);
  }

  async stop(): Promise<void> {
    this.jobs.close();
    await this.presence.stop();
    await this.bus.stop();
    await this.pool.end().catch(() => undefined);
  }
}
