import type { Store } from '../../store/index.js';
import { CloseCode, type Capabilities } from '../protocol.js';
import { AgentUnavailableError, type AgentStatus, type Connection, type DropConnection, type HubObserver } from './types.js';

/**
 * Who is online: one connection per agent name (the newest wins), and the one place that decides whether
 * an agent may take jobs, revocation included.
 */
export class AgentRegistry {
  private readonly online = new Map<string, Connection>();

  constructor(
    private readonly store: Store,
    private readonly drop: DropConnection,
    private readonly now: () => number,
    private readonly observer?: HubObserver,
    /** With replicas: told which agents this replica holds (src/agents/hub/replica-link.ts). */
    private readonly presence?: { claimed(name: string): void; released(name: string): void },
  ) {}

  /** A connection that said hello; the agent's previous connection, if any, is replaced. */
  add(conn: Connection): void {
    const name = conn.record.name;
    const previous = this.online.get(name);
    if (previous && previous !== conn) {
      // The newest connection wins: the old one is usually half-open after a network change.
      this.drop(previous, CloseCode.replaced, 'replaced by a newer connection of the same agent');
    }
    this.online.set(name, conn);
    this.observer?.agentsOnline(this.online.size);
    this.presence?.claimed(name);
  }

  /** Forgets a closed connection; true when it was the agent's current one. */
  remove(conn: Connection): boolean {
    if (this.online.get(conn.record.name) !== conn) return false;
    this.online.delete(conn.record.name);
    this.observer?.agentsOnline(this.online.size);
    this.presence?.released(conn.record.name);
    return true;
  }

  get size(): number {
    return this.online.size;
  }

  connection(name: string): Connection | undefined {
    return this.online.get(name);
  }

  /**
   * THE revocation check. `agents revoke` runs in another process, so the token is looked up again
   * (one indexed read) whenever it matters: before a job is sent, when the online agents are listed, and at
   * the heartbeat. A revoked connection is dropped on the spot.
   */
  async stillAuthorized(conn: Connection): Promise<boolean> {
    if (await this.store.agents.isActiveToken(conn.record.id, conn.tokenHash)) return true;
    this.drop(conn, CloseCode.revoked, 'agent token revoked');
    return false;
  }

  /** The connection jobs for `name` go to; AgentUnavailableError says why there is none. */
  async available(name: string): Promise<Connection> {
    const conn = this.online.get(name);
    if (!conn || conn.closed) return this.unavailable(name);
    if (!(await this.stillAuthorized(conn))) throw new AgentUnavailableError(`agent "${name}" is revoked`, 'revoked', name);
    // The connection may have gone while the token was being checked.
    if (conn.closed) return this.unavailable(name);
    if (conn.draining) throw new AgentUnavailableError(`agent "${name}" is shutting down`, 'draining', name);
    return conn;
  }

  private async unavailable(name: string): Promise<never> {
    const known = await this.store.agents.byName(name);
    if (!known) throw new AgentUnavailableError(`no agent named "${name}"`, 'unknown', name);
    if (known.revokedAt !== null) throw new AgentUnavailableError(`agent "${name}" is revoked`, 'revoked', name);
    throw new AgentUnavailableError(`agent "${name}" is offline`, 'offline', name);
  }

  isOnline(name: string): boolean {
    const conn = this.online.get(name);
    return conn !== undefined && !conn.draining;
  }

  /** Agents that can take jobs now. */
  async onlineNames(): Promise<string[]> {
    const candidates = [...this.online.values()].filter((conn) => !conn.draining && !conn.closed);
    const authorized = await Promise.all(candidates.map((conn) => this.stillAuthorized(conn)));
    return candidates
      .filter((conn, i) => authorized[i] && !conn.closed)
      .map((conn) => conn.record.name)
      .sort();
  }

  /** Every registered agent with its live state, online ones first. */
  async list(): Promise<AgentStatus[]> {
    return (await this.store.agents.list())
      .map((r): AgentStatus => {
        const conn = this.online.get(r.name);
        const caps = conn?.hello?.capabilities ?? (r.capabilities as Capabilities | null);
        return {
          name: r.name,
          online: conn !== undefined,
          draining: conn?.draining ?? false,
          revoked: r.revokedAt !== null,
          lastSeen: conn ? this.now() : r.lastSeen,
          connectedAt: conn?.connectedAt ?? null,
          address: conn?.address ?? r.lastAddress,
          version: conn?.hello?.version ?? r.version,
          capabilities: caps ?? null,
          runningJobs: conn?.jobs.size ?? 0,
          monitor: conn ? conn.monitor : null,
        };
      })
      .sort((a, b) => Number(b.online) - Number(a.online) || a.name.localeCompare(b.name));
  }
}
