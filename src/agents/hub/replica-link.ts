import type { Logger } from 'pino';
import type { JobOutcome, JobRequest } from './types.js';

/**
 * What the hub needs from a group of replicas sharing one PostgreSQL (src/replicas implements it; the hub
 * imports nothing from there). Absent in SQLite mode: one process, the local registry is the whole truth.
 */
export interface ReplicaLink {
  readonly id: string;
  /** This replica now holds the agent's socket / no longer does. */
  claim(agent: string): Promise<void>;
  release(agent: string): Promise<void>;
  /** The live replica other than this one holding the agent's socket, or null. */
  remoteHolder(agent: string): Promise<string | null>;
  /** Agents connected to the live replicas (this one included). */
  agents(): Promise<{ agent: string; replica: string; label: string }[]>;
  /** Runs the job on the replica holding the agent; rejects only with AgentUnavailableError. */
  forward(replica: string, agent: string, request: JobRequest): Promise<JobOutcome>;
  /** Starts or stops the keep-alive monitor of an agent another replica holds; true once it reached the agent. */
  controlMonitor(replica: string, agent: string, action: 'start' | 'stop'): Promise<boolean>;
  /**
   * Jobs and keep-alive start/stop other replicas send here run through these (the hub's local dispatch
   * and control, never forwarded again).
   */
  serve(
    dispatchLocal: (agent: string, request: JobRequest) => Promise<JobOutcome>,
    controlLocal: (agent: string, action: 'start' | 'stop') => boolean,
  ): void;
  /**
   * Called when presence finds another replica dead, until the handler resolves (then the replica is
   * forgotten); several survivors may call theirs for one dead replica, so the handler must be idempotent.
   */
  onReplicaGone(handler: (replica: { id: string; label: string }) => Promise<void>): void;
}

/**
 * Writes which agents this replica holds, one agent's writes in the order they happened: a quick
 * reconnect is a release then a claim, and a pool of connections could otherwise apply them the other way
 * round and forget an agent that is connected.
 */
export class PresenceWriter {
  private readonly tails = new Map<string, Promise<void>>();

  constructor(
    private readonly link: ReplicaLink,
    private readonly log: Logger,
  ) {}

  claimed(agent: string): void {
    this.chain(agent, 'claim', () => this.link.claim(agent));
  }

  released(agent: string): void {
    this.chain(agent, 'release', () => this.link.release(agent));
  }

  /** Resolves when every write so far has landed (tests, shutdown). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.tails.values()]);
  }

  private chain(agent: string, what: string, write: () => Promise<void>): void {
    const next = (this.tails.get(agent) ?? Promise.resolve()).then(write).catch((err: unknown) => {
      this.log.error({ agent, err: (err as Error).message }, `could not record the agent's replica (${what})`);
    });
    this.tails.set(agent, next);
    void next.then(() => {
      if (this.tails.get(agent) === next) this.tails.delete(agent);
    });
  }
}
