import { AGENT_OVERRUN_MS } from '../probes/deadlines.js';

/**
 * Settles with the job's own outcome, or rejects when its deadline passes or it is aborted (then a little
 * later than the abort, AGENT_OVERRUN_MS, so an executor that honours the signal reports its own way first).
 */
export function withDeadline<T>(work: Promise<T>, signal: AbortSignal, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('deadline exceeded')), Math.max(0, ms));
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason)));
    };
    // The executor should honour the signal itself; this only makes sure the slot is freed if it does not.
    signal.addEventListener('abort', () => setTimeout(onAbort, AGENT_OVERRUN_MS), { once: true });
    work.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}
