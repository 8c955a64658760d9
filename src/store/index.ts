import { AgentRepo } from './agents.js';
import { AuditRepo } from './audit.js';
import { openDatabase, type Db } from './db.js';
import { FeedbackRepo } from './feedback.js';
import { MonitorRepo } from './monitor.js';
import { SubscriptionRepo } from './subscriptions.js';

export { AgentExistsError, type AgentRecord } from './agents.js';
export type { JobRecord, JobStart, JobStatus } from './audit.js';
export type { MonitorEventRecord } from './monitor.js';
export type { Subscription } from './subscriptions.js';
export type { FeedbackEntry } from './feedback.js';

/** The one SQLite database of a vpn-doctor server, with one small repository per table. */
export class Store {
  readonly agents: AgentRepo;
  readonly audit: AuditRepo;
  readonly monitor: MonitorRepo;
  readonly subscriptions: SubscriptionRepo;
  readonly feedback: FeedbackRepo;

  constructor(readonly db: Db) {
    this.agents = new AgentRepo(db);
    this.audit = new AuditRepo(db);
    this.monitor = new MonitorRepo(db);
    this.subscriptions = new SubscriptionRepo(db);
    this.feedback = new FeedbackRepo(db);
  }

  static open(path: string): Store {
    return new Store(openDatabase(path));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
