import { afterAll, describe, expect, it } from 'vitest';
import { stopAttacker } from './support/attacker-process.js';
import { expectServerHeld, TEST_FLOOR_MS } from './support/expect-healthy.js';
import { chatBurstScenario, forgedTeamsScenario, slackReplayScenario, type ChatBurstFacts } from './support/scenarios-chat.js';

/**
 * Issue 16, scaled down: the chat platforms under attack (forged Bot Framework tokens, a captured Slack
 * command replayed), and legitimate chat through Bolt's receiver and botbuilder while the hub and the API
 * are flooded. Slack and Teams talk to fakes on loopback.
 */
const options = { idleSamples: 50, floorMs: TEST_FLOOR_MS };

describe('abuse: chat', { timeout: 90_000 }, () => {
  afterAll(() => stopAttacker());
  it('forged Bot Framework tokens: every one 401, the OpenID metadata not fetched per request, nothing reaches the bot', async () => {
    const r = await forgedTeamsScenario.run('test', options);
    expectServerHeld(r);
    const f = r.facts as { statuses: Record<string, number>; metadataFetches: number; connectorCalls: number };
    expect(f.statuses).toEqual({ '401': 150 });
    // The SDK refreshes its cache without de-duplicating concurrent refreshes: at most one per request in
    // flight at the start (16 here, document and keys), never one per request.
    expect(f.metadataFetches).toBeLessThanOrEqual(2 * 16);
    expect(f.connectorCalls).toBe(0);
  });

  it('a captured signed slash command replayed: refused 401 every time, the command ran once', async () => {
    const r = await slackReplayScenario.run('test', options);
    expectServerHeld(r);
    const f = r.facts as { firstStatus: number; statuses: Record<string, number>; ran: number };
    expect(f.firstStatus).toBe(200);
    expect(f.statuses).toEqual({ '401': 100 });
    expect(f.ran).toBe(1);
  });

  it('Slack and Teams messages during a monitor flood and an API flood: all acknowledged in time and answered', async () => {
    const r = await chatBurstScenario.run('test', options);
    expectServerHeld(r);
    const f = r.facts as ChatBurstFacts;
    expect(f.slackAcked).toBe(20);
    expect(f.slackAckP99Ms).toBeLessThan(3000);
    expect(f.slackAnswered).toBe(20);
    expect(f.teamsOk).toBe(10);
    expect(f.teamsAnswered).toBe(10);
  });
});
