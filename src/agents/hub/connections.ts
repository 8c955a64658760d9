import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AgentRecord } from '../../store/agents.js';
import type { Store } from '../../store/index.js';
import { VERSION } from '../../version.js';
import {
  CloseCode,
  MAX_MESSAGE_BYTES,
  PROTOCOL_VERSION,
  closeReason,
  decodeAgentMessage,
  encode,
  type AgentMessage,
  type HubMessage,
} from '../protocol.js';
import { hashToken, looksLikeToken } from '../tokens.js';
import type { JobDispatcher } from './dispatcher.js';
import { FairQueue } from './fair-queue.js';
import type { AgentRegistry } from './registry.js';
import type { Connection, HubObserver, MonitorSink, PendingJob } from './types.js';

const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

export interface ConnectionsDeps {
  store: Store;
  log: Logger;
  heartbeatMs: number;
  helloTimeoutMs: number;
  /** Messages per second per agent (token bucket, burst = 2x). */
  rate: number;
  now: () => number;
  observer?: HubObserver | undefined;
  monitor?: MonitorSink | undefined;
}

/**
 * The agents' sockets: token check at the WebSocket upgrade (an unauthenticated peer never gets a socket),
 * the hello, per-agent rate limit, message decoding, heartbeats, and closing a misbehaving agent's
 * connection (and only its own). Job messages go to the dispatcher, who-is-online to the registry.
 */
export class AgentConnections {
  private readonly wss: WebSocketServer;
  private readonly all = new Set<Connection>();
  private readonly sweeper: NodeJS.Timeout;
  private registry!: AgentRegistry;
  /** The last pending state write of each agent (by id): see record(). */
  private readonly writes = new Map<number, Promise<void>>();
  /** Agents are admitted once the hub has reset what a previous hub left (AgentHub.ready). */
  private ready: Promise<void> = Promise.resolve();
  private dispatcher!: JobDispatcher;
  private closing = false;

  constructor(private readonly deps: ConnectionsDeps) {
    // ws enforces the size limit while reading the frame, before a byte of it is buffered beyond the limit.
    // allowSynchronousEvents off: ws hands over one message per event-loop turn, so a burst of large frames
    // read in one TCP chunk (20 monitor messages of 500 events) cannot hold the loop for all of them at once.
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: MAX_MESSAGE_BYTES,
      perMessageDeflate: false,
      allowSynchronousEvents: false,
    });
    // One sweep for all connections: cheaper than a timer per agent with a thousand of them.
    this.sweeper = setInterval(() => this.sweep(), Math.max(50, Math.floor(deps.heartbeatMs / 2)));
    this.sweeper.unref();
  }

  /** The two parts this layer hands messages to (they in turn send and drop through this one). */
  connect(registry: AgentRegistry, dispatcher: JobDispatcher, ready: Promise<void>): void {
    this.registry = registry;
    this.dispatcher = dispatcher;
    this.ready = ready;
  }

  private get log(): Logger {
    return this.deps.log;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    void this.upgrade(req, socket, head).catch((err: unknown) => {
      // The database could not be read: the agent retries, as after any refused connection.
      this.log.error({ err }, 'agent connection refused: the token could not be checked');
      if (!socket.destroyed) rejectUpgrade(socket, 503, 'hub cannot check tokens now');
    });
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const address = req.socket.remoteAddress ?? null;
    if (this.closing) {
      rejectUpgrade(socket, 503, 'hub shutting down');
      return;
    }
    const token = bearerToken(req.headers.authorization);
    const tokenHash = token && looksLikeToken(token) ? hashToken(token) : undefined;
    // Only an active token finds its agent: a revoked one is refused here, before any socket exists.
    await this.ready;
    const record = tokenHash ? await this.deps.store.agents.byTokenHash(tokenHash) : undefined;
    if (socket.destroyed) return; // the peer gave up while the token was looked up
    if (this.closing) {
      rejectUpgrade(socket, 503, 'hub shutting down');
      return;
    }
    if (!record) {
      this.log.warn({ address, reason: token ? 'unknown or revoked token' : 'no token' }, 'agent connection refused');
      this.deps.observer?.connectionRejected('unauthorized');
      rejectUpgrade(socket, 401, 'invalid or revoked agent token');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, record, tokenHash!, address));
  }

  private onConnection(ws: WebSocket, record: AgentRecord, tokenHash: string, address: string | null): void {
    const now = this.deps.now();
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
      inFlight: 0,
      // Sized at the hello, from the agent's advertised concurrency.
      waiting: new FairQueue<PendingJob>(1),
      tokens: this.deps.rate * 2,
      tokensAt: now,
      helloTimer: null,
      closed: false,
    };
    this.all.add(conn);
    conn.helloTimer = setTimeout(() => this.drop(conn, CloseCode.protocolError, 'no hello received in time'), this.deps.helloTimeoutMs);
    ws.on('message', (data, isBinary) => this.onMessage(conn, data, isBinary));
    // ws reports oversized frames and protocol violations here, then closes the socket (1009 / 1002).
    ws.on('error', (err) => {
      this.log.warn({ agent: record.name, address, reason: err.message }, 'agent connection closed: protocol error');
      this.deps.observer?.connectionRejected('protocol');
      // ws closes the socket itself (1009, 1002); the agent is gone from now on.
      this.markClosed(conn, 'agent disconnected');
    });
    ws.on('close', (code, reason) => this.onClose(conn, code, reason.toString()));
  }

  private onMessage(conn: Connection, data: unknown, isBinary: boolean): void {
    if (conn.closed) return;
    const now = this.deps.now();
    const rate = this.deps.rate;
    conn.tokens = Math.min(rate * 2, conn.tokens + ((now - conn.tokensAt) / 1000) * rate);
    conn.tokensAt = now;
    const overLimit = --conn.tokens < 0;
    // Over the limit, a message is still read to see whether it answers a job the hub sent: acks and
    // results (refusals included) of the hub's own jobs never count, so a burst of jobs cannot get the agent
    // closed for answering them. Anything else over the limit closes the connection, unread beyond that.
    const decoded = decodeAgentMessage(data, isBinary);
    if (decoded.ok && isReplyToPendingJob(conn, decoded.message)) conn.tokens++;
    else if (overLimit) {
      this.drop(conn, CloseCode.rateLimited, `more than ${rate} messages per second`);
      return;
    }
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
        const now = this.deps.now();
        if (now - conn.lastSeenWrite >= this.deps.heartbeatMs / 2) {
          conn.lastSeenWrite = now;
          this.record(conn, 'last seen', () => this.deps.store.agents.seen(conn.record.id, now));
          // Revocation by `agents revoke` (another process) takes effect at the latest at the next heartbeat.
          this.registry
            .stillAuthorized(conn)
            .catch((err: unknown) => this.log.warn({ agent: name, err }, 'could not check the agent token'));
        }
        return;
      }
      case 'ack':
        return this.dispatcher.acked(conn, msg.jobId);
      case 'progress':
        return this.dispatcher.progress(conn, msg.jobId, msg.text);
      case 'result':
        return this.dispatcher.result(conn, msg);
      case 'monitor':
        conn.monitor = [...msg.events].sort((a, b) => a.at - b.at).at(-1)!.kind;
        void Promise.resolve(this.deps.monitor?.ingest(name, msg.events)).catch((err: unknown) =>
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
    if (msg.name !== name) return this.drop(conn, CloseCode.nameMismatch, `this token belongs to agent "${name}", not "${msg.name}"`);
    if (conn.helloTimer) clearTimeout(conn.helloTimer);
    conn.helloTimer = null;
    conn.hello = { version: msg.version, capabilities: msg.capabilities, bootId: msg.bootId };
    // As many jobs may wait on the hub as the agent runs at once; beyond that callers hear "busy" (429).
    conn.waiting = new FairQueue<PendingJob>(msg.capabilities.maxConcurrency);
    conn.monitor = msg.capabilities.keepalive ? (msg.capabilities.keepalive.running ? 'unknown' : 'off') : null;

    this.registry.add(conn);
    const now = this.deps.now();
    const info = { version: msg.version, capabilities: msg.capabilities, address: conn.address };
    this.record(conn, 'agent online', () => this.deps.store.agents.registered(conn.record.id, info, now));
    conn.lastSeenWrite = now;
    const { heartbeatMs } = this.deps;
    this.send(conn, { type: 'welcome', protocol: PROTOCOL_VERSION, name, heartbeatMs, serverTime: now, hubVersion: VERSION });
    this.log.info({ agent: name, address: conn.address, version: msg.version, capabilities: msg.capabilities }, 'agent online');
  }

  send(conn: Connection, message: HubMessage): void {
    if (conn.closed || conn.ws.readyState !== conn.ws.OPEN) return;
    // An agent that stops reading must not make the hub buffer without bound.
    if (conn.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.drop(conn, CloseCode.protocolError, `agent is not reading (${conn.ws.bufferedAmount} bytes queued)`);
      return;
    }
    conn.ws.send(encode(message));
  }

  /** Closes one agent's connection with a logged reason; the hub and every other agent carry on. */
  drop(conn: Connection, code: number, reason: string): void {
    if (conn.closed) return;
    this.log.warn({ agent: conn.record.name, address: conn.address, code, reason }, 'agent connection closed by the hub');
    if (code === CloseCode.protocolError || code === CloseCode.unsupportedData || code === CloseCode.rateLimited) {
      this.deps.observer?.connectionRejected('protocol');
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
    this.all.delete(conn);
    if (this.registry.remove(conn)) {
      const now = this.deps.now();
      this.record(conn, 'agent offline', () => this.deps.store.agents.disconnected(conn.record.id, now));
    }
    this.dispatcher.failAll(conn, this.closing ? 'interrupted' : 'disconnected', why);
  }

  private sweep(): void {
    const now = this.deps.now();
    const silentFor = this.deps.heartbeatMs * 3;
    for (const conn of this.all) {
      if (conn.hello && now - conn.lastMessageAt > silentFor)
        this.drop(conn, CloseCode.heartbeatTimeout, `no heartbeat for ${silentFor} ms`);
    }
  }

  /** Stops accepting agents, fails what is still running as interrupted and says goodbye (1001: reconnect later). */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    clearInterval(this.sweeper);
    await Promise.all(
      [...this.all].map(
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
    // The last state and audit writes land before whoever closes the hub closes the store.
    await Promise.allSettled([...this.writes.values()]);
    await this.dispatcher.flush();
  }

  /**
   * Writes one agent's state (online, offline, last seen) in the order its events happened: the writes of
   * one agent go one after another, since a pool of connections could otherwise apply an older "online"
   * after a newer "offline". A failed write is logged; the hub goes on.
   */
  private record(conn: Connection, what: string, write: () => Promise<void>): void {
    const id = conn.record.id;
    const next = (this.writes.get(id) ?? Promise.resolve()).then(write).catch((err: unknown) => {
      if (!this.closing) this.log.warn({ agent: conn.record.name, err }, `could not record ${what}`);
    });
    this.writes.set(id, next);
    void next.then(() => {
      if (this.writes.get(id) === next) this.writes.delete(id);
    });
  }
}

function isReplyToPendingJob(conn: Connection, msg: AgentMessage): boolean {
  return (msg.type === 'ack' || msg.type === 'result') && conn.jobs.get(msg.jobId)?.send === null;
}

function bearerToken(header: string | undefined): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m ? m[1]! : null;
}

export function rejectUpgrade(socket: Duplex, status: number, message: string): void {
  const text = { 401: 'Unauthorized', 404: 'Not Found', 503: 'Service Unavailable' }[status] ?? 'Error';
  // As ws does it: end() flushes the response, then the socket is destroyed once written.
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(message) + 1}\r\n\r\n${message}\n`,
  );
}
