import { describe, expect, it } from 'vitest';
import { MAX_BACKOFF_MS, backoffDelay } from '../../src/agents/backoff.js';
import { BoundedQueue } from '../../src/agents/bounded-queue.js';
import { Semaphore } from '../../src/agents/semaphore.js';

describe('reconnect backoff', () => {
  it('grows exponentially with jitter and never exceeds 30 s', () => {
    const low = (n: number) => backoffDelay(n, { initialMs: 500, random: () => 0 });
    const high = (n: number) => backoffDelay(n, { initialMs: 500, random: () => 1 });
    expect([low(0), high(0)]).toEqual([250, 500]);
    expect([low(1), high(1)]).toEqual([500, 1000]);
    expect([low(3), high(3)]).toEqual([2000, 4000]);
    for (let n = 0; n < 100; n++) expect(backoffDelay(n)).toBeLessThanOrEqual(MAX_BACKOFF_MS);
    expect(backoffDelay(50, { random: () => 1, maxMs: 120_000 })).toBe(MAX_BACKOFF_MS);
    expect(low(50)).toBe(MAX_BACKOFF_MS / 2);
  });

  it('spreads agents that retry at the same moment', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(4)));
    expect(delays.size).toBeGreaterThan(10);
  });
});

describe('bounded queue', () => {
  it('drops the oldest beyond capacity and counts drops', () => {
    const q = new BoundedQueue<number>(3);
    for (let i = 1; i <= 5; i++) q.push(i);
    expect(q.size).toBe(3);
    expect(q.dropped).toBe(2);
    expect(q.take(2)).toEqual([3, 4]);
    q.unshift([9, 8, 7]);
    expect(q.take(10)).toEqual([8, 7, 5]);
  });
});

describe('semaphore', () => {
  it('runs at most `limit` at once and lets aborted waiters go', async () => {
    const s = new Semaphore(1);
    const r1 = await s.acquire(new AbortController().signal);
    const ac = new AbortController();
    const waiting = s.acquire(ac.signal);
    const third = s.acquire(new AbortController().signal);
    expect(s.queued).toBe(2);
    ac.abort(new Error('deadline exceeded'));
    await expect(waiting).rejects.toThrow('deadline exceeded');
    r1();
    const r3 = await third;
    expect(s.running).toBe(1);
    r3();
    expect(s.running).toBe(0);
  });
});
