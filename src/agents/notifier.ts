import type { Logger } from 'pino';
import type { Reply } from '../reply/reply.js';
import type { MonitorEventRecord, Subscription } from '../store/index.js';
import type { DropDiagnosis } from './keepalive-analysis.js';

/** A tunnel transition seen by an agent's keep-alive monitor, ready to be posted. */
export interface TunnelNotification {
  agent: string;
  event: MonitorEventRecord;
  diagnosis: DropDiagnosis | null;
  /** For an `up`: how long the tunnel was down, when the matching `down` is known. */
  outageMs: number | null;
  /** The event reached the hub late (buffered while the hub was unreachable). */
  delayed: boolean;
  /** Conversations that asked for this agent's alerts ("keepalive on AGENT here"). */
  subscriptions: Subscription[];
  /** The message itself, platform-neutral, worded by the conversation (src/conversation/tunnel-alert.ts). */
  reply: Reply;
}

/** The facts of a transition, before the conversation words them. */
export type TunnelTransition = Omit<TunnelNotification, 'reply'>;

/**
 * Where tunnel alerts go: the log, and the chat platforms (src/conversation/alert-router.ts posts the
 * alert into each subscription's conversation).
 */
export interface Notifier {
  notify(notification: TunnelNotification): void | Promise<void>;
}

export class LogNotifier implements Notifier {
  constructor(private readonly log: Logger) {}

  notify(n: TunnelNotification): void {
    const level = n.event.kind === 'down' ? 'warn' : 'info';
    this.log[level](
      {
        agent: n.agent,
        tunnel: n.event.kind,
        target: n.event.target,
        loss: n.event.loss,
        rttMs: n.event.rttMs,
        at: new Date(n.event.at).toISOString(),
        topic: n.diagnosis?.topic,
        outageMs: n.outageMs,
        delayed: n.delayed,
        subscribers: n.subscriptions.length,
      },
      n.reply.summary,
    );
  }
}

/** Fans a notification out to every subscribed notifier; one failing channel never silences the others. */
export class Notifiers implements Notifier {
  private readonly list = new Set<Notifier>();

  constructor(
    private readonly log: Logger,
    initial: Notifier[] = [],
  ) {
    for (const n of initial) this.list.add(n);
  }

  /** Returns the function that unsubscribes. */
  add(notifier: Notifier): () => void {
    this.list.add(notifier);
    return () => this.list.delete(notifier);
  }

  async notify(notification: TunnelNotification): Promise<void> {
    await Promise.all(
      [...this.list].map(async (n) => {
        try {
          await n.notify(notification);
        } catch (err) {
          this.log.error({ err, agent: notification.agent }, 'a notifier failed');
        }
      }),
    );
  }
}
