import { afterAll, describe, expect, it } from 'vitest';
import { stopAttacker } from './support/attacker-process.js';
import { expectServerHeld, TEST_FLOOR_MS } from './support/expect-healthy.js';
import { reconnectStormScenario } from './support/scenarios-agents.js';
import { chatBurstScenario, forgedTeamsScenario, slackReplayScenario, type ChatBurstFacts } from './support/scenarios-chat.js';
import { apiFloodScenario, checkBurstScenario, monitorFloodScenario, slowlorisScenario } from './support/scenarios-http.js';

/**
 * Issue 16's load-and-abuse suite, scaled down (`npm run bench:abuse` runs the full counts and prints the
 * table). Each attack runs against a fresh real server on loopback (test/abuse/support/target.ts), the
 * attacker in a child process at the lowest priority; every one must leave /healthz responsive (p99 within
 * 10x the idle p99 of the same run, with a floor), the on-call engineer's jobs done, the agent connected,
 * memory bounded. One file, so the scenarios run one after another and do not load the CPU for each other.
 */
const options = { idleSamples: 50, floorMs: TEST_FLOOR_MS };

afterAll(() => stopAttacker());

describe('abuse: server endpoints', { timeout: 60_000 }, () => {
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
    expect(
      Object.keys(statuses).every((s) => s === '200' || s === '429'),
      JSON.stringify(statuses),
    ).toBe(true);
    expect((statuses['200'] ?? 0) + (statuses['429'] ?? 0)).toBe(100);
  });

  it('300 concurrent API requests from one address: each answered (200, 401 or 429), none reset', async () => {
    const r = await apiFloodScenario.run('test', options);
    expectServerHeld(r);
    const { statuses } = r.facts as { statuses: Record<string, number> };
    expect(
      Object.keys(statuses).every((s) => ['200', '401', '429'].includes(s)),
      JSON.stringify(statuses),
    ).toBe(true);
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

describe('abuse: chat', { timeout: 90_000 }, () => {
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

  it('Slack and Teams messages during a monitor flood and an API flood: all acknowledged and answered', async () => {
    // The busiest scenario (three attackers' traffic and the real classifier on every message): in the full
    // suite on a loaded 2-core machine its event loop was seen held up to 1.6 s, so its floor is twice the
    // others'. `npm run bench:abuse` reports its real ratio against the 10x target.
    const r = await chatBurstScenario.run('test', { ...options, floorMs: 2 * TEST_FLOOR_MS });
    expectServerHeld(r);
    const f = r.facts as ChatBurstFacts;
    // Every Slack request acknowledged; Slack's 3 s budget is held to in the bench (a loaded test machine
    // can stretch a few acks past it, see TEST_FLOOR_MS).
    expect(f.slackOk).toBe(20);
    expect(f.slackAckP99Ms).toBeLessThan(TEST_FLOOR_MS * 4);
    expect(f.slackAnswered).toBe(20);
    expect(f.teamsOk).toBe(10);
    expect(f.teamsAnswered).toBe(10);
  });
});

describe('abuse: agents', { timeout: 90_000 }, () => {
  it('100 agents reconnect after a hub restart: all back, /healthz responsive, the legitimate agent working', async () => {
    const r = await reconnectStormScenario.run('test', options);
    expectServerHeld(r);
    const f = r.facts as { onlineBefore: number; onlineAfter: number; stillOffline: number; allBackMs: number };
    expect(f.onlineBefore).toBe(101);
    expect(f.onlineAfter).toBe(101);
    expect(f.stillOffline).toBe(0);
  });
});
