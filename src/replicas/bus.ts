import pg, { type Notification, type Pool } from 'pg';
import type { Logger } from 'pino';
import { backoffDelay } from '../agents/backoff.js';
import { ReplicaMessageSchema, type ReplicaMessage } from './messages.js';

/** NOTIFY payloads must stay under 8000 bytes; larger messages go through a row the notification names. */
export const NOTIFY_PAYLOAD_LIMIT = 7900;

/** The channel a replica listens on: one per replica, so a message reaches only the replica it is for. */
export function replicaChannel(replicaId: string): string {
  return `vpnd_${replicaId}`;
}

export interface ListenerSession {
  /** pg_backend_pid() of the listening connection, and its backend_start: how others tell it is alive. */
  pid: number;
  /** As PostgreSQL prints it: a JS Date would drop the microseconds the liveness check compares. */
  started: string;
}

export interface ReplicaBusOptions {
  /** For sending (and reading payload rows). */
  pool: Pool;
  /** The listener gets its own connection, outside the pool: LISTEN is per session. */
  connectionString: string;
  replicaId: string;
  log: Logger;
  onMessage: (message: ReplicaMessage) => void;
  /** Called with each new listening session (at start and after a reconnect). */
  onListening?: (session: ListenerSession) => void | Promise<void>;
}

/**
 * Messages between replicas over PostgreSQL LISTEN/NOTIFY: the database every replica already shares is
 * the broker, so there is nothing else to run or secure. Delivery is at most once and only to a listening
 * replica (NOTIFY keeps nothing for absent listeners): the callers (remote-jobs.ts) hold their own timers and
 * watch the other replica's liveness, so a lost message costs a clear failure, never a hang.
 */
export class ReplicaBus {
  private client: pg.Client | null = null;
  private stopped = false;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: ReplicaBusOptions) {}

  get channel(): string {
    return replicaChannel(this.options.replicaId);
  }

  /** Listens; resolves once the first session listens (rejects if the database cannot be reached). */
  async start(): Promise<ListenerSession> {
    return this.listen();
  }

  private async listen(): Promise<ListenerSession> {
    const client = new pg.Client({ connectionString: this.options.connectionString, application_name: `vpn-doctor ${this.channel}` });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    await client.connect();
    client.on('notification', (n) => this.receive(n));
    await client.query(`LISTEN ${this.channel}`);
    const row = (
      await client.query<{ pid: number; started: string }>(
        'SELECT pid, backend_start::text AS started FROM pg_stat_activity WHERE pid = pg_backend_pid()',
      )
    ).rows[0]!;
    this.client = client;
    this.attempt = 0;
    const session = { pid: row.pid, started: row.started };
    await this.options.onListening?.(session);
    return session;
  }

  private lost(client: pg.Client, err: Error): void {
    if (this.client !== client || this.stopped) return;
    this.client = null;
    client.removeAllListeners('notification');
    void client.end().catch(() => undefined);
    const delay = backoffDelay(this.attempt++, { initialMs: 200, maxMs: 5000 });
    this.options.log.error({ err: err.message, retryInMs: delay }, 'replica bus: lost the listening connection to PostgreSQL');
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.listen().catch((e: unknown) => this.lost(this.client ?? client, e as Error));
    }, delay);
  }

  private receive(n: Notification): void {
    if (n.channel !== this.channel || n.payload === undefined) return;
    let raw: unknown;
    try {
      raw = JSON.parse(n.payload);
    } catch {
      this.options.log.warn({ channel: n.channel }, 'replica bus: notification is not JSON; ignored');
      return;
    }
    const ref = typeof raw === 'object' && raw !== null && 'ref' in raw ? (raw as { ref: unknown }).ref : undefined;
    if (typeof ref === 'string' && /^\d{1,18}$/.test(ref)) {
      // A large message: its body waits in a row, read (and deleted) once by the one replica it is for.
      void this.options.pool
        .query<{ body: string }>('DELETE FROM replica_payloads WHERE id = $1 RETURNING body', [ref])
        .then((r) => {
          if (r.rows[0]) this.deliver(JSON.parse(r.rows[0].body));
        })
        .catch((err: unknown) => this.options.log.error({ err, ref }, 'replica bus: could not read a large message'));
      return;
    }
    this.deliver(raw);
  }

  private deliver(raw: unknown): void {
    const parsed = ReplicaMessageSchema.safeParse(raw);
    if (!parsed.success) {
      this.options.log.warn({ issue: parsed.error.issues[0]?.message }, 'replica bus: malformed message; ignored');
      return;
    }
    this.options.onMessage(parsed.data);
  }

  /** Sends to one replica; a message too large for a notification goes through a payload row, in one statement. */
  async send(to: string, message: ReplicaMessage): Promise<void> {
    const body = JSON.stringify(message);
    const channel = replicaChannel(to);
    if (Buffer.byteLength(body) <= NOTIFY_PAYLOAD_LIMIT) {
      await this.options.pool.query('SELECT pg_notify($1, $2)', [channel, body]);
      return;
    }
    await this.options.pool.query(
      `WITH p AS (INSERT INTO replica_payloads (body) VALUES ($2) RETURNING id)
       SELECT pg_notify($1, json_build_object('ref', id::text)::text) FROM p`,
      [channel, body],
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }
}
