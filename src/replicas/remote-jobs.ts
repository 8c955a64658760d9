import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { AgentUnavailableError, type JobOutcome, type JobRequest } from '../agents/hub/types.js';
import { HUB_RESULT_GRACE_MS, REPLICA_RELAY_MS } from '../probes/deadlines.js';
import type { RemoteJob, ReplicaMessage } from './messages.js';

/** How long a keep-alive start/stop relayed to the holding replica may take to be confirmed. */
export const MONITOR_CONTROL_WAIT_MS = 2000;

/** What remote jobs need of the bus and of presence (interfaces, so tests can run two sides in one process). */
export interface RemoteJobsDeps {
  self: string;
  send: (to: string, message: ReplicaMessage) => Promise<void>;
  /** The live replicas among these ids. */
  alive: (ids: readonly string[]) => Promise<Set<string>>;
  /** Runs a job on an agent connected to THIS replica (never forwards again). */
  dispatchLocal: (agent: string, request: JobRequest) => Promise<JobOutcome>;
  /** Starts or stops the keep-alive monitor of an agent connected to THIS replica; false if it cannot. */
  controlLocal?: (agent: string, action: 'start' | 'stop') => boolean;
  log: Logger;
  /** How often the replicas holding forwarded jobs are checked for life. */
  watchMs?: number;
  graceMs?: number;
  now?: () => number;
}

interface Forwarded {
  id: string;
  replica: string;
  agent: string;
  probe: string;
  startedAt: number;
  timer: NodeJS.Timeout;
  onProgress: ((text: string) => void) | undefined;
  resolve: (o: JobOutcome) => void;
  reject: (e: Error) => void;
  cleanup: () => void;
}

/**
 * Jobs for agents whose socket another replica holds. The requesting replica sends the job to the holder
 * and waits with the same deadline its own hub would (plus the relay's margin); the holder runs it through
 * its dispatcher (audit row, fair queue, deadlines: exactly as a local job) and sends the progress and the
 * outcome back. Each job settles once. If the holder dies, its jobs fail as "disconnected" within about
 * one watch interval, saying so, instead of running into their deadline.
 */
export class RemoteJobs {
  private readonly forwarded = new Map<string, Forwarded>();
  /** Jobs this replica runs for others: requester's id -> abort. */
  private readonly serving = new Map<string, AbortController>();
  private readonly now: () => number;
  private watcher: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly deps: RemoteJobsDeps) {
    this.now = deps.now ?? Date.now;
  }

  get pending(): number {
    return this.forwarded.size;
  }

  /** Sends a job to the replica holding the agent; resolves with its outcome, rejects only as the hub does (AgentUnavailableError). */
  forward(replica: string, agent: string, request: JobRequest): Promise<JobOutcome> {
    const deadlineMs = Math.max(1, Math.round(request.deadlineMs));
    const waitMs = deadlineMs + (this.deps.graceMs ?? HUB_RESULT_GRACE_MS) + REPLICA_RELAY_MS;
    return this.relay(replica, agent, request.probe, { waitMs, deadlineMs }, request, (id) => ({
      type: 'job',
      id,
      from: this.deps.self,
      agent,
      probe: request.probe,
      params: request.params,
      deadlineMs,
      target: request.target,
      requestedBy: {
        user: request.requestedBy.user,
        platform: request.requestedBy.platform,
        channel: request.requestedBy.channel ?? null,
      },
      ...(request.checkId !== undefined ? { checkId: request.checkId } : {}),
    }));
  }

  /**
   * Asks the replica holding the agent to start or stop its keep-alive monitor: the same relay as a job
   * (timer, liveness watch, refusal), with a short wait. True once the holder sent it to the agent.
   */
  async controlMonitor(replica: string, agent: string, action: 'start' | 'stop'): Promise<boolean> {
    const wait = { waitMs: MONITOR_CONTROL_WAIT_MS, deadlineMs: MONITOR_CONTROL_WAIT_MS };
    const outcome = await this.relay(replica, agent, 'monitor-control', wait, {}, (id) => ({
      type: 'monitor-control',
      id,
      from: this.deps.self,
      agent,
      action,
    })).catch(() => null); // refused: the agent is not there after all
    return outcome?.status === 'ok';
  }

  /** Sends one request to another replica and waits (at most waitMs, less if that replica dies) for its answer. */
  private relay(
    replica: string,
    agent: string,
    probe: string,
    { waitMs, deadlineMs }: { waitMs: number; deadlineMs: number },
    request: Pick<JobRequest, 'onProgress' | 'signal'>,
    build: (id: string) => ReplicaMessage,
  ): Promise<JobOutcome> {
    if (this.closed)
      return Promise.reject(new AgentUnavailableError(`agent "${agent}" is offline (this replica is stopping)`, 'offline', agent));
    const id = randomUUID();
    return new Promise<JobOutcome>((resolve, reject) => {
      const onAbort = () => {
        void this.deps.send(replica, { type: 'cancel', id, from: this.deps.self }).catch(() => undefined);
        this.settle(id, { status: 'cancelled', error: { code: 'cancelled', message: 'cancelled by the requester' } });
      };
      const job: Forwarded = {
        id,
        replica,
        agent,
        probe,
        startedAt: this.now(),
        onProgress: request.onProgress,
        resolve,
        reject,
        timer: setTimeout(() => {
          void this.deps.send(replica, { type: 'cancel', id, from: this.deps.self }).catch(() => undefined);
          this.settle(id, {
            status: 'timeout',
            error: { code: 'deadline', message: `agent ${agent} (on replica ${replica}) did not answer within ${deadlineMs} ms` },
          });
        }, waitMs),
        cleanup: () => request.signal?.removeEventListener('abort', onAbort),
      };
      this.forwarded.set(id, job);
      if (request.signal?.aborted) return onAbort();
      request.signal?.addEventListener('abort', onAbort, { once: true });
      this.watch();
      this.deps.send(replica, build(id)).catch((err: unknown) => {
        this.deps.log.error({ err: (err as Error).message, replica, agent }, 'could not send a job to another replica');
        this.settle(id, {
          status: 'disconnected',
          error: { code: 'disconnected', message: `replica ${replica} holding agent ${agent} could not be reached` },
        });
      });
    });
  }

  /** Bus messages: jobs to run here, and answers to jobs this replica forwarded. */
  handle(message: ReplicaMessage): void {
    switch (message.type) {
      case 'job':
        void this.serve(message);
        return;
      case 'cancel':
        this.serving.get(`${message.from}/${message.id}`)?.abort(new Error('cancelled by the requesting replica'));
        return;
      case 'progress':
        this.forwarded.get(message.id)?.onProgress?.(message.text);
        return;
      case 'outcome': {
        const { status, result, error } = message.outcome;
        this.settle(
          message.id,
          { status, ...(result !== undefined ? { result } : {}), ...(error ? { error } : {}) },
          message.outcome.jobId,
        );
        return;
      }
      case 'monitor-control': {
        const sent = this.deps.controlLocal?.(message.agent, message.action) ?? false;
        void this.deps
          .send(message.from, { type: 'monitor-controlled', id: message.id, sent })
          .catch((err: unknown) =>
            this.deps.log.warn({ err: (err as Error).message, replica: message.from }, 'could not answer another replica'),
          );
        return;
      }
      case 'monitor-controlled':
        this.settle(
          message.id,
          message.sent
            ? { status: 'ok' }
            : { status: 'refused', error: { code: 'unsupported', message: 'the agent has no keep-alive monitor here' } },
        );
        return;
      case 'refused': {
        const job = this.take(message.id);
        job?.reject(new AgentUnavailableError(message.message, message.reason, job.agent));
        return;
      }
    }
  }

  private async serve(job: RemoteJob): Promise<void> {
    const key = `${job.from}/${job.id}`;
    if (this.serving.has(key) || this.closed) return;
    const abort = new AbortController();
    this.serving.set(key, abort);
    const reply = (message: ReplicaMessage) =>
      this.deps
        .send(job.from, message)
        .catch((err: unknown) =>
          this.deps.log.warn({ err: (err as Error).message, replica: job.from }, 'could not answer another replica'),
        );
    try {
      const outcome = await this.deps.dispatchLocal(job.agent, {
        probe: job.probe,
        params: job.params,
        deadlineMs: job.deadlineMs,
        target: job.target,
        requestedBy: { user: job.requestedBy.user, platform: job.requestedBy.platform, channel: job.requestedBy.channel ?? null },
        ...(job.checkId !== undefined ? { checkId: job.checkId } : {}),
        // The relay's id is the audit row's: the requesting replica can close it if this one dies.
        jobId: job.id,
        onProgress: (text) => void reply({ type: 'progress', id: job.id, text: text.slice(0, 2000) }),
        signal: abort.signal,
      });
      await reply({ type: 'outcome', id: job.id, outcome });
    } catch (err) {
      const unavailable = err instanceof AgentUnavailableError;
      await reply({
        type: 'refused',
        id: job.id,
        reason: unavailable ? err.reason : 'offline',
        message: unavailable ? err.message : `agent "${job.agent}" could not take the job: ${(err as Error).message}`.slice(0, 2000),
      });
    } finally {
      this.serving.delete(key);
    }
  }

  private take(id: string): Forwarded | undefined {
    const job = this.forwarded.get(id);
    if (!job) return undefined;
    this.forwarded.delete(id);
    clearTimeout(job.timer);
    job.cleanup();
    if (this.forwarded.size === 0 && this.watcher) {
      clearInterval(this.watcher);
      this.watcher = null;
    }
    return job;
  }

  private settle(id: string, end: Pick<JobOutcome, 'status' | 'result' | 'error'>, jobId?: string): void {
    const job = this.take(id);
    if (!job) return;
    job.resolve({ jobId: jobId ?? id, agent: job.agent, probe: job.probe, durationMs: this.now() - job.startedAt, ...end });
  }

  /** While jobs are out on other replicas, checks that those replicas are alive. */
  private watch(): void {
    if (this.watcher) return;
    this.watcher = setInterval(() => void this.checkHolders(), this.deps.watchMs ?? 500);
    this.watcher.unref();
  }

  private async checkHolders(): Promise<void> {
    const replicas = [...new Set([...this.forwarded.values()].map((j) => j.replica))];
    let alive: Set<string>;
    try {
      alive = await this.deps.alive(replicas);
    } catch {
      return; // the database is unreachable: the jobs' own deadlines still end them
    }
    for (const job of [...this.forwarded.values()]) {
      if (alive.has(job.replica)) continue;
      this.deps.log.warn({ replica: job.replica, agent: job.agent, probe: job.probe }, 'replica holding the agent went away; job failed');
      this.settle(job.id, {
        status: 'disconnected',
        error: {
          code: 'disconnected',
          message: `replica ${job.replica}, which held agent ${job.agent}'s connection, went away while the job ran; its outcome is unknown`,
        },
      });
    }
  }

  /** Fails what this replica still waits for, and stops what it runs for others. */
  close(): void {
    this.closed = true;
    for (const job of [...this.forwarded.values()])
      this.settle(job.id, { status: 'interrupted', error: { code: 'interrupted', message: 'this replica is shutting down' } });
    for (const abort of this.serving.values()) abort.abort(new Error('replica shutting down'));
  }
}
