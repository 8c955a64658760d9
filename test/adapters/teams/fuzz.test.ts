import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEAMS_MESSAGE_MAX_BYTES } from '../../../adapters/teams/index.js';
import {
  BOT,
  CHANNEL,
  channelMention,
  executeInvoke,
  GROUP_CHAT,
  PERSONAL_CONV,
  personalMessage,
  startHarness,
  TENANT,
  USER,
  type Harness,
} from './harness.js';
import { guardNetwork, type NetworkGuard } from './network-guard.js';

/**
 * 1,000 activities, from Teams-shaped to nonsense, POSTed to /api/messages: every one gets an HTTP
 * answer (never a 500, never a hang), nothing crashes, every message the bot sends fits in Teams, and
 * nothing leaves the machine.
 */

let guard: NetworkGuard;
let h: Harness;
beforeAll(async () => {
  guard = guardNetwork();
  h = await startHarness({ options: { turnBudgetMs: 2000, invokeBudgetMs: 1000 } });
});
afterAll(async () => {
  await h.close();
  guard.restore();
});

const any = fc.jsonValue({ maxDepth: 3 });
const text = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom(
    'help',
    'topics',
    'topic phase1-ike-failure',
    'topic no-such-topic all',
    'agents',
    'keepalive on dc1 here',
    'keepalive off',
    'check acme.outsystemsenterprise.com dns 10.0.0.2',
    'check acme.outsystemsenterprise.com dns nope',
    'show all steps',
    'fixed it',
    'still broken',
    'support case',
    '2',
    'tunnel drops every hour',
    '<at>vpn-doctor</at>',
    '&amp;&#0;&#x110000;<at></at>',
  ),
  fc.string({ maxLength: 20 }).map((s) => `<at>vpn-doctor</at> ${s}`),
);
const mention = fc.record(
  {
    type: fc.constantFrom('mention', 'clientInfo', 'x'),
    text: fc.oneof(fc.constant('<at>vpn-doctor</at>'), fc.string(), any),
    mentioned: fc.oneof(fc.constant(BOT), any),
  },
  { requiredKeys: [] },
);

function activities(serviceUrl: string) {
  const conversation = fc.oneof(
    fc.constant({ id: PERSONAL_CONV, conversationType: 'personal', tenantId: TENANT }),
    fc.constant({ id: `${CHANNEL};messageid=1700000000001`, conversationType: 'channel', isGroup: true, tenantId: TENANT }),
    fc.constant({ id: GROUP_CHAT, conversationType: 'groupChat', isGroup: true }),
    fc.record({ id: fc.string({ maxLength: 80 }), conversationType: fc.oneof(fc.string(), any) }, { requiredKeys: ['id'] }),
    any,
  );
  const value = fc.oneof(
    any,
    fc.record({ command: fc.oneof(text, any), actionId: any }, { requiredKeys: [] }),
    fc.record({ moreToken: fc.oneof(fc.string({ maxLength: 70 }), any) }),
    fc.record(
      {
        action: fc.record(
          { type: fc.constantFrom('Action.Execute', 'Action.Submit'), verb: any, data: fc.oneof(any, fc.record({ command: text })) },
          { requiredKeys: [] },
        ),
        trigger: any,
      },
      { requiredKeys: [] },
    ),
  );
  const fuzzed = fc.record(
    {
      type: fc.oneof(
        fc.constantFrom(
          'message',
          'invoke',
          'conversationUpdate',
          'typing',
          'messageReaction',
          'installationUpdate',
          'event',
          'endOfConversation',
        ),
        fc.string({ minLength: 1, maxLength: 30 }),
      ),
      id: fc.oneof(fc.string({ maxLength: 40 }), any),
      name: fc.oneof(fc.constant('adaptiveCard/action'), fc.string(), any),
      channelId: fc.oneof(fc.constant('msteams'), fc.string(), any),
      serviceUrl: fc.oneof(
        { weight: 8, arbitrary: fc.constant(serviceUrl) },
        {
          weight: 1,
          arbitrary: fc.constantFrom('http://127.0.0.1:1/amer/', 'https://smba.trafficmanager.net/amer/', 'ftp://127.0.0.1/', ''),
        },
        { weight: 1, arbitrary: any },
      ),
      from: fc.oneof(fc.constant(USER), fc.constant(BOT), any),
      recipient: fc.oneof({ weight: 4, arbitrary: fc.constant(BOT) }, { weight: 1, arbitrary: any }),
      conversation,
      text,
      textFormat: fc.constantFrom('plain', 'markdown', 'xml'),
      entities: fc.oneof(fc.array(mention, { maxLength: 5 }), any),
      value,
      channelData: fc.oneof(fc.constant({ channel: { id: CHANNEL }, tenant: { id: TENANT } }), any),
      membersAdded: fc.oneof(fc.constant([{ id: BOT.id }]), fc.array(any, { maxLength: 3 }), any),
      replyToId: fc.oneof(fc.string(), any),
      timestamp: fc.oneof(fc.constant(new Date().toISOString()), fc.string(), any),
      locale: fc.oneof(fc.constant('en-US'), any),
    },
    { requiredKeys: ['type'] },
  );
  return fc.oneof(
    { weight: 6, arbitrary: fuzzed },
    // Well-formed Teams activities with fuzzed text or button data, so that deep paths are fuzzed too.
    { weight: 2, arbitrary: text.map((t) => personalMessage(serviceUrl, t)) },
    { weight: 1, arbitrary: text.map((t) => channelMention(serviceUrl, t)) },
    { weight: 1, arbitrary: value.map((v) => executeInvoke(personalMessage(serviceUrl, ''), v as Record<string, unknown>)) },
  );
}

describe('Teams adapter: fuzzed activities', () => {
  it('answers 1,000 fuzzed activities without a crash, a 500 or a hang', async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(activities(h.connector.url), async (activity) => {
        const res = await h.post(activity);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        expect([200, 400, 403, 501]).toContain(res.status);
      }),
      { numRuns: 1000, seed: 20251128 },
    );
    await h.adapter.drain(10_000);
    expect(h.connector.calls.length).toBeGreaterThan(100);
    for (const call of h.connector.calls) expect(call.bytes).toBeLessThan(TEAMS_MESSAGE_MAX_BYTES);

    // Health after the storm: a normal question still gets its answer.
    h.connector.reset();
    const res = await h.post(personalMessage(h.connector.url, 'help'));
    expect(res.status).toBe(200);
    expect(h.connector.calls).toHaveLength(1);

    // Failures to deliver to a dead or bogus service URL are logged; nothing else may fail.
    const failures = h.logs.filter((l) => (l.level as number) >= 50).map((l) => String(l.msg));
    expect(failures.filter((m) => !/^teams: failed to post /.test(m))).toEqual([]);
    expect(statuses.get(200)).toBeGreaterThan(300);
    expect(guard.blocked).toEqual([]);
  }, 180_000);
});
