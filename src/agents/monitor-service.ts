import type { Logger } from 'pino';
import type { MonitorEventRecord, Store } from '../store/index.js';
import type { MonitorSink } from './hub.js';
import { analysisWindowMs, analyzeDrop, type DropAnalysisOptions } from './keepalive-analysis.js';
import type { Reply } from '../reply/reply.js';
import type { Notifier, TunnelTransition } from './notifier.js';
import type { MonitorEvent } from './protocol.js';

/** What one agent may push into the hub's monitor store; beyond it events are refused (and logged, once a minute). */
export interface MonitorIngestLimits {
  /** Events in one message (the protocol allows 500: one agent buffer flush). */
  maxBatch: number;
  /** Events per minute per agent (token bucket; burst = the same number, so a 1,000-event buffer re-send fits). */
  eventsPerMinute: number;
  /** An event stamped further in the future than this is refused (clock skew allowance). */
  maxFutureMs: number;
  /** An event older than this is refused: no agent buffers that long, and retention would delete it anyway. */
  maxPastMs: number;
  /** Events processed before yielding to the event loop. */
  chunk: number;
}

export const DEFAULT_MONITOR_LIMITS: MonitorIngestLimits = {
  maxBatch: 500,
  eventsPerMinute: 1_000,
  maxFutureMs: 5 * 60_000,
  maxPastMs: 7 * 24 * 60 * 60_000,
  chunk: 25,
};

export interface MonitorServiceOptions {
  store: Store;
  notifier: Notifier;
  /** Words the alert for the chats (the conversation's job: src/conversation/tunnel-alert.ts). */
  alertReply: (transition: TunnelTransition) => Reply;
  log: Logger;
  analysis?: DropAnalysisOptions;
  /** An event older than this when it arrives was buffered by the agent: said so in the alert. */
  delayedAfterMs?: number;
  limits?: Partial<MonitorIngestLimits>;
  now?: () => number;
}

interface AgentIngest {
  tokens: number;
  tokensAt: number;
  /** The batches of this agent run one after another, so history reads see the earlier batch's rows. */
  tail: Promise<void>;
  refusedSinceLog: number;
  lastRefusalLog: number;
}

/**
 * The hub's side of the keep-alive monitor: stores each transition once (agents re-send their buffer after a
 * reconnect), reads the little drop history the hourly and idle patterns need, and hands the transition to
 * the notifier with the alert worded by the conversation (src/conversation/tunnel-alert.ts).
 *
 * Bounded against a misbehaving agent (or a stolen agent token): events per minute and per message are
 * capped, timestamps far from now are refused, each event costs a fixed number of indexed reads, and a
 * batch yields to the event loop every few events, so the API, the other agents and the chats carry on.
 */
export class MonitorService implements MonitorSink {
  private readonly now: () => number;
  private readonly limits: MonitorIngestLimits;
  private readonly agents = new Map<string, AgentIngest>();

  constructor(private readonly options: MonitorServiceOptions) {
    this.now = options.now ?? Date.now;
    this.limits = { ...DEFAULT_MONITOR_LIMITS, ...options.limits };
  }

  /** Admits what the limits allow at once (synchronously, so a flood is refused before it queues). */
  ingest(agent: string, events: MonitorEvent[]): Promise<void> {
    const state = this.stateOf(agent);
    const now = this.now();
    const { maxBatch, eventsPerMinute, maxFutureMs, maxPastMs } = this.limits;
    state.tokens = Math.min(eventsPerMinute, state.tokens + ((now - state.tokensAt) / 60_000) * eventsPerMinute);
    state.tokensAt = now;
    const accepted: MonitorEvent[] = [];
    let refused = 0;
    for (const [i, e] of events.entries()) {
      if (i >= maxBatch || e.at > now + maxFutureMs || e.at < now - maxPastMs || state.tokens < 1) {
        refused++;
        continue;
      }
      state.tokens--;
      accepted.push(e);
    }
    if (refused > 0) this.noteRefused(agent, state, refused, now);
    if (accepted.length === 0) return state.tail;
    accepted.sort((a, b) => a.at - b.at);
    state.tail = state.tail
      .then(() => this.process(agent, accepted))
      .catch((err: unknown) => this.options.log.error({ agent, err }, 'monitor events could not be processed'));
    return state.tail;
  }

  private stateOf(agent: string): AgentIngest {
    let state = this.agents.get(agent);
    if (!state) {
      state = {
        tokens: this.limits.eventsPerMinute,
        tokensAt: this.now(),
        tail: Promise.resolve(),
        refusedSinceLog: 0,
        lastRefusalLog: -Infinity,
      };
      this.agents.set(agent, state);
    }
    return state;
  }

  private noteRefused(agent: string, state: AgentIngest, count: number, now: number): void {
    state.refusedSinceLog += count;
    // One line a minute per agent: a flood must not turn into a log flood.
    if (now - state.lastRefusalLog < 60_000) return;
    this.options.log.warn(
      { agent, refused: state.refusedSinceLog, limits: { eventsPerMinute: this.limits.eventsPerMinute, maxBatch: this.limits.maxBatch } },
      'monitor events refused: over the per-agent limits or stamped too far from now',
    );
    state.refusedSinceLog = 0;
    state.lastRefusalLog = now;
  }

  private async process(agent: string, events: MonitorEvent[]): Promise<void> {
    for (const [i, e] of events.entries()) {
      if (i > 0 && i % this.limits.chunk === 0) await new Promise((resolve) => setImmediate(resolve));
      await this.processOne(agent, e);
    }
  }

  private async processOne(agent: string, e: MonitorEvent): Promise<void> {
    const { store, analysis } = this.options;
    const receivedAt = this.now();
    const record: MonitorEventRecord = {
      agent,
      eventId: e.id,
      kind: e.kind,
      target: e.target,
      at: e.at,
      sent: e.sent,
      received: e.received,
      loss: e.loss,
      rttMs: e.rttMs,
      idleBeforeMs: e.idleBeforeMs,
      topic: null,
      receivedAt,
    };
    if (!(await store.monitor.insert(record))) return;
    // Only what the analysis reads: the last few downs (hourly pattern) and the last up and down (outage length).
    const needDowns = (analysis?.minIntervals ?? 2) + 1;
    const downs = (await store.monitor.lastBefore(agent, 'down', e.at, e.id, needDowns)).filter(
      (h) => h.at >= e.at - analysisWindowMs(analysis),
    );
    const diagnosis = analyzeDrop(e, downs, analysis);
    if (diagnosis) {
      record.topic = diagnosis.topic;
      await store.monitor.setTopic(agent, e.id, diagnosis.topic);
    }
    let outageMs: number | null = null;
    if (e.kind === 'up') {
      const [lastDown] = await store.monitor.lastBefore(agent, 'down', e.at, e.id, 1);
      const [lastUp] = await store.monitor.lastBefore(agent, 'up', e.at, e.id, 1);
      if (lastDown && (!lastUp || lastUp.at < lastDown.at)) outageMs = e.at - lastDown.at;
    }
    const delayed = receivedAt - e.at > (this.options.delayedAfterMs ?? 60_000);
    const transition: TunnelTransition = {
      agent,
      event: record,
      diagnosis,
      outageMs,
      delayed,
      subscriptions: await store.subscriptions.forAgent(agent),
    };
    await this.options.notifier.notify({ ...transition, reply: this.options.alertReply(transition) });
  }
}
