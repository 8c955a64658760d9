import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Store } from '../store/index.js';
import type { AgentRecord } from '../store/agents.js';
import { VERSION } from '../version.js';
import {
  CloseCode,
  MAX_MESSAGE_BYTES,
  PROTOCOL_VERSION,
  closeReason,
  decodeAgentMessage,
  encode,
  type AgentMessage,
  type Capabilities,
  type HubMessage,
  type MonitorEvent,
  type ResultMessage,
} from './protocol.js';
import { hashToken, looksLikeToken } from './tokens.js';

const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/** How a job ended, as the hub saw it. `result` is the probe's result envelope when status is ok. */
export type JobOutcomeStatus = 'ok' | 'failed' | 'refused' | 'timeout' | 'cancelled' | 'disconnected' | 'interrupted';

export interface JobOutcome {
  jobId: string;
  agent: string;
  probe: string;
  status: JobOutcomeStatus;
  result?: unknown;
  error?: { code: string; message: string };
  durationMs: number;
}

export interface JobRequest {
  probe: string;
  params: Record<string, unknown>;
  /** Time the agent has for the job; the hub waits this plus a small network allowance. */
  deadlineMs: number;
  /** Human-readable target for the audit log ("10.0.0.2", "acme.outsystemsenterprise.com:443"). */
  target: string;
  requestedBy: { user: string; platform: string; channel?: string | null };
  /** Groups the jobs of one connectivity check in the audit log. */
  checkId?: string;
  onProgress?: (text: string) => void;
  signal?: AbortSignal;
}

export class AgentUnavailableError extends Error {
  override name = 'AgentUnavailableError';
  constructor(
    message: string,
    readonly reason: 'unknown' | 'offline' | 'draining' | 'revoked' | 'unsupported-probe',
  ) {
    super(message);
  }
}

/** What the hub reports to metrics; the server passes prom-client instruments, tests pass nothing. */
export interface HubObserver {
  agentsOnline(count: number): void;
  jobFinished(probe: string, status: JobOutcomeStatus, seconds: number): void;
  connectionRejected(reason: string): void;
}

/** Where monitor events go once stored (the keep-alive analysis and the notifiers). */
export interface MonitorSink {
  ingest(agent: string, events: MonitorEvent[]): void | Promise<void>;
}

export interface HubOptions {
  store: Store;
  log: Logger;
  observer?: HubObserver;
  monitor?: MonitorSink;
  /** Interval the agents are told to heartbeat at; a connection silent for 3 intervals is dropped. */
  heartbeatMs?: number;
  /** Time an authenticated socket has to say hello. */
  helloTimeoutMs?: number;
  /** Extra time beyond a job's deadline for the result to travel back. */
  deadlineGraceMs?: number;
  /** Messages per second per agent (token bucket, burst = 2x); beyond it the connection is closed. */
  maxMessagesPerSecond?: number;
  now?: () => number;
}

export interface AgentStatus {
  name: string;
  online: boolean;
  draining: boolean;
  revoked: boolean;
  lastSeen: number | null;
  connectedAt: number | null;
  address: string | null;
  version: string | null;
  capabilities: Capabilities | null;
  runningJobs: number;
  monitor: 'up' | 'down' | 'unknown' | 'off' | null;
}

interface PendingJob {
  id: string;
  agent: string;
  probe: string;
  startedAt: number;
  timer: NodeJS.Timeout;
  conn: Connection;
  resolve: (o: JobOutcome) => void;
  onProgress: ((text: string) => void) | undefined;
  acked: boolean;
  cleanup: () => void;
}

interface Connection {
  ws: WebSocket;
  record: AgentRecord;
  /** Hash of the token this connection authenticated with (revocation and re-issue are checked against it). */
  tokenHash: string;
  address: string | null;
  connectedAt: number;
  lastMessageAt: number;
  lastSeenWrite: number;
  hello: { version: string; capabilities: Capabilities; bootId: string } | null;
  draining: boolean;
  monitor: AgentStatus['monitor'];
  jobs: Map<string, PendingJob>;
  tokens: number;
  tokensAt: number;
  helloTimer: NodeJS.Timeout | null;
  closed: boolean;
}

/**
 * The agent hub: authenticates agents at the WebSocket upgrade, keeps the registry of who is online,
 * dispatches jobs with deadlines and writes every job to the audit log. A misbehaving agent only ever
 * loses its own connection; a job never outlives its deadline, and fails at once when its agent goes away.
 */
export class AgentHub {
  private readonly wss: WebSocketServer;
  private readonly online = new Map<string, Connection>();
  private readonly connections = new Set<Connection>();
  private readonly heartbeatMs: number;
  private readonly helloTimeoutMs: number;
  private readonly graceMs: number;
  private readonly rate: number;
  private readonly now: () => number;
  private readonly sweeper: NodeJS.Timeout;
  private closing = false;

  constructor(private readonly options: HubOptions) {
    this.heartbeatMs = options.heartbeatMs ?? 15_000;
    this.helloTimeoutMs = options.helloTimeoutMs ?? 10_000;
    this.graceMs = options.deadlineGraceMs ?? 2_000;
    this.rate = options.maxMessagesPerSecond ?? 500;
    this.now = options.now ?? Date.now;
    // ws enforces the size limit while reading the frame, before a byte of it is buffered beyond the limit.
    this.wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, perMessageDeflate: false });
    // One sweep for all connections: cheaper than a timer per agent with a thousand of them.
    this.sweeper = setInterval(() => this.sweep(), Math.max(50, Math.floor(this.heartbeatMs / 2)));
    this.sweeper.unref();
    options.store.agents.allOffline();
    const interrupted = options.store.audit.interruptRunning();
    if (interrupted > 0) options.log.warn({ jobs: interrupted }, 'jobs left running by a previous hub marked interrupted');
  }

  private get log(): Logger {
    return this.options.log;
  }

  /** Routes upgrades for `path` on this server to the hub; other paths are left to other handlers. */
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
    const address = req.socket.remoteAddress ?? null;
    if (this.closing) {
      rejectUpgrade(socket, 503, 'hub shutting down');
      return;
    }
    const token = bearerToken(req.headers.authorization);
    const tokenHash = token && looksLikeToken(token) ? hashToken(token) : undefined;
    const record = tokenHash ? this.options.store.agents.byTokenHash(tokenHash) : undefined;
    if (!record) {
      this.log.warn({ address, reason: token ? 'unknown or revoked token' : 'no token' }, 'agent connection refused');
      this.options.observer?.connectionRejected('unauthorized');
      rejectUpgrade(socket, 401, 'invalid or revoked agent token');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, record, tokenHash!, address));
  }

  private onConnection(ws: WebSocket, record: AgentRecord, tokenHash: string, address: string | null): void {
    const now = this.now();
    const conn: Connection = {
      ws,
      record,
      tokenHash,
      address,
      connectedAt: now,
      lastMessageAt: now,
      lastSeenWrite: 0,
      hello: null,
      draining: false,
      monitor: null,
      jobs: new Map(),
      tokens: this.rate * 2,
      tokensAt: now,
      helloTimer: null,
      closed: false,
    };
    this.connections.add(conn);
    conn.helloTimer = setTimeout(() => this.drop(conn, CloseCode.protocolError, 'no hello received in time'), this.helloTimeoutMs);
    ws.on('message', (data, isBinary) => this.onMessage(conn, data, isBinary));
    // ws reports oversized frames and protocol violations here, then closes the socket (1009 / 1002).
    ws.on('error', (err) => {
      this.log.warn({ agent: record.name, address, reason: err.message }, 'agent connection closed: protocol error');
      this.options.observer?.connectionRejected('protocol');
      // ws closes the socket itself (1009, 1002); the agent is gone from now on.
      this.markClosed(conn, 'agent disconnected');
    });
    ws.on('close', (code, reason) => this.onClose(conn, code, reason.toString()));
  }

  private onMessage(conn: Connection, data: unknown, isBinary: boolean): void {
    if (conn.closed) return;
    const now = this.now();
    conn.tokens = Math.min(this.rate * 2, conn.tokens + ((now - conn.tokensAt) / 1000) * this.rate);
    conn.tokensAt = now;
    if (--conn.tokens < 0) {
      this.drop(conn, CloseCode.rateLimited, `more than ${this.rate} messages per second`);
      return;
    }
    const decoded = decodeAgentMessage(data, isBinary);
    if (!decoded.ok) {
      this.drop(conn, isBinary ? CloseCode.unsupportedData : CloseCode.protocolError, decoded.reason);
      return;
    }
    conn.lastMessageAt = now;
    const msg = decoded.message;
    if (!conn.hello && msg.type !== 'hello') {
      this.drop(conn, CloseCode.protocolError, `expected hello, got ${msg.type}`);
      return;
    }
    this.handle(conn, msg);
  }

  private handle(conn: Connection, msg: AgentMessage): void {
    const name = conn.record.name;
    switch (msg.type) {
      case 'hello':
        return this.onHello(conn, msg);
      case 'heartbeat': {
        conn.monitor = msg.monitor;
        const now = this.now();
        if (now - conn.lastSeenWrite >= this.heartbeatMs / 2) {
          conn.lastSeenWrite = now;
          this.options.store.agents.seen(conn.record.id, now);
          // Revocation by `agents revoke` (another process) takes effect at the next heartbeat.
          if (!this.options.store.agents.isActiveToken(conn.record.id, conn.tokenHash)) this.drop(conn, CloseCode.revoked, 'agent token revoked');
        }
        return;
      }
      case 'ack': {
        const job = conn.jobs.get(msg.jobId);
        if (job) job.acked = true;
        return;
      }
      case 'progress':
        conn.jobs.get(msg.jobId)?.onProgress?.(msg.text);
        return;
      case 'result':
        return this.onResult(conn, msg);
      case 'monitor':
        conn.monitor = [...msg.events].sort((a, b) => a.at - b.at).at(-1)!.kind;
        void Promise.resolve(this.options.monitor?.ingest(name, msg.events)).catch((err: unknown) =>
          this.log.error({ agent: name, err }, 'monitor events could not be processed'),
        );
        return;
      case 'bye':
        conn.draining = true;
        this.log.info({ agent: name, reason: msg.reason }, 'agent draining');
        return;
    }
  }

  private onHello(conn: Connection, msg: Extract<AgentMessage, { type: 'hello' }>): void {
    const name = conn.record.name;
    if (conn.hello) return this.drop(conn, CloseCode.protocolError, 'hello sent twice');
    if (msg.protocol !== PROTOCOL_VERSION) {
      return this.drop(conn, CloseCode.unsupportedVersion, `protocol ${msg.protocol} not supported (hub speaks ${PROTOCOL_VERSION})`);
    }
    if (msg.name !== name) return this.drop(conn, CloseCode.protocolError, `this token belongs to agent "${name}", not "${msg.name}"`);
    if (conn.helloTimer) clearTimeout(conn.helloTimer);
    conn.helloTimer = null;
    conn.hello = { version: msg.version, capabilities: msg.capabilities, bootId: msg.bootId };
    conn.monitor = msg.capabilities.keepalive ? (msg.capabilities.keepalive.running ? 'unknown' : 'off') : null;

    const previous = this.online.get(name);
    if (previous && previous !== conn) {
      // The newest connection wins: the old one is usually half-open after a network change.
      this.drop(previous, CloseCode.replaced, 'replaced by a newer connection of the same agent');
    }
    this.online.set(name, conn);
    const now = this.now();
    this.options.store.agents.registered(conn.record.id, { version: msg.version, capabilities: msg.capabilities, address: conn.address }, now);
    conn.lastSeenWrite = now;
    this.options.observer?.agentsOnline(this.online.size);
    this.send(conn, { type: 'welcome', protocol: PROTOCOL_VERSION, name, heartbeatMs: this.heartbeatMs, serverTime: now, hubVersion: VERSION });
    this.log.info({ agent: name, address: conn.address, version: msg.version, capabilities: msg.capabilities }, 'agent online');
  }

  private onResult(conn: Connection, msg: ResultMessage): void {
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
    const row = this.options.store.audit.get(msg.jobId);
    if (row && row.agent === conn.record.name) {
      const updated = this.options.store.audit.finish(msg.jobId, {
        status: msg.status,
        detail: `${msg.late ? 'reported after a reconnect' : 'reported late'}: ${msg.error?.message ?? msg.status}`,
        durationMs: Math.round(msg.durationMs),
      });
      if (updated) this.log.info({ agent: conn.record.name, jobId: msg.jobId, status: msg.status }, 'late job result recorded');
    }
  }

  /** Sends a job to an agent and resolves when it ends, one way or another; never rejects after dispatch. */
  dispatch(agentName: string, request: JobRequest): Promise<JobOutcome> {
    const conn = this.available(agentName);
    if (conn.hello && !conn.hello.capabilities.probes.includes(request.probe)) {
      throw new AgentUnavailableError(`agent "${agentName}" does not run ${request.probe} probes`, 'unsupported-probe');
    }

    const id = randomUUID();
    const startedAt = this.now();
    // Within what the protocol allows (10 ms .. 5 min): an agent would refuse anything else as malformed.
    const deadlineMs = Math.min(300_000, Math.max(10, Math.round(request.deadlineMs)));
    // Audit first: a job that reaches an agent always has its row, whatever happens to the hub next.
    this.options.store.audit.start({
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
    });

    return new Promise<JobOutcome>((resolve) => {
      const onAbort = () => {
        this.send(conn, { type: 'cancel', jobId: id, reason: 'cancelled by the requester' });
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
          this.send(conn, { type: 'cancel', jobId: id, reason: 'deadline exceeded' });
          this.settle(job, {
            status: 'timeout',
            error: { code: 'deadline', message: `agent ${agentName} did not ${job.acked ? 'finish' : 'acknowledge'} the job within ${deadlineMs} ms` },
          });
        }, deadlineMs + this.graceMs),
        cleanup: () => request.signal?.removeEventListener('abort', onAbort),
      };
      conn.jobs.set(id, job);
      if (request.signal?.aborted) return onAbort();
      request.signal?.addEventListener('abort', onAbort, { once: true });
      this.send(conn, { type: 'job', jobId: id, probe: request.probe, params: request.params, deadlineMs });
    });
  }

  /** Throws AgentUnavailableError saying why jobs cannot go to this agent now. */
  assertAvailable(agentName: string): void {
    this.available(agentName);
  }

  private available(agentName: string): Connection {
    const conn = this.online.get(agentName);
    if (!conn || conn.closed) {
      const known = this.options.store.agents.byName(agentName);
      if (!known) throw new AgentUnavailableError(`no agent named "${agentName}"`, 'unknown');
      if (known.revokedAt !== null) throw new AgentUnavailableError(`agent "${agentName}" is revoked`, 'revoked');
      throw new AgentUnavailableError(`agent "${agentName}" is offline`, 'offline');
    }
    // `agents revoke` runs in another process: check the store now rather than wait for the next heartbeat,
    // so not one more job goes to a revoked agent (one indexed lookup per dispatch).
    if (!this.options.store.agents.isActiveToken(conn.record.id, conn.tokenHash)) {
      this.drop(conn, CloseCode.revoked, 'agent token revoked');
      throw new AgentUnavailableError(`agent "${agentName}" is revoked`, 'revoked');
    }
    if (conn.draining) throw new AgentUnavailableError(`agent "${agentName}" is shutting down`, 'draining');
    return conn;
  }

  private settle(job: PendingJob, end: Pick<JobOutcome, 'status' | 'result' | 'error'>): void {
    if (!job.conn.jobs.delete(job.id)) return;
    clearTimeout(job.timer);
    job.cleanup();
    const durationMs = this.now() - job.startedAt;
    const outcome: JobOutcome = { jobId: job.id, agent: job.agent, probe: job.probe, durationMs, ...end };
    try {
      this.options.store.audit.finish(job.id, { status: end.status, detail: end.error?.message ?? null, durationMs });
    } catch (err) {
      // The caller still gets the answer; the row stays "running" and is marked interrupted at next start.
      this.log.error({ err, jobId: job.id }, 'could not record the job outcome');
    }
    this.options.observer?.jobFinished(job.probe, end.status, durationMs / 1000);
    job.resolve(outcome);
  }

  private send(conn: Connection, message: HubMessage): void {
    if (conn.closed || conn.ws.readyState !== conn.ws.OPEN) return;
    // An agent that stops reading must not make the hub buffer without bound.
    if (conn.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.drop(conn, CloseCode.protocolError, `agent is not reading (${conn.ws.bufferedAmount} bytes queued)`);
      return;
    }
    conn.ws.send(encode(message));
  }

  /** Closes one agent's connection with a logged reason; the hub and every other agent carry on. */
  private drop(conn: Connection, code: number, reason: string): void {
    if (conn.closed) return;
    this.log.warn({ agent: conn.record.name, address: conn.address, code, reason }, 'agent connection closed by the hub');
    if (code === CloseCode.protocolError || code === CloseCode.unsupportedData || code === CloseCode.rateLimited) {
      this.options.observer?.connectionRejected('protocol');
    }
    this.markClosed(conn, code === CloseCode.replaced ? 'agent reconnected' : 'agent disconnected');
    conn.ws.close(code, closeReason(reason));
    // A peer that ignores the close handshake must not keep the socket (and its memory) forever.
    setTimeout(() => conn.ws.terminate(), 2_000).unref();
  }

  private onClose(conn: Connection, code: number, reason: string): void {
    if (!conn.closed) this.log.info({ agent: conn.record.name, code, reason }, 'agent disconnected');
    this.markClosed(conn, this.closing ? 'hub shutting down' : 'agent disconnected');
  }

  private markClosed(conn: Connection, why: string): void {
    if (conn.closed) return;
    conn.closed = true;
    if (conn.helloTimer) clearTimeout(conn.helloTimer);
    this.connections.delete(conn);
    if (this.online.get(conn.record.name) === conn) {
      this.online.delete(conn.record.name);
      this.options.observer?.agentsOnline(this.online.size);
      try {
        this.options.store.agents.disconnected(conn.record.id, this.now());
      } catch {
        // the store may already be closed during shutdown
      }
    }
    const status: JobOutcomeStatus = this.closing ? 'interrupted' : 'disconnected';
    for (const job of [...conn.jobs.values()]) this.settle(job, { status, error: { code: status, message: why } });
  }

  private sweep(): void {
    const now = this.now();
    const silentFor = this.heartbeatMs * 3;
    for (const conn of this.connections) {
      if (conn.hello && now - conn.lastMessageAt > silentFor) this.drop(conn, CloseCode.heartbeatTimeout, `no heartbeat for ${silentFor} ms`);
    }
  }

  /** Asks an agent to start or stop its keep-alive monitor (the target always comes from the agent's own config). */
  controlMonitor(agentName: string, action: 'start' | 'stop'): boolean {
    const conn = this.online.get(agentName);
    if (!conn?.hello?.capabilities.keepalive) return false;
    this.send(conn, { type: 'monitor-control', action });
    return true;
  }

  isOnline(name: string): boolean {
    const conn = this.online.get(name);
    return conn !== undefined && !conn.draining;
  }

  /** Agents that can take jobs now; a revoked one (revoked from another process) is dropped on the spot. */
  onlineNames(): string[] {
    const names: string[] = [];
    for (const conn of [...this.online.values()]) {
      if (conn.draining || conn.closed) continue;
      if (!this.options.store.agents.isActiveToken(conn.record.id, conn.tokenHash)) {
        this.drop(conn, CloseCode.revoked, 'agent token revoked');
        continue;
      }
      names.push(conn.record.name);
    }
    return names.sort();
  }

  get onlineCount(): number {
    return this.online.size;
  }

  /** Every registered agent with its live state, online ones first. */
  list(): AgentStatus[] {
    return this.options.store.agents
      .list()
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

  /** Stops accepting agents, fails what is still running as interrupted and says goodbye (1001: reconnect later). */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    clearInterval(this.sweeper);
    const all = [...this.connections];
    await Promise.all(
      all.map(
        (conn) =>
          new Promise<void>((resolve) => {
            this.markClosed(conn, 'hub shutting down');
            if (conn.ws.readyState === conn.ws.CLOSED) return resolve();
            const t = setTimeout(() => {
              conn.ws.terminate();
              resolve();
            }, 1_000);
            conn.ws.once('close', () => {
              clearTimeout(t);
              resolve();
            });
            conn.ws.close(CloseCode.goingAway, 'hub shutting down');
          }),
      ),
    );
    this.wss.close();
  }
}

function bearerToken(header: string | undefined): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m ? m[1]! : null;
}

function rejectUpgrade(socket: Duplex, status: number, message: string): void {
  const text = { 401: 'Unauthorized', 404: 'Not Found', 503: 'Service Unavailable' }[status] ?? 'Error';
  // As ws does it: end() flushes the response, then the socket is destroyed once written.
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(message) + 1}\r\n\r\n${message}\n`,
  );
}
