import { afterAll, describe, expect, it } from 'vitest';
import { stopAttacker } from './support/attacker-process.js';
import { expectServerHeld, TEST_FLOOR_MS } from './support/expect-healthy.js';
import { reconnectStormScenario } from './support/scenarios-agents.js';

/** Issue 16, scaled down: a fleet of real agents reconnecting at once after a hub restart. */
describe('abuse: agents', { timeout: 90_000 }, () => {
  afterAll(() => stopAttacker());
  it('100 agents reconnect after a hub restart: all back, /healthz responsive, the legitimate agent working', async () => {
    const r = await reconnectStormScenario.run('test', { idleSamples: 50, floorMs: TEST_FLOOR_MS });
    expectServerHeld(r);
    const f = r.facts as { onlineBefore: number; onlineAfter: number; stillOffline: number; allBackMs: number };
    expect(f.onlineBefore).toBe(101);
    expect(f.onlineAfter).toBe(101);
    expect(f.stillOffline).toBe(0);
  });
});
