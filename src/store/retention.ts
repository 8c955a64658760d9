import type { Logger } from 'pino';
import type { Store } from './index.js';

export interface RetentionPolicy {
  /** Keep-alive monitor events are deleted this long after they reached the hub. */
  monitorEventsMs: number;
  /** Finished jobs leave the audit log this long after they ended (running jobs are never pruned). */
  auditMs: number;
}

/** Rows each sweep deleted: monitor events, audit rows, expired chat state (retry memory, pages...). */
export interface SweepResult {
  monitorEvents: number;
  jobs: number;
  chatState: number;
}

export interface RetentionOptions {
  store: Store;
  log: Logger;
  policy: RetentionPolicy;
  /** How often the sweep runs; the first one runs at start. */
  everyMs?: number;
  /** Rows deleted per statement: small enough that no sweep holds the event loop or the write lock long. */
  chunk?: number;
  now?: () => number;
}

/**
 * Deletes old monitor events and audit rows, and expired chat state, in small chunks, yielding to the event loop between chunks, so
 * a database grown by a flood (or years of service) shrinks without stalling the API or the agents.
 */
export class RetentionSweeper {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<SweepResult> | null = null;
  private stopped = false;

  constructor(private readonly options: RetentionOptions) {}

  start(): void {
    if (this.timer || this.stopped) return;
    void this.sweep();
    this.timer = setInterval(() => void this.sweep(), this.options.everyMs ?? 60 * 60_000);
    this.timer.unref();
  }

  /** One sweep (a sweep already running is joined, not doubled). */
  sweep(): Promise<SweepResult> {
    this.running ??= this.run().finally(() => (this.running = null));
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  private async run(): Promise<SweepResult> {
    const { store, policy, log } = this.options;
    const now = (this.options.now ?? Date.now)();
    const chunk = this.options.chunk ?? 500;
    const removed = { monitorEvents: 0, jobs: 0, chatState: 0 };
    try {
      removed.monitorEvents = await this.inChunks((n) => store.monitor.prune(now - policy.monitorEventsMs, n), chunk);
      removed.jobs = await this.inChunks((n) => store.audit.prune(now - policy.auditMs, n), chunk);
      removed.chatState = await this.inChunks((n) => store.chatState.prune(now, n), chunk);
    } catch (err) {
      // A closed store at shutdown, or a locked database: the next sweep tries again.
      if (!this.stopped) log.warn({ err }, 'retention sweep failed');
      return removed;
    }
    if (removed.monitorEvents + removed.jobs > 0) log.info(removed, 'retention: old monitor events and audit rows deleted');
    else if (removed.chatState > 0) log.debug(removed, 'retention: expired chat state deleted');
    return removed;
  }

  private async inChunks(prune: (limit: number) => Promise<number>, chunk: number): Promise<number> {
    let total = 0;
    for (;;) {
      if (this.stopped) return total;
      const n = await prune(chunk);
      total += n;
      if (n < chunk) return total;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}
