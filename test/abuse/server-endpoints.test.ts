import { afterAll, describe, expect, it } from 'vitest';
import { stopAttacker } from './support/attacker-process.js';
import { expectServerHeld, TEST_FLOOR_MS } from './support/expect-healthy.js';
import { apiFloodScenario, checkBurstScenario, monitorFloodScenario, slowlorisScenario } from './support/scenarios-http.js';

/**
 * Issue 16, scaled down (`npm run bench:abuse` runs the full counts): attacks on the hub's monitor ingest,
 * the check API and the HTTP listener, each against a fresh real server on loopback, the attacker in a
 * child process. Every one must leave /healthz responsive and the on-call engineer's work done.
 */
const options = { idleSamples: 50, floorMs: TEST_FLOOR_MS };

describe('abuse: server endpoints', { timeout: 60_000 }, () => {
  afterAll(() => stopAttacker());
  it('monitor flood from one agent token: capped, stored within the per-minute limit', async () => {
    const r = await monitorFloodScenario.run('test', options);
    expectServerHeld(r);
    const f = r.facts as { sent: number; stored: number; elapsedMs: number };
    expect(f.sent).toBe(10_000);
    expect(f.stored).toBeGreaterThan(0);
    // 1,000 events a minute (the default), and what the bucket refilled while the attack ran.
    expect(f.stored).toBeLessThanOrEqual(Math.ceil(1000 * (1 + f.elapsedMs / 60_000)));
  });

  it('a burst of checks through the API: the excess is told 429, none fails 5xx, the agent keeps its connection', async () => {
    const r = await checkBurstScenario.run('test', options);
    expectServerHeld(r);
    const { statuses } = r.facts as { statuses: Record<string, number> };
    expect(Object.keys(statuses).every((s) => s === '200' || s === '429'), JSON.stringify(statuses)).toBe(true);
    expect((statuses['200'] ?? 0) + (statuses['429'] ?? 0)).toBe(100);
  });

  it('300 concurrent API requests from one address: each answered (200, 401 or 429), none reset', async () => {
    const r = await apiFloodScenario.run('test', options);
    expectServerHeld(r);
    const { statuses } = r.facts as { statuses: Record<string, number> };
    expect(Object.keys(statuses).every((s) => ['200', '401', '429'].includes(s)), JSON.stringify(statuses)).toBe(true);
    expect(statuses['200']).toBeGreaterThan(0);
  });

  it('slow-header sockets from one address: all but the per-address cap refused at once, new clients still get in', async () => {
    const r = await slowlorisScenario.run('test', options);
    expectServerHeld(r);
    const f = r.facts as { opened: number; closedByServer: number; stillOpen: number; answers: Record<string, number> };
    expect(f.stillOpen).toBeLessThanOrEqual(256);
    expect(f.closedByServer).toBeGreaterThanOrEqual(f.opened - 256);
    expect(f.answers['HTTP/1.1 429 Too Many Requests']).toBeGreaterThan(0);
  });
});
