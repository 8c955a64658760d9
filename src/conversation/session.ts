import type { CheckArgs } from './commands.js';
import type { Reply } from '../reply/reply.js';

/** What the assistant remembers about one conversation (a thread, a DM, a terminal chat). */
export interface Session {
  currentTopic: string | null;
  /** Topic ids offered as numbered choices in the last reply. */
  pendingChoices: string[];
  /** What the user mentioned that a check needs (hosts, DNS servers), to prefill "Run checks". */
  lastCheckArgs: Partial<CheckArgs>;
  lastCheck: Reply | null;
  /** The user's own words, newest last, for the support-case summary. */
  history: string[];
  touchedAt: number;
}

export function newSession(now: number): Session {
  return { currentTopic: null, pendingChoices: [], lastCheckArgs: {}, lastCheck: null, history: [], touchedAt: now };
}

/**
 * In-memory sessions with a time-to-live and a size bound, so a long-running bot in a busy workspace does
 * not grow without limit. Map insertion order doubles as least-recently-used order.
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly ttlMs = 2 * 60 * 60 * 1000,
    private readonly maxSessions = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): Session {
    const t = this.now();
    const existing = this.sessions.get(key);
    this.sessions.delete(key);
    const session = existing && t - existing.touchedAt <= this.ttlMs ? existing : newSession(t);
    session.touchedAt = t;
    this.sessions.set(key, session);
    while (this.sessions.size > this.maxSessions) {
      const oldest = this.sessions.keys().next().value as string;
      this.sessions.delete(oldest);
    }
    return session;
  }

  get size(): number {
    return this.sessions.size;
  }
}
