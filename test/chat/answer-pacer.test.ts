import { describe, expect, it } from 'vitest';
import { AnswerPacer } from '../../src/chat/answer-pacer.js';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('AnswerPacer', () => {
  it('runs answer steps one per event-loop turn when nothing is arriving', async () => {
    const pacer = new AnswerPacer();
    const order: string[] = [];
    await Promise.all([pacer.step().then(() => order.push('a')), pacer.step().then(() => order.push('b'))]);
    expect(order).toEqual(['a', 'b']);
  });

  it('holds answers back while requests keep arriving, then lets them through', async () => {
    const pacer = new AnswerPacer(20, 1000);
    let done = false;
    pacer.noteArrival();
    const step = pacer.step().then(() => (done = true));
    await tick(5);
    pacer.noteArrival(); // the burst goes on
    await tick(10);
    expect(done).toBe(false);
    await step; // about 20 ms after the last arrival
    expect(done).toBe(true);
  });

  it('never defers an answer longer than maxDeferMs, even under a steady stream of requests', async () => {
    const pacer = new AnswerPacer(50, 30);
    const started = performance.now();
    const arrivals = setInterval(() => pacer.noteArrival(), 2);
    pacer.noteArrival();
    await pacer.step();
    clearInterval(arrivals);
    const waited = performance.now() - started;
    expect(waited).toBeGreaterThanOrEqual(25);
    expect(waited).toBeLessThan(1000); // bounded, not starved (generous for a loaded CI machine)
  });
});
