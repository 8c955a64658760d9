import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { JOB_DEADLINE_MAX_MS, JOB_DEADLINE_MIN_MS } from '../../probes/deadlines.js';
import type { Store } from '../../store/index.js';
import type { HubMessage, ResultMessage } from '../protocol.js';
import type { AgentRegistry } from './registry.js';
import {
  AgentUnavailableError,
  type Connection,
  type HubObserver,
  type JobOutcome,
  type JobOutcomeStatus,
  type JobRequest,
  type PendingJob,
} from './types.js';

/** Longest an outcome waits for its audit row to be written before the caller gets it anyway. */
const RECORD_WAIT_MS = 1_000;

export interface DispatcherDeps {
  store: Store;
  log: Logger;
  registry: AgentRegistry;
  send: (conn: Connection, message: HubMessage) => void;
  /** How long past a job's deadline the result may still arrive. */
  graceMs: number;
  now: () => number;
  observer?: HubObserver | undefined;
  /** With replicas: this replica's id, written on each audit row so a survivor can close it if this one dies. */
  replica?: string | undefined;
}

/**
 * Jobs: sends each to its agent with a deadline, writes it to the audit log before it leaves, and settles it
 * exactly once (result, timeout, cancel, disconnect), recording how it ended.
 */
export class JobDispatcher {
  /** Jobs of each connectivity check still running or waiting, per connection (admission is per check). */
  private readonly checkJobs = new WeakMap<Connection, Map<string, number>>();

  constructor(private readonly deps: DispatcherDeps) {}

  private liveChecks(conn: Connection): Map<string, number> {
    let m = this.checkJobs.get(conn);
    if (!m) this.checkJobs.set(conn, (m = new Map()));
    return m;
  }

  /** Audit writes not yet done (closing the hub waits for them before the store closes). */
  private readonly writes = new Set<Promise<unknown>>();

  /**
   * Rejects with AgentUnavailableError (busy) when a new job of `requestedBy` would be refused now: lets a caller
   * refuse a whole check before planning it (a burst of checks then costs a few microseconds each, not a plan).
   */
  async assertRoomFor(agentName: string, requestedBy: JobRequest['requestedBy']): Promise<void> {
    const conn = await this.deps.registry.available(agentName);
    const limit = conn.hello?.capabilities.maxConcurrency ?? 1;
    const runNow = conn.inFlight < limit && conn.waiting.length === 0;
    if (!runNow && !conn.waiting.hasRoom(requesterKey(requestedBy))) throw busy(agentName, conn, limit);
  }

  /**
   * Sends a job to an agent and resolves when it ends, one way or another; rejects only with
   * AgentUnavailableError, before anything was sent.
   */
  async dispatch(agentName: string, request: JobRequest): Promise<JobOutcome> {
    const { store, registry, send, now } = this.deps;
    const conn = await registry.available(agentName);
    // From here to the queue nothing awaits: admission and enqueueing see the same state.
    if (conn.hello && !conn.hello.capabilities.probes.includes(request.probe)) {
      throw new AgentUnavailableError(`agent "${agentName}" does not run ${request.probe} probes`, 'unsupported-probe', agentName);
    }

    // Fair dispatch: the agent gets at most its advertised concurrency at once (it would refuse more, and
    // its refusals used to cost it its connection); as many more wait here, served requester by requester.
    const limit = conn.hello?.capabilities.maxConcurrency ?? 1;
    const requester = requesterKey(request.requestedBy);
    const runNow = conn.inFlight < limit && conn.waiting.length === 0;
    // A check is admitted as a whole: once one of its probes got in, the rest of them (a bounded number: the
    // CheckRequest limits hosts and servers) wait even beyond the queue's share, so a check the hub accepted
    // never fails half-way as "busy". New checks are still refused while the queue is full.
    const checks = this.liveChecks(conn);
    const admitted = request.checkId !== undefined && (checks.get(request.checkId) ?? 0) > 0;
    if (!runNow && !admitted && !conn.waiting.hasRoom(requester)) {
      this.deps.observer?.jobFinished(request.probe, 'refused', 0);
      throw busy(agentName, conn, limit);
    }

    const id = request.jobId ?? randomUUID();
    const startedAt = now();
    // Within what the protocol allows: an agent would refuse anything else as malformed.
    const deadlineMs = Math.min(JOB_DEADLINE_MAX_MS, Math.max(JOB_DEADLINE_MIN_MS, Math.round(request.deadlineMs)));
    // Audit first: a job that reaches an agent always has its row, whatever happens to the hub next. The
    // insert runs while the job waits for its slot; the job leaves only once it is written.
    const audited = this.track(
      store.audit.start({
        id,
        checkId: request.checkId ?? null,
        requestedAt: startedAt,
        requestedBy: request.requestedBy.user,
        platform: request.requestedBy.platform,
        channel: request.requestedBy.channel ?? null,
        agent: agentName,
        probe: request.probe,
        target: request.target,
        params: request.params,
        replica: this.deps.replica ?? null,
      }),
    );

    return new Promise<JobOutcome>((resolve) => {
      const onAbort = () => {
        if (job.send === null) send(conn, { type: 'cancel', jobId: id, reason: 'cancelled by the requester' });
        this.settle(job, { status: 'cancelled', error: { code: 'cancelled', message: 'cancelled by the requester' } });
      };
      const job: PendingJob = {
        id,
        agent: agentName,
        probe: request.probe,
        startedAt,
        conn,
        resolve,
        onProgress: request.onProgress,
        acked: false,
        timer: setTimeout(() => {
          if (job.send === null) send(conn, { type: 'cancel', jobId: id, reason: 'deadline exceeded' });
          this.settle(job, {
            status: 'timeout',
            error: {
              code: 'deadline',
              message: `agent ${agentName} did not ${job.acked ? 'finish' : 'acknowledge'} the job within ${deadlineMs} ms`,
            },
          });
        }, deadlineMs + this.deps.graceMs),
        cleanup: () => request.signal?.removeEventListener('abort', onAbort),
        requester,
        audited,
        ...(request.checkId !== undefined ? { checkId: request.checkId } : {}),
        send: () => {
          job.send = null;
          conn.inFlight++;
          audited.then(
            () => {
              if (conn.jobs.get(id) !== job) return; // settled while the row was being written
              // Time spent waiting for a slot comes out of the job's own deadline.
              const left = Math.max(JOB_DEADLINE_MIN_MS, deadlineMs - (now() - startedAt));
              send(conn, { type: 'job', jobId: id, probe: request.probe, params: request.params, deadlineMs: left });
            },
            () => undefined, // settled below
          );
        },
      };
      audited.catch((err: unknown) => {
        this.deps.log.error({ err, jobId: id }, 'could not write the audit row: job not sent');
        this.settle(job, {
          status: 'failed',
          error: { code: 'audit', message: 'the audit log could not be written, so the job was not sent' },
        });
      });
      conn.jobs.set(id, job);
      if (job.checkId !== undefined) checks.set(job.checkId, (checks.get(job.checkId) ?? 0) + 1);
      if (request.signal?.aborted) return onAbort();
      request.signal?.addEventListener('abort', onAbort, { once: true });
      if (runNow) job.send!();
      else conn.waiting.push(requester, job, admitted);
    });
  }

  acked(conn: Connection, jobId: string): void {
    const job = conn.jobs.get(jobId);
    if (job) job.acked = true;
  }

  progress(conn: Connection, jobId: string, text: string): void {
    conn.jobs.get(jobId)?.onProgress?.(text);
  }

  result(conn: Connection, msg: ResultMessage): void {
    const job = conn.jobs.get(msg.jobId);
    if (job) {
      this.settle(job, {
        status: msg.status,
        ...(msg.status === 'ok' ? { result: msg.result } : {}),
        ...(msg.error ? { error: msg.error } : {}),
      });
      return;
    }
    // A result for a job this hub is not waiting for: the job finished while the hub was away (restart),
    // or after its deadline. It still belongs in the audit log if the row is this agent's and still open.
    void this.track(this.recordLate(conn, msg));
  }

  private async recordLate(conn: Connection, msg: ResultMessage): Promise<void> {
    const { store, log } = this.deps;
    try {
      const row = await store.audit.get(msg.jobId);
      if (!row || row.agent !== conn.record.name) return;
      const updated = await store.audit.finish(msg.jobId, {
        status: msg.status,
        detail: `${msg.late ? 'reported after a reconnect' : 'reported late'}: ${msg.error?.message ?? msg.status}`,
        durationMs: Math.round(msg.durationMs),
      });
      if (updated) log.info({ agent: conn.record.name, jobId: msg.jobId, status: msg.status }, 'late job result recorded');
    } catch (err) {
      log.warn({ err, jobId: msg.jobId }, 'could not record a late job result');
    }
  }

  /** Waits for the audit writes under way (at shutdown, before the store closes). */
  async flush(): Promise<void> {
    while (this.writes.size > 0) await Promise.allSettled([...this.writes]);
  }

  private track<T>(write: Promise<T>): Promise<T> {
    this.writes.add(write);
    const forget = () => void this.writes.delete(write);
    write.then(forget, forget);
    return write;
  }

  /** Sends waiting jobs while the agent has free slots (never on a closed connection: failAll ends those). */
  private startWaiting(conn: Connection): void {
    const limit = conn.hello?.capabilities.maxConcurrency ?? 1;
    while (!conn.closed && conn.inFlight < limit) {
      const next = conn.waiting.shift();
      if (!next) return;
      next.send?.();
    }
  }

  /** Ends every job of a connection that went away. */
  failAll(conn: Connection, status: Extract<JobOutcomeStatus, 'disconnected' | 'interrupted'>, why: string): void {
    for (const job of [...conn.jobs.values()]) this.settle(job, { status, error: { code: status, message: why } });
  }

  private settle(job: PendingJob, end: Pick<JobOutcome, 'status' | 'result' | 'error'>): void {
    if (!job.conn.jobs.delete(job.id)) return;
    if (job.checkId !== undefined) {
      const checks = this.liveChecks(job.conn);
      const left = (checks.get(job.checkId) ?? 1) - 1;
      if (left > 0) checks.set(job.checkId, left);
      else checks.delete(job.checkId);
    }
    if (job.send === null) {
      job.conn.inFlight--;
      this.startWaiting(job.conn);
    } else {
      job.conn.waiting.remove(job);
    }
    clearTimeout(job.timer);
    job.cleanup();
    const durationMs = this.deps.now() - job.startedAt;
    const outcome: JobOutcome = { jobId: job.id, agent: job.agent, probe: job.probe, durationMs, ...end };
    this.deps.observer?.jobFinished(job.probe, end.status, durationMs / 1000);
    const recorded = this.track(
      job.audited
        .then(() => this.deps.store.audit.finish(job.id, { status: end.status, detail: end.error?.message ?? null, durationMs }))
        .then(
          () => undefined,
          (err: unknown) => {
            // The caller still gets the answer; the row stays "running" and is marked interrupted at next start.
            this.deps.log.error({ err, jobId: job.id }, 'could not record the job outcome');
          },
        ),
    );
    // The caller hears the outcome once its audit row is final, or after RECORD_WAIT_MS if the database
    // is slow: an answer is never held up by the audit log for longer than that.
    let timer: NodeJS.Timeout | undefined;
    const slow = new Promise<void>((resolve) => (timer = setTimeout(resolve, RECORD_WAIT_MS)));
    void Promise.race([recorded, slow]).then(() => {
      clearTimeout(timer);
      job.resolve(outcome);
    });
  }
}

/** Fair dispatch shares an agent's queue between requesters: one person (or API caller) on one platform. */
function requesterKey(requestedBy: JobRequest['requestedBy']): string {
  return `${requestedBy.platform}:${requestedBy.user}`;
}

function busy(agentName: string, conn: Connection, limit: number): AgentUnavailableError {
  return new AgentUnavailableError(
    `agent "${agentName}" is busy: ${conn.inFlight} jobs running and ${conn.waiting.length} waiting (it runs ${limit} at once)`,
    'busy',
    agentName,
  );
}
