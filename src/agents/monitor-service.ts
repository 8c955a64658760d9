import type { Logger } from 'pino';
import type { MonitorEventRecord, Store } from '../store/index.js';
import type { MonitorSink } from './hub.js';
import { analysisWindowMs, analyzeDrop, type DropAnalysisOptions } from './keepalive-analysis.js';
import type { Reply } from '../reply/reply.js';
import type { Notifier, TunnelTransition } from './notifier.js';
import type { MonitorEvent } from './protocol.js';

export interface MonitorServiceOptions {
  store: Store;
  notifier: Notifier;
  /** Words the alert for the chats (the conversation's job: src/conversation/tunnel-alert.ts). */
  alertReply: (transition: TunnelTransition) => Reply;
  log: Logger;
  analysis?: DropAnalysisOptions;
  /** An event older than this when it arrives was buffered by the agent: said so in the alert. */
  delayedAfterMs?: number;
  now?: () => number;
}

/**
 * The hub's side of the keep-alive monitor: stores each transition once (agents re-send their buffer after a
 * reconnect), reads the drop history for the hourly and idle patterns, and hands the transition to the
 * notifier with the alert worded by the conversation (src/conversation/tunnel-alert.ts).
 */
export class MonitorService implements MonitorSink {
  private readonly now: () => number;

  constructor(private readonly options: MonitorServiceOptions) {
    this.now = options.now ?? Date.now;
  }

  async ingest(agent: string, events: MonitorEvent[]): Promise<void> {
    const { store } = this.options;
    for (const e of [...events].sort((a, b) => a.at - b.at)) {
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
      if (!store.monitor.insert(record)) continue;
      const history = store.monitor.since(agent, e.at - analysisWindowMs(this.options.analysis)).filter((h) => h.at <= e.at && h.eventId !== e.id);
      const diagnosis = analyzeDrop(e, history, this.options.analysis);
      if (diagnosis) {
        record.topic = diagnosis.topic;
        store.monitor.setTopic(agent, e.id, diagnosis.topic);
      }
      const lastDown = e.kind === 'up' ? history.filter((h) => h.kind === 'down').at(-1) : undefined;
      const lastUp = e.kind === 'up' ? history.filter((h) => h.kind === 'up').at(-1) : undefined;
      const outageMs = lastDown && (!lastUp || lastUp.at < lastDown.at) ? e.at - lastDown.at : null;
      const delayed = receivedAt - e.at > (this.options.delayedAfterMs ?? 60_000);
      const transition: TunnelTransition = { agent, event: record, diagnosis, outageMs, delayed, subscriptions: store.subscriptions.forAgent(agent) };
      await this.options.notifier.notify({ ...transition, reply: this.options.alertReply(transition) });
    }
  }
}
