import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { HUB_RESULT_GRACE_MS } from '../probes/deadlines.js';
import { AgentConnections, rejectUpgrade } from './hub/connections.js';
import { JobDispatcher } from './hub/dispatcher.js';
import { AgentRegistry } from './hub/registry.js';
import { PresenceWriter, type ReplicaLink } from './hub/replica-link.js';
import type { AgentStatus, HubOptions, JobOutcome, JobRequest } from './hub/types.js';

export {
  AgentUnavailableError,
  type AgentStatus,
  type HubObserver,
  type HubOptions,
  type JobOutcome,
  type JobOutcomeStatus,
  type JobRequest,
  type MonitorSink,
  type Requester,
} from './hub/types.js';

/**
 * The agent hub, made of three parts with one job each (src/agents/hub/): the connections (token check at
 * the upgrade, hello, rate limit, heartbeats), the registry (who is online; the one revocation check) and
 * the dispatcher (jobs, deadlines, audit). A misbehaving agent only ever loses its own connection; a job
 * never outlives its deadline, and fails at once when its agent goes away.
 */
export class AgentHub {
  private readonly connections: AgentConnections;
  private readonly registry: AgentRegistry;
  private readonly dispatcher: JobDispatcher;
  private readonly replicas: ReplicaLink | undefined;
  private readonly presence: PresenceWriter | undefined;
  private readonly store: HubOptions['store'];
  private readonly log: HubOptions['log'];

  constructor(options: HubOptions) {
    const { store, log, observer } = options;
    const now = options.now ?? Date.now;
    this.store = store;
    this.log = log;
    this.connections = new AgentConnections({
      store,
      log,
      observer,
      monitor: options.monitor,
      heartbeatMs: options.heartbeatMs ?? 15_000,
      helloTimeoutMs: options.helloTimeoutMs ?? 10_000,
      rate: options.maxMessagesPerSecond ?? 500,
      now,
    });
    const drop = this.connections.drop.bind(this.connections);
    this.replicas = options.replicas;
    this.presence = options.replicas ? new PresenceWriter(options.replicas, log) : undefined;
    this.registry = new AgentRegistry(store, drop, now, observer, this.presence);
    this.dispatcher = new JobDispatcher({
      store,
      log,
      registry: this.registry,
      send: this.connections.send.bind(this.connections),
      graceMs: options.deadlineGraceMs ?? HUB_RESULT_GRACE_MS,
      now,
      observer,
      replica: options.replicas?.id,
    });
    this.ready = this.reset(options);
    this.ready.catch((err: unknown) => log.error({ err }, 'the hub could not reset agent and job state in the store'));
    this.connections.connect(this.registry, this.dispatcher, this.ready);
    // Jobs other replicas send for the agents connected here: the same dispatch as a local job.
    options.replicas?.serve(
      (agent, request) => this.dispatcher.dispatch(agent, request),
      (agent, action) => this.controlLocal(agent, action),
    );
    // What a dead replica's hub still ran is closed by a survivor (its agents' late results still complete it).
    options.replicas?.onReplicaGone(async (gone) => {
      const jobs = await store.audit.interruptReplica(gone.id, `replica ${gone.label} went away before the job finished`);
      if (jobs > 0) log.warn({ replica: gone.id, label: gone.label, jobs }, 'jobs left running by a dead replica marked interrupted');
    });
  }

  /**
   * Settles once the hub has reset what a previous hub left in the store (nobody online, its running jobs
   * interrupted); agents are admitted only after that. Rejects when the store cannot be written.
   */
  readonly ready: Promise<void>;

  private async reset({ store, log, replicas }: HubOptions): Promise<void> {
    // With replicas the others' agents are online and their jobs running: nothing here is "left over". What a
    // dead replica left running is closed by a survivor when presence finds it dead (onReplicaGone above).
    if (replicas) return;
    await store.agents.allOffline();
    const interrupted = await store.audit.interruptRunning();
    if (interrupted > 0) log.warn({ jobs: interrupted }, 'jobs left running by a previous hub marked interrupted');
  }

  /** Routes upgrades for `path` on this (plain node) server to the hub; other paths are left to other handlers. */
  attach(server: Server, path = '/agents'): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (pathname !== path) {
        if (server.listenerCount('upgrade') === 1) rejectUpgrade(socket, 404, 'no WebSocket endpoint here');
        return;
      }
      this.handleUpgrade(req, socket, head);
    });
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.connections.handleUpgrade(req, socket, head);
  }

  /**
   * Sends a job to an agent and resolves when it ends, one way or another; rejects only with
   * AgentUnavailableError, before anything was sent.
   */
  async dispatch(agentName: string, request: JobRequest): Promise<JobOutcome> {
    // The local registry first, then (with replicas) the presence table: the job runs where the socket is.
    const holder = await this.remoteHolder(agentName);
    if (holder) {
      const outcome = await this.replicas!.forward(holder, agentName, request);
      // The holder went away with the job: its audit row (written there, under the relay's id) is closed
      // here. "interrupted", so a late result the agent sends after reconnecting still completes it.
      if (outcome.status === 'disconnected') {
        await this.store.audit
          .finish(outcome.jobId, { status: 'interrupted', detail: outcome.error?.message ?? null, durationMs: outcome.durationMs })
          .catch((err: unknown) => this.log.warn({ err, jobId: outcome.jobId }, 'could not close the audit row of a relayed job'));
      }
      return outcome;
    }
    return this.dispatcher.dispatch(agentName, request);
  }

  /** The other replica holding this agent's socket, when it is not connected here. */
  private async remoteHolder(agentName: string): Promise<string | null> {
    if (!this.replicas || this.registry.connection(agentName)) return null;
    return this.replicas.remoteHolder(agentName);
  }

  /**
   * Rejects with AgentUnavailableError saying why jobs cannot go to this agent now; given a requester, also
   * when a new job of theirs would be told busy.
   */
  async assertAvailable(agentName: string, requestedBy?: JobRequest['requestedBy']): Promise<void> {
    // Held by another replica: that replica checks revocation, draining and room when the job gets there.
    if (await this.remoteHolder(agentName)) return;
    if (requestedBy) await this.dispatcher.assertRoomFor(agentName, requestedBy);
    else await this.registry.available(agentName);
  }

  /**
   * Asks an agent to start or stop its keep-alive monitor (the target always comes from the agent's own
   * config), through the replica holding its socket when that is another one. False when it did not reach it.
   */
  async controlMonitor(agentName: string, action: 'start' | 'stop'): Promise<boolean> {
    const holder = await this.remoteHolder(agentName);
    if (holder) return this.replicas!.controlMonitor(holder, agentName, action);
    return this.controlLocal(agentName, action);
  }

  private controlLocal(agentName: string, action: 'start' | 'stop'): boolean {
    const conn = this.registry.connection(agentName);
    if (!conn?.hello?.capabilities.keepalive) return false;
    this.connections.send(conn, { type: 'monitor-control', action });
    return true;
  }

  isOnline(name: string): boolean {
    return this.registry.isOnline(name);
  }

  /** Agents that can take jobs now; a revoked one (revoked from another process) is dropped on the spot. */
  async onlineNames(): Promise<string[]> {
    const local = await this.registry.onlineNames();
    if (!this.replicas) return local;
    const self = this.replicas.id;
    const elsewhere = (await this.replicas.agents()).filter((a) => a.replica !== self).map((a) => a.agent);
    return [...new Set([...local, ...elsewhere])].sort();
  }

  get onlineCount(): number {
    return this.registry.size;
  }

  /** Every registered agent with its live state, online ones first. */
  async list(): Promise<AgentStatus[]> {
    const statuses = await this.registry.list();
    if (!this.replicas) return statuses;
    // Online on another replica counts as online (its jobs are routed there).
    const self = this.replicas.id;
    const elsewhere = new Set((await this.replicas.agents()).filter((a) => a.replica !== self).map((a) => a.agent));
    return statuses
      .map((s) => (!s.online && elsewhere.has(s.name) ? { ...s, online: true } : s))
      .sort((a, b) => Number(b.online) - Number(a.online) || a.name.localeCompare(b.name));
  }

  /** Stops accepting agents, fails what is still running as interrupted and says goodbye (1001: reconnect later). */
  async close(): Promise<void> {
    await this.connections.close();
    await this.presence?.settled();
  }
}
