import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { HUB_RESULT_GRACE_MS } from '../probes/deadlines.js';
import { AgentConnections, rejectUpgrade } from './hub/connections.js';
import { JobDispatcher } from './hub/dispatcher.js';
import { AgentRegistry } from './hub/registry.js';
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

  constructor(options: HubOptions) {
    const { store, log, observer } = options;
    const now = options.now ?? Date.now;
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
    this.registry = new AgentRegistry(store, drop, now, observer);
    this.dispatcher = new JobDispatcher({
      store,
      log,
      registry: this.registry,
      send: this.connections.send.bind(this.connections),
      graceMs: options.deadlineGraceMs ?? HUB_RESULT_GRACE_MS,
      now,
      observer,
    });
    this.connections.connect(this.registry, this.dispatcher);
    store.agents.allOffline();
    const interrupted = store.audit.interruptRunning();
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

  /** Sends a job to an agent and resolves when it ends, one way or another; never rejects after dispatch. */
  dispatch(agentName: string, request: JobRequest): Promise<JobOutcome> {
    return this.dispatcher.dispatch(agentName, request);
  }

  /**
   * Throws AgentUnavailableError saying why jobs cannot go to this agent now; given a requester, also when
   * a new job of theirs would be told busy.
   */
  assertAvailable(agentName: string, requestedBy?: JobRequest['requestedBy']): void {
    if (requestedBy) this.dispatcher.assertRoomFor(agentName, requestedBy);
    else this.registry.available(agentName);
  }

  /** Asks an agent to start or stop its keep-alive monitor (the target always comes from the agent's own config). */
  controlMonitor(agentName: string, action: 'start' | 'stop'): boolean {
    const conn = this.registry.connection(agentName);
    if (!conn?.hello?.capabilities.keepalive) return false;
    this.connections.send(conn, { type: 'monitor-control', action });
    return true;
  }

  isOnline(name: string): boolean {
    return this.registry.isOnline(name);
  }

  /** Agents that can take jobs now; a revoked one (revoked from another process) is dropped on the spot. */
  onlineNames(): string[] {
    return this.registry.onlineNames();
  }

  get onlineCount(): number {
    return this.registry.size;
  }

  /** Every registered agent with its live state, online ones first. */
  list(): AgentStatus[] {
    return this.registry.list();
  }

  /** Stops accepting agents, fails what is still running as interrupted and says goodbye (1001: reconnect later). */
  close(): Promise<void> {
    return this.connections.close();
  }
}
