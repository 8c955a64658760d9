import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import WebSocket from 'ws';
import { VERSION } from '../version.js';
import { backoffDelay } from './backoff.js';
import { BoundedQueue } from './bounded-queue.js';
import type { ExecOutcome } from './executor.js';
import { KeepaliveMonitor } from './keepalive-monitor.js';
import {
  CloseCode,
  MAX_MESSAGE_BYTES,
  PROTOCOL_VERSION,
  decodeHubMessage,
  encode,
  type AgentMessage,
  type Capabilities,
  type JobMessage,
  type MonitorEvent,
  type ResultMessage,
} from './protocol.js';
import { AGENT_OVERRUN_MS } from '../probes/deadlines.js';
import { Semaphore } from './semaphore.js';
import type { AgentOptions } from './agent-options.js';
import { AgentRefusedError, permanentRefusal } from './agent-refusal.js';
import { withDeadline } from './job-deadline.js';

export type { AgentOptions } from './agent-options.js';
export { AGENT_REFUSED_EXIT_CODE, AgentRefusedError } from './agent-refusal.js';

interface RunningJob {
  id: string;
  abort: AbortController;
  done: Promise<void>;
}

export type AgentState = 'idle' | 'connecting' | 'online' | 'waiting' | 'stopped';

/**
 * The probe agent: connects OUT to the hub (nothing listens on the customer's network), runs the jobs it
 * is sent within its own limits (catalogue, allowlist, concurrency, deadline) and keeps the tunnel alive
 * with its keep-alive monitor. It reconnects forever with capped backoff; what happens while the hub is
 * away (monitor events, results of running jobs) is buffered within bounds and sent on reconnect.
 */
export class ProbeAgent {
  readonly bootId = randomUUID();
  private readonly now: () => number;
  private readonly semaphore: Semaphore;
  private readonly maxQueued: number;
  private readonly events: BoundedQueue<MonitorEvent>;
  private readonly results: BoundedQueue<ResultMessage>;
  private readonly running = new Map<string, RunningJob>();
  private readonly monitor: KeepaliveMonitor | null;
  private ws: WebSocket | null = null;
  private readonly hubUrls: readonly string[];
  /** The hub URL of the current (or next) connection attempt. */
  private urlIndex = 0;
  private welcomed = false;
  private attempt = 0;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private awaitingPong = 0;
  private draining = false;
  private eventSeq = 0;
  /** Incremented on every welcome: a result sent on a later connection than its job came on is "late". */
  private generation = 0;
  private lastCloseNote: string | null = null;
  private connectedWaiters: (() => void)[] = [];
  /** Permanent refusals since the last welcome. */
  private refusals = 0;
  /** Why the last connection attempt was refused for good (set by the upgrade's 401 or a close code). */
  private refusal: string | null = null;
  private giveUp!: (err: AgentRefusedError) => void;
  /** Settles (never rejects) when the hub has refused this agent `maxRefusals` times in a row; it is then stopped. */
  readonly refused: Promise<AgentRefusedError> = new Promise((resolve) => (this.giveUp = resolve));
  state: AgentState = 'idle';

  constructor(private readonly options: AgentOptions) {
    this.now = options.now ?? Date.now;
    this.hubUrls = typeof options.hubUrl === 'string' ? [options.hubUrl] : [...options.hubUrl];
    if (this.hubUrls.length === 0) throw new Error('the agent needs at least one hub URL');
    this.semaphore = new Semaphore(options.maxConcurrency ?? 4);
    this.maxQueued = options.maxQueued ?? 32;
    this.events = new BoundedQueue(options.eventBuffer ?? 1000);
    this.results = new BoundedQueue(options.resultBuffer ?? 200);
    const ka = options.keepalive;
    this.monitor = ka
      ? new KeepaliveMonitor({
          target: ka.target,
          intervalMs: ka.intervalMs,
          ...(ka.downAfter ? { downAfter: ka.downAfter } : {}),
          ...(ka.upAfter ? { upAfter: ka.upAfter } : {}),
          ping: ka.ping,
          now: this.now,
          newId: () => `${this.bootId.slice(0, 8)}-${++this.eventSeq}`,
          onEvent: (e) => this.onMonitorEvent(e),
          onError: (message) => this.log.error({ target: ka.target }, message),
        })
      : null;
  }

  private get log(): Logger {
    return this.options.log;
  }

  get capabilities(): Capabilities {
    return {
      icmp: this.options.selfTest.icmp,
      traceroute: this.options.selfTest.traceroute,
      probes: [...this.options.executor.kinds],
      allow: this.options.allowlist.texts,
      maxConcurrency: this.semaphore.limit,
      keepalive: this.monitor ? { target: this.monitor.target, intervalMs: this.monitor.intervalMs, running: this.monitor.running } : null,
      platform: `${process.platform}-${process.arch}`,
    };
  }

  /** Monitor events and late results waiting for the hub. */
  get buffered(): { events: number; results: number; droppedEvents: number } {
    return { events: this.events.size, results: this.results.size, droppedEvents: this.events.dropped };
  }

  /** The hub URL the agent is connected (or connecting) to. */
  get hubUrl(): string {
    return this.hubUrls[this.urlIndex]!;
  }

  get runningJobs(): number {
    return this.running.size;
  }

  get tunnelState(): 'up' | 'down' | 'unknown' | 'off' {
    if (!this.monitor?.running) return 'off';
    return this.monitor.state;
  }

  start(): void {
    if (this.state !== 'idle') return;
    this.monitor?.start();
    this.connect();
  }

  /** Resolves once the hub has welcomed this agent (tests, and the CLI's first "connected" line). */
  whenOnline(): Promise<void> {
    if (this.state === 'online') return Promise.resolve();
    return new Promise((resolve) => this.connectedWaiters.push(resolve));
  }

  private connect(): void {
    if (this.state === 'stopped') return;
    this.state = 'connecting';
    this.welcomed = false;
    const url = this.hubUrl;
    const httpAgent = typeof this.options.httpAgent === 'function' ? this.options.httpAgent(url) : this.options.httpAgent;
    const ws = new WebSocket(url, {
      headers: { Authorization: `Bearer ${this.options.token}` },
      maxPayload: MAX_MESSAGE_BYTES,
      perMessageDeflate: false,
      handshakeTimeout: 10_000,
      ...(httpAgent ? { agent: httpAgent } : {}),
    });
    this.ws = ws;
    ws.on('open', () => {
      this.send({
        type: 'hello',
        protocol: PROTOCOL_VERSION,
        name: this.options.name,
        version: this.options.version ?? VERSION,
        bootId: this.bootId,
        capabilities: this.capabilities,
      });
    });
    ws.on('message', (data, isBinary) => this.onMessage(ws, data, isBinary));
    ws.on('pong', () => (this.awaitingPong = 0));
    ws.on('error', (err) => {
      // "Unexpected server response: 401" is how ws reports a refused token at the upgrade.
      const status = /Unexpected server response: (\d+)/.exec(err.message)?.[1];
      this.lastCloseNote = status === '401' ? 'the hub refused the token (revoked, or for another hub?)' : err.message;
      if (status === '401') this.refusal = 'the hub refused the token: it is unknown to this hub, revoked, or mistyped';
    });
    ws.on('close', (code, reason) => this.onClose(ws, code, reason.toString()));
  }

  private onMessage(ws: WebSocket, data: WebSocket.RawData, isBinary: boolean): void {
    const decoded = decodeHubMessage(data, isBinary);
    if (!decoded.ok) {
      this.log.error({ reason: decoded.reason }, 'unreadable message from the hub; reconnecting');
      ws.close(CloseCode.protocolError, 'malformed message');
      return;
    }
    const msg = decoded.message;
    switch (msg.type) {
      case 'welcome':
        return this.onWelcome(msg.heartbeatMs);
      case 'job':
        void this.onJob(msg);
        return;
      case 'cancel':
        this.running.get(msg.jobId)?.abort.abort(new Error(msg.reason));
        return;
      case 'monitor-control':
        if (!this.monitor) return;
        if (msg.action === 'start') this.monitor.start();
        else this.monitor.stop();
        this.log.info({ action: msg.action }, 'keep-alive monitor switched by the hub');
        return;
    }
  }

  private onWelcome(heartbeatMs: number): void {
    this.welcomed = true;
    this.generation++;
    this.state = 'online';
    this.attempt = 0;
    this.refusals = 0;
    this.lastCloseNote = null;
    this.log.info({ hub: this.hubUrl, name: this.options.name }, 'connected to the hub');
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.awaitingPong = 0;
    this.heartbeatTimer = setInterval(() => this.heartbeat(), heartbeatMs);
    if (this.draining) this.send({ type: 'bye', reason: 'agent shutting down' });
    this.flush();
    for (const w of this.connectedWaiters.splice(0)) w();
  }

  private heartbeat(): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    // Two unanswered pings: the path to the hub is dead even if TCP has not noticed; start over.
    if (this.awaitingPong >= 2) {
      this.log.warn('hub stopped answering pings; reconnecting');
      ws.terminate();
      return;
    }
    this.awaitingPong++;
    ws.ping();
    this.send({ type: 'heartbeat', running: this.running.size, monitor: this.tunnelState });
  }

  private onClose(ws: WebSocket, code: number, reason: string): void {
    if (ws !== this.ws) return;
    this.ws = null;
    this.welcomed = false;
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
    if (this.state === 'stopped') return;
    const refusal = this.refusal ?? permanentRefusal(code, reason);
    this.refusal = null;
    if (refusal) {
      this.refusals++;
      if (this.refusals >= (this.options.maxRefusals ?? 3)) {
        this.fail(refusal);
        return;
      }
    }
    // A newer process with our name, or a refusal (checked again a few times, in case an operator is
    // mid-change): retrying fast would only fight it.
    if (refusal || code === CloseCode.replaced) this.attempt = Math.max(this.attempt, 3);
    const delay = backoffDelay(this.attempt++, this.options.backoff);
    const from = this.hubUrl;
    // Fail over: the next replica gets the next attempt (one URL behind a load balancer: the same URL, and
    // the balancer picks a live replica). A newer connection of ours replaced this one: stay where it is.
    if (code !== CloseCode.replaced) this.urlIndex = (this.urlIndex + 1) % this.hubUrls.length;
    this.state = 'waiting';
    this.log.warn(
      { code, reason: reason || this.lastCloseNote, hub: from, next: this.hubUrl, retryInMs: delay },
      'disconnected from the hub',
    );
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, delay);
  }

  private async onJob(msg: JobMessage): Promise<void> {
    const started = this.now();
    const generation = this.generation;
    const refuse = (code: string, message: string) =>
      this.deliver({ type: 'result', jobId: msg.jobId, status: 'refused', error: { code, message }, durationMs: 0 });
    if (this.running.has(msg.jobId)) return;
    if (this.draining) return refuse('draining', 'the agent is shutting down');
    if (!this.options.executor.kinds.includes(msg.probe)) return refuse('unknown-probe', `this agent does not run ${msg.probe} probes`);
    if (this.running.size >= this.semaphore.limit + this.maxQueued)
      return refuse('busy', `the agent already has ${this.running.size} jobs`);

    const abort = new AbortController();
    const deadline = started + msg.deadlineMs;
    const deadlineTimer = setTimeout(() => abort.abort(new Error('deadline exceeded')), msg.deadlineMs);
    let finish!: () => void;
    const done = new Promise<void>((r) => (finish = r));
    this.running.set(msg.jobId, { id: msg.jobId, abort, done });
    this.send({ type: 'ack', jobId: msg.jobId });

    let outcome: ExecOutcome | { status: 'timeout' | 'cancelled'; error: { code: string; message: string } };
    let release: (() => void) | null = null;
    try {
      release = await this.semaphore.acquire(abort.signal);
      outcome = await withDeadline(
        this.options.executor.execute(
          { probe: msg.probe, params: msg.params },
          {
            signal: abort.signal,
            deadline,
            onProgress: (text) => this.send({ type: 'progress', jobId: msg.jobId, text: text.slice(0, 500) }),
          },
        ),
        abort.signal,
        // A probe is expected to answer by its deadline; past it (plus a little) the slot is freed anyway.
        msg.deadlineMs + AGENT_OVERRUN_MS - (this.now() - started),
      );
    } catch (err) {
      const reason = abort.signal.aborted
        ? String((abort.signal.reason as Error | undefined)?.message ?? abort.signal.reason)
        : (err as Error).message;
      if (reason === 'deadline exceeded') {
        outcome = { status: 'timeout', error: { code: 'deadline', message: `the job did not finish within ${msg.deadlineMs} ms` } };
      } else if (abort.signal.aborted) {
        // Cancelled by the hub, or the agent is shutting down.
        outcome = { status: 'cancelled', error: { code: 'cancelled', message: reason.slice(0, 500) } };
      } else {
        outcome = { status: 'failed', error: { code: 'error', message: reason.slice(0, 500) } };
      }
    } finally {
      release?.();
      clearTimeout(deadlineTimer);
      this.running.delete(msg.jobId);
      finish();
    }
    const durationMs = this.now() - started;
    if (outcome.status === 'refused') this.log.warn({ jobId: msg.jobId, probe: msg.probe, reason: outcome.error.message }, 'job refused');
    this.deliver(
      {
        type: 'result',
        jobId: msg.jobId,
        status: outcome.status,
        ...(outcome.status === 'ok' ? { result: outcome.result } : { error: outcome.error }),
        durationMs,
      },
      generation,
    );
  }

  /** Sends a result now, or keeps it for the next connection when the hub is unreachable. */
  private deliver(result: ResultMessage, generation = this.generation): void {
    const late = generation !== this.generation || !this.welcomed;
    const message = late ? { ...result, late: true } : result;
    if (this.welcomed && this.send(message)) return;
    this.results.push(message);
  }

  private onMonitorEvent(event: MonitorEvent): void {
    this.log[event.kind === 'down' ? 'warn' : 'info'](
      { target: event.target, loss: event.loss, rttMs: event.rttMs, idleBeforeMs: event.idleBeforeMs },
      `tunnel ${event.kind}`,
    );
    this.events.push(event);
    if (this.welcomed) this.flush();
  }

  /** Sends what was buffered while the hub was unreachable; puts a batch back if the socket fails under it. */
  private flush(): void {
    while (this.welcomed && this.results.size > 0) {
      const [r] = this.results.take(1);
      if (r && !this.send(r)) this.results.unshift([r]);
    }
    while (this.welcomed && this.events.size > 0) {
      const batch = this.events.take(500);
      this.send({ type: 'monitor', events: batch }, (err) => {
        if (err) this.events.unshift(batch);
      });
    }
  }

  private send(message: AgentMessage, cb?: (err?: Error) => void): boolean {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return false;
    ws.send(encode(message), cb);
    return true;
  }

  /** Gives up for good after permanent refusals: stops everything and settles `refused`. */
  private fail(why: string): void {
    const err = new AgentRefusedError(`agent "${this.options.name}" was refused by the hub ${this.refusals} times in a row: ${why}`);
    this.log.error({ hub: this.hubUrl, name: this.options.name, refusals: this.refusals }, err.message);
    this.state = 'stopped';
    this.monitor?.stop();
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.giveUp(err);
  }

  /**
   * Drains: refuses new jobs, lets running ones finish (up to `timeoutMs`), sends their results, then closes.
   * Called on SIGTERM so a deploy or reboot of the agent host never cuts a check in half.
   */
  async stop(options: { timeoutMs?: number } = {}): Promise<void> {
    if (this.state === 'stopped') return;
    this.draining = true;
    this.monitor?.stop();
    if (this.welcomed) this.send({ type: 'bye', reason: 'agent shutting down' });
    const pending = [...this.running.values()];
    if (pending.length > 0) {
      this.log.info({ jobs: pending.length }, 'draining running jobs');
      const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), options.timeoutMs ?? 30_000).unref());
      const result = await Promise.race([Promise.all(pending.map((j) => j.done)), timeout]);
      if (result === 'timeout') for (const j of this.running.values()) j.abort.abort(new Error('agent shutting down'));
      await Promise.all([...this.running.values()].map((j) => j.done));
    }
    this.state = 'stopped';
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    const ws = this.ws;
    if (this.results.size > 0 && !this.welcomed)
      this.log.warn({ results: this.results.size }, 'results not delivered: the hub is unreachable');
    if (ws && ws.readyState === WebSocket.OPEN) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          ws.terminate();
          resolve();
        }, 2_000);
        ws.once('close', () => {
          clearTimeout(t);
          resolve();
        });
        ws.close(CloseCode.normal, 'agent stopping');
      });
    } else {
      ws?.terminate();
    }
    this.ws = null;
  }
}
