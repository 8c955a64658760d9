import type { Logger } from 'pino';
import { reply, type Reply } from '../reply/reply.js';
import type { MonitorEventRecord, Store } from '../store/index.js';
import type { MonitorSink } from './hub.js';
import { analysisWindowMs, analyzeDrop, type DropAnalysisOptions, type DropDiagnosis } from './keepalive-analysis.js';
import type { Notifier } from './notifier.js';
import type { MonitorEvent } from './protocol.js';

export interface MonitorServiceOptions {
  store: Store;
  notifier: Notifier;
  log: Logger;
  analysis?: DropAnalysisOptions;
  /** An event older than this when it arrives was buffered by the agent: said so in the alert. */
  delayedAfterMs?: number;
  now?: () => number;
}

/**
 * The hub's side of the keep-alive monitor: stores each transition once (agents re-send their buffer after a
 * reconnect), reads the drop history for the hourly and idle patterns, and hands an alert to the notifier.
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
      await this.options.notifier.notify({
        agent,
        event: record,
        diagnosis,
        outageMs,
        delayed,
        subscriptions: store.subscriptions.forAgent(agent),
        reply: tunnelReply(agent, record, diagnosis, outageMs, delayed),
      });
    }
  }
}

/** The alert as a Reply, so every chat adapter renders it with what it already has. */
export function tunnelReply(agent: string, e: MonitorEventRecord, diagnosis: DropDiagnosis | null, outageMs: number | null, delayed: boolean): Reply {
  const when = new Date(e.at).toISOString();
  const lossText = `${Math.round(e.loss * 100)}% loss over the last ${e.sent} pings`;
  const down = e.kind === 'down';
  const summary = down
    ? `Agent ${agent} gets no reply from ${e.target} through the tunnel since ${when} (${lossText}).${diagnosis ? ` Likely cause: ${diagnosis.reason}.` : ''}`
    : `Agent ${agent} reaches ${e.target} again since ${when}${outageMs !== null ? ` after ${formatDuration(outageMs)} down` : ''} (${lossText}${e.rttMs !== null ? `, ${Math.round(e.rttMs)} ms` : ''}).`;
  return reply({
    kind: 'check',
    title: down ? `VPN tunnel down (agent ${agent})` : `VPN tunnel up again (agent ${agent})`,
    summary: delayed ? `${summary} (reported late: the agent could not reach vpn-doctor at the time)` : summary,
    verdict: down ? 'down' : 'healthy',
    ...(diagnosis ? { topic: diagnosis.topic } : {}),
    facts: [
      { label: 'Agent', value: agent },
      { label: 'Keep-alive target', value: e.target },
      { label: 'Loss', value: lossText },
      { label: 'At', value: when },
      ...(outageMs !== null ? [{ label: 'Outage', value: formatDuration(outageMs) }] : []),
    ],
    actions: diagnosis ? [{ id: 'open-topic', label: 'What to do', command: `topic ${diagnosis.topic}`, style: 'primary' as const }] : [],
  });
}

function formatDuration(ms: number): string {
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}
