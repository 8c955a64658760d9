import { pino } from 'pino';
import type { ChatPort, WriteContext } from '../../src/chat/port.js';
import type { Inbound } from '../../src/chat/core.js';
import type { Reply } from '../../src/reply/reply.js';

/** A platform message in these tests: the reply's title and summary, and the page it is. */
export interface TestMessage {
  text: string;
  page: number;
  token?: string;
}

export const silent = pino({ level: 'silent' });

/**
 * An in-memory platform: records every write, fails the ones it is told to. A reply's summary split on
 * "|" gives its pages, so a test can make a long answer.
 */
export class RecordingPort implements ChatPort<TestMessage, number> {
  readonly writes: { op: 'post' | 'update'; ref?: number; message: TestMessage; phase: WriteContext['phase'] }[] = [];
  failUpdate: Error[] = [];
  failPost: Error[] = [];
  private next = 0;

  constructor(readonly canEdit = true) {}

  render(reply: Reply, continuationToken?: string): TestMessage[] {
    const parts = reply.summary.split('|');
    const pages = continuationToken ? parts : parts.slice(0, 1);
    return pages.map((p, i) => ({ text: `${reply.title}: ${p}`, page: i + 1, ...(continuationToken ? { token: continuationToken } : {}) }));
  }

  async post(message: TestMessage, context: WriteContext): Promise<number> {
    this.writes.push({ op: 'post', message, phase: context.phase });
    const err = this.failPost.shift();
    if (err) throw err;
    return ++this.next;
  }

  async update(ref: number, message: TestMessage, context: WriteContext): Promise<void> {
    this.writes.push({ op: 'update', ref, message, phase: context.phase });
    const err = this.failUpdate.shift();
    if (err) throw err;
  }

  get texts(): string[] {
    return this.writes.map((w) => `${w.op} ${w.message.text}`);
  }
}

export function inbound(text: string, conversation = 'C1', platform = 'test'): Inbound {
  return { text, user: 'U1', channel: conversation, platform };
}

/** A promise with its resolve exposed. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

export const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));
