import { expect } from 'vitest';
import type { ScenarioResult } from './scenario.js';

/**
 * In tests the p99 bound has a much higher floor than the bench's: the suite shares two cores with the rest
 * of `npm test` (and, on the development machine, with other jobs: load averages of 20 gave idle p99s of
 * 300 ms). The floor still catches what issue 16 found (the server frozen for seconds to minutes); the
 * 10x target itself is measured by `npm run bench:abuse`.
 */
export const TEST_FLOOR_MS = 1500;

/** Peak RSS of the test worker (server, legitimate clients, vitest) beyond which memory is not "bounded". */
export const RSS_CEILING_MB = 1024;

/**
 * What every attack must leave intact: /healthz answered every time, its p99 within 10x the idle p99 of the
 * same run (with the floor), the on-call engineer's jobs all done and never refused as busy, the
 * legitimate agent still connected, memory bounded.
 */
export function expectServerHeld(r: ScenarioResult<unknown>): void {
  const context = `${r.name}: ${JSON.stringify({ ...r, facts: undefined })}`;
  expect(r.healthzFailures, context).toBe(0);
  expect(r.healthzSamples, context).toBeGreaterThan(5);
  expect(r.attackP99, context).toBeLessThanOrEqual(r.budgetMs);
  expect(r.legit.failed, context).toBe(0);
  expect(r.legit.busy, context).toBe(0);
  expect(r.legit.ok, context).toBeGreaterThan(0);
  expect(r.agentOnline, context).toBe(true);
  expect(r.memory.rssMb, context).toBeLessThan(RSS_CEILING_MB);
}
