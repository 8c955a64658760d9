import type { MonitorEvent } from './protocol.js';

/**
 * The agent's keep-alive monitor: pings a cloud DNS server's private IP every few seconds, which is what the
 * guide asks customers to do to keep an idle tunnel up, and turns the stream of replies into tunnel up/down
 * transitions. A transition needs several results in a row (one lost echo is not an outage) and carries the
 * loss over the recent window so the chat can say "down, 100% loss over the last minute".
 */

export interface PingResult {
  ok: boolean;
  rttMs: number | null;
  /** Set when the ping could not be sent at all (no permission, no tool): not evidence about the tunnel. */
  error?: string;
}

export type Pinger = (target: string, options: { signal: AbortSignal; timeoutMs: number }) => Promise<PingResult>;

export type TunnelState = 'unknown' | 'up' | 'down';

export interface MonitorTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface KeepaliveMonitorOptions {
  target: string;
  /** 5 s is the guide's continuous-ping interval: shorter than the ~10 s idle timeout of the cloud end. */
  intervalMs?: number;
  /** Consecutive failures that make the tunnel "down" (3 x 5 s = 15 s). */
  downAfter?: number;
  /** Consecutive replies that make it "up" again. */
  upAfter?: number;
  /** Results kept for the loss figure (12 x 5 s = the last minute). */
  windowSize?: number;
  ping: Pinger;
  onEvent: (event: MonitorEvent) => void;
  onError?: (message: string) => void;
  now?: () => number;
  newId: () => string;
  timers?: MonitorTimers;
}

interface Sample {
  at: number;
  ok: boolean;
  rttMs: number | null;
}

export class KeepaliveMonitor {
  readonly target: string;
  readonly intervalMs: number;
  private readonly downAfter: number;
  private readonly upAfter: number;
  private readonly windowSize: number;
  private readonly now: () => number;
  private readonly timers: MonitorTimers;
  private window: Sample[] = [];
  private streak = 0;
  private lastSuccessAt: number | null = null;
  private firstFailureAt: number | null = null;
  private timer: unknown = null;
  private abort: AbortController | null = null;
  private lastError: string | null = null;
  state: TunnelState = 'unknown';
  running = false;

  constructor(private readonly options: KeepaliveMonitorOptions) {
    this.target = options.target;
    this.intervalMs = options.intervalMs ?? 5_000;
    this.downAfter = options.downAfter ?? 3;
    this.upAfter = options.upAfter ?? 2;
    this.windowSize = options.windowSize ?? 12;
    this.now = options.now ?? Date.now;
    this.timers = options.timers ?? { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) };
  }

  /**
   * Feeds one ping result; returns the transition it caused, if any. Pure apart from the monitor's own
   * state, so tests drive it with made-up clocks and results.
   */
  observe(result: PingResult, at: number = this.now()): MonitorEvent | null {
    if (result.error) {
      if (result.error !== this.lastError) this.options.onError?.(`keep-alive ping to ${this.target} failed to run: ${result.error}`);
      this.lastError = result.error;
      return null;
    }
    this.lastError = null;
    this.window.push({ at, ok: result.ok, rttMs: result.rttMs });
    if (this.window.length > this.windowSize) this.window.shift();

    // streak > 0: consecutive replies; < 0: consecutive losses.
    if (result.ok) this.streak = this.streak > 0 ? this.streak + 1 : 1;
    else this.streak = this.streak < 0 ? this.streak - 1 : -1;
    if (!result.ok && this.streak === -1) this.firstFailureAt = at;

    let event: MonitorEvent | null = null;
    if (result.ok && this.state !== 'up' && this.streak >= this.upAfter) {
      event = this.transition('up', at, result.rttMs, null);
    } else if (!result.ok && this.state !== 'down' && -this.streak >= this.downAfter) {
      const idle = this.lastSuccessAt === null ? null : Math.max(0, (this.firstFailureAt ?? at) - this.lastSuccessAt);
      event = this.transition('down', at, null, idle);
    }
    if (result.ok) this.lastSuccessAt = at;
    return event;
  }

  private transition(kind: 'up' | 'down', at: number, rttMs: number | null, idleBeforeMs: number | null): MonitorEvent {
    this.state = kind;
    const sent = this.window.length;
    const received = this.window.filter((s) => s.ok).length;
    return {
      id: this.options.newId(),
      kind,
      target: this.target,
      at,
      sent,
      received,
      loss: sent === 0 ? 0 : Math.round(((sent - received) / sent) * 1000) / 1000,
      rttMs,
      idleBeforeMs,
    };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  stop(): void {
    this.running = false;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    this.abort?.abort();
    // After a pause the tunnel may have gone idle: start again from "unknown".
    this.state = 'unknown';
    this.streak = 0;
    this.window = [];
  }

  private schedule(ms: number): void {
    this.timer = this.timers.setTimeout(() => void this.tick(), ms);
  }

  private async tick(): Promise<void> {
    if (!this.running) return;
    const started = this.now();
    this.abort = new AbortController();
    // Leave room before the next ping so two never overlap.
    const timeoutMs = Math.max(50, Math.min(2_000, Math.floor(this.intervalMs * 0.8)));
    let result: PingResult;
    try {
      result = await this.options.ping(this.target, { signal: this.abort.signal, timeoutMs });
    } catch (err) {
      result = { ok: false, rttMs: null, error: (err as Error).message };
    }
    if (!this.running) return;
    const event = this.observe(result, started);
    if (event) this.options.onEvent(event);
    this.schedule(Math.max(0, started + this.intervalMs - this.now()));
  }
}
