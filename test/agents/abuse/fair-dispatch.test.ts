import { afterEach, describe, expect, it } from 'vitest';
import { AgentUnavailableError } from '../../../src/agents/hub/types.js';
import { FairQueue } from '../../../src/agents/hub/fair-queue.js';
import { FakeExecutor, registerAgent, requester, startAgent, startHub } from '../helpers.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const job = (user = requester.user) => ({
  probe: 'tcp',
  params: { target: '127.0.0.1', port: 9 },
  deadlineMs: 5000,
  target: '127.0.0.1:9',
  requestedBy: { ...requester, user },
});

describe('fair dispatch under an API burst', () => {
  it('a check is admitted as a whole: all its probes run even beyond the queue, while a new check is told busy', async () => {
    const h = await startHub();
    cleanups.push(() => h.close());
    const { agent } = startAgent(h.url, await registerAgent(h.store, 'lan-1'), 'lan-1', {
      executor: new FakeExecutor({ delayMs: 50 }),
      maxConcurrency: 2,
      maxQueued: 0,
    });
    cleanups.push(() => agent.stop({ timeoutMs: 500 }));
    await agent.whenOnline();
    // 2 run, 1 waits (the caller's share of 2 places); the other 9 of the same check wait with them.
    const mine = Array.from({ length: 12 }, () => h.hub.dispatch('lan-1', { ...job('api'), checkId: 'check-1' }));
    await expect(h.hub.dispatch('lan-1', { ...job('api'), checkId: 'check-2' })).rejects.toThrow(
      expect.objectContaining({ reason: 'busy' }),
    );
    const outcomes = await Promise.all(mine);
    expect(outcomes.map((o) => o.status)).toEqual(Array(12).fill('ok'));
    // Once it is done, the next check gets in.
    expect((await h.hub.dispatch('lan-1', { ...job('api'), checkId: 'check-2' })).status).toBe('ok');
  });

  it('500 jobs at once from one caller: the agent keeps its connection, nothing fails, the excess is told busy, another caller still gets through', async () => {
    // A tight message-rate limit: before, the agent's acks and refusals of a burst got it closed (4008).
    const h = await startHub({ maxMessagesPerSecond: 20 });
    cleanups.push(() => h.close());
    const { agent } = startAgent(h.url, await registerAgent(h.store, 'lan-1'), 'lan-1', {
      executor: new FakeExecutor({ delayMs: 50 }),
      maxConcurrency: 4,
      maxQueued: 0,
    });
    cleanups.push(() => agent.stop({ timeoutMs: 500 }));
    await agent.whenOnline();

    const attempts = Array.from({ length: 500 }, () => h.hub.dispatch('lan-1', job('api')));
    // Another caller is not starved by the first one's burst: it gets one of the places left.
    const theirs = h.hub.dispatch('lan-1', job('chat-user'));
    const settled = await Promise.allSettled(attempts);
    const refused = settled.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    const accepted = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    // 4 running + 2 waiting (one caller may hold half of the 4 waiting places).
    expect(accepted).toHaveLength(6);
    expect(refused).toHaveLength(494);
    for (const err of refused) {
      expect(err).toBeInstanceOf(AgentUnavailableError);
      expect((err as AgentUnavailableError).reason).toBe('busy');
    }
    const outcomes = [...accepted, await theirs];
    expect(outcomes.map((o) => o.status).every((s) => s === 'ok')).toBe(true);
    expect(h.hub.isOnline('lan-1')).toBe(true);
    expect(h.lines.some((l) => /messages per second/.test(String(l.reason)))).toBe(false);

    // Capacity comes back: waves of jobs keep succeeding, several times the agent's concurrency in total.
    let done = 0;
    for (let wave = 0; wave < 5; wave++) {
      const batch = Array.from({ length: 4 }, () => h.hub.dispatch('lan-1', job('api')));
      done += (await Promise.all(batch)).filter((o) => o.status === 'ok').length;
    }
    expect(done).toBe(20);
    expect(h.hub.isOnline('lan-1')).toBe(true);
  });
});

describe('FairQueue', () => {
  it('serves requesters in turn and bounds each one share', () => {
    const q = new FairQueue<string>(6, 3);
    for (const x of ['a1', 'a2', 'a3']) expect(q.push('a', x)).toBe(true);
    expect(q.push('a', 'a4')).toBe(false);
    expect(q.push('b', 'b1')).toBe(true);
    expect(q.push('c', 'c1')).toBe(true);
    expect([q.shift(), q.shift(), q.shift(), q.shift()]).toEqual(['a1', 'b1', 'c1', 'a2']);
    expect(q.remove('a3')).toBe(true);
    expect(q.shift()).toBeUndefined();
    expect(q.length).toBe(0);
  });

  it('keeps one place for a requester with nothing waiting, even when an admitted check filled the queue beyond capacity', () => {
    const q = new FairQueue<string>(2, 1);
    for (const x of ['a1', 'a2', 'a3']) expect(q.push('a', x, true)).toBe(true);
    expect(q.length).toBe(3);
    expect(q.hasRoom('a')).toBe(false);
    expect(q.hasRoom('b')).toBe(true);
    expect(q.push('b', 'b1')).toBe(true);
    // One place each, not more: b's second job waits for its turn elsewhere (told busy).
    expect(q.push('b', 'b2')).toBe(false);
    expect([q.shift(), q.shift()]).toEqual(['a1', 'b1']);
  });
});
