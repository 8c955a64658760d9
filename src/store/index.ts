import { AgentRepo } from './agents.js';
import { AuditRepo } from './audit.js';
import { ChatStateRepo } from './chat-state.js';
import { FeedbackRepo } from './feedback.js';
import { migrate } from './migrations.js';
import { MonitorRepo } from './monitor.js';
import type { PostgresOptions } from './postgres-sql.js';
import type { Engine, SqlDb } from './sql.js';
import { openSqlite } from './sqlite-sql.js';
import { SubscriptionRepo } from './subscriptions.js';

export { AgentExistsError, type AgentRecord } from './agents.js';
export type { JobRecord, JobStart, JobStatus } from './audit.js';
export type { ChatStateRepo } from './chat-state.js';
export type { MonitorEventRecord } from './monitor.js';
export type { Subscription } from './subscriptions.js';
export type { FeedbackEntry } from './feedback.js';
export type { Engine, SqlDb } from './sql.js';

/** True for a PostgreSQL connection string (VPN_DOCTOR_DATABASE_URL); anything else is a SQLite file path. */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

export interface OpenOptions {
  /** PostgreSQL only: pool size and what to do when an idle connection fails. */
  postgres?: PostgresOptions;
}

/**
 * The database of a vpn-doctor server, with one small repository per table: SQLite (embedded, the default,
 * one process) or PostgreSQL (several replicas share it). Every method is asynchronous on both engines.
 */
export class Store {
  readonly agents: AgentRepo;
  readonly audit: AuditRepo;
  readonly monitor: MonitorRepo;
  readonly subscriptions: SubscriptionRepo;
  readonly feedback: FeedbackRepo;
  readonly chatState: ChatStateRepo;

  constructor(readonly db: SqlDb) {
    this.agents = new AgentRepo(db);
    this.audit = new AuditRepo(db);
    this.monitor = new MonitorRepo(db);
    this.subscriptions = new SubscriptionRepo(db);
    this.feedback = new FeedbackRepo(db);
    this.chatState = new ChatStateRepo(db);
  }

  /**
   * Opens the database at `location` (a SQLite file path, ':memory:', or a postgres:// URL) and brings its
   * schema up to date.
   */
  static async open(location: string, options: OpenOptions = {}): Promise<Store> {
    // The PostgreSQL driver is loaded only when it is used: the embedded default starts without it.
    const db: SqlDb = isPostgresUrl(location)
      ? new (await import('./postgres-sql.js')).PostgresSql(location, options.postgres)
      : openSqlite(location);
    try {
      await migrate(db);
    } catch (err) {
      await db.close();
      throw err;
    }
    return new Store(db);
  }

  get engine(): Engine {
    return this.db.engine;
  }

  /** Where the data lives, safe to print (no password). */
  get location(): string {
    return this.db.location;
  }

  /** One round trip to the database (health checks). */
  async ping(): Promise<void> {
    await this.db.get('SELECT 1 AS ok');
  }

  close(): Promise<void> {
    return this.db.close();
  }
}
