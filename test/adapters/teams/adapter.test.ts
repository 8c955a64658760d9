import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEAMS_MESSAGE_MAX_BYTES } from '../../../adapters/teams/index.js';
import type { IntentClassifier } from '../../../src/nlu/types.js';
import { buttonsOf, cardOf, cardText } from './fake-connector.js';
import {
  BOT,
  CHANNEL,
  channelMention,
  executeInvoke,
  FakeAgents,
  FakeCheckRunner,
  GROUP_CHAT,
  kb,
  PERSONAL_CONV,
  personalMessage,
  realClassifier,
  startHarness,
  submitClick,
  TENANT,
  USER,
  type Harness,
} from './harness.js';
import { guardNetwork, type NetworkGuard } from './network-guard.js';

let guard: NetworkGuard;
beforeAll(() => {
  guard = guardNetwork();
});
afterAll(() => {
  guard.restore();
  // Nothing in these tests may leave the machine: replies go to the fake connector on 127.0.0.1.
  expect(guard.blocked).toEqual([]);
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const lastCall = (h: Harness) => h.connector.calls.at(-1)!;

describe('Teams adapter: conversations', () => {
  let h: Harness;
  let checks: FakeCheckRunner;
  let agents: FakeAgents;
  beforeAll(async () => {
    checks = new FakeCheckRunner(3, 200);
    agents = new FakeAgents();
    h = await startHarness({ checks, agents });
  });
  afterAll(() => h.close());

  it('answers in a personal chat, replying to the message with an Adaptive Card 1.5', async () => {
    h.connector.reset();
    const msg = personalMessage(h.connector.url, 'help');
    const res = await h.post(msg);
    expect(res.status).toBe(200);
    expect(h.connector.calls).toHaveLength(1);
    const call = h.connector.calls[0]!;
    expect(call).toMatchObject({ method: 'POST', kind: 'reply', conversationId: PERSONAL_CONV, activityId: msg.id });
    expect(call.body).toMatchObject({ type: 'message', from: BOT, recipient: USER, conversation: { id: PERSONAL_CONV } });
    const card = cardOf(call) as unknown as Record<string, unknown>;
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
    expect(cardText(call)).toContain('vpn-doctor: help');
    expect(cardText(call)).toContain('keepalive on|off <agent> [here]');
    expect(h.inbounds.at(-1)).toMatchObject({ text: 'help', platform: 'teams', channel: PERSONAL_CONV, user: USER.aadObjectId });
    expect(h.inbounds.at(-1)!.thread).toBeUndefined();
  });

  it('strips the @mention in a channel and replies in the thread', async () => {
    h.connector.reset();
    const msg = channelMention(h.connector.url, 'topics');
    expect(msg.text).toBe('<at>vpn-doctor</at>&nbsp;topics');
    await h.post(msg);
    const inbound = h.inbounds.at(-1)!;
    expect(inbound).toMatchObject({ text: 'topics', channel: CHANNEL, thread: msg.id, platform: 'teams' });
    const call = lastCall(h);
    expect(call.conversationId).toBe(`${CHANNEL};messageid=${msg.id}`);
    expect(cardText(call)).toContain(`${kb().topics.length} topics from the troubleshooting guide`);
  });

  it('keeps the mentions of other people readable and removes every part of a split bot mention', async () => {
    const msg = channelMention(h.connector.url, 'x', undefined, {
      text: '<at>vpn</at> <at>doctor</at> tunnel drops every hour, says <at>Rui Net</at>',
      entities: [
        { type: 'mention', text: '<at>vpn</at>', mentioned: BOT },
        { type: 'mention', text: '<at>doctor</at>', mentioned: BOT },
        { type: 'mention', text: '<at>Rui Net</at>', mentioned: { id: '29:rui', name: 'Rui Net' } },
      ],
    });
    await h.post(msg);
    expect(h.inbounds.at(-1)!.text).toBe('tunnel drops every hour, says Rui Net');
  });

  it('ignores channel and group-chat messages that do not mention the bot', async () => {
    h.connector.reset();
    const before = h.inbounds.length;
    const plain = channelMention(h.connector.url, 'x', undefined, { text: 'the tunnel is flapping again', entities: [] });
    const group = personalMessage(h.connector.url, 'hello all', {
      conversation: { id: GROUP_CHAT, conversationType: 'groupChat', isGroup: true, tenantId: TENANT },
    });
    expect((await h.post(plain)).status).toBe(200);
    expect((await h.post(group)).status).toBe(200);
    await sleep(50);
    expect(h.inbounds.length).toBe(before);
    expect(h.connector.calls).toHaveLength(0);
  });

  it('keeps the context per thread: a follow-up in the same thread stays on the topic, another thread does not', async () => {
    const first = channelMention(h.connector.url, 'our tunnel drops every hour on IKEv2');
    const thread = first.id as string;
    await h.post(first);
    expect(cardText(lastCall(h))).toContain(kb().byId.get('ikev2-hourly-drop')!.title);

    await h.post(channelMention(h.connector.url, 'still failing', thread));
    expect(cardText(lastCall(h))).toContain('Still on: ');

    await h.post(channelMention(h.connector.url, 'still failing'));
    expect(cardText(lastCall(h))).not.toContain('Still on: ');
  });

  it('feeds an Action.Submit click back to the assistant as the button command', async () => {
    const question = personalMessage(h.connector.url, 'tunnel drops every hour on IKEv2');
    await h.post(question);
    const answer = lastCall(h);
    const buttons = buttonsOf(answer);
    expect(buttons.map((b) => b.title)).toEqual(
      expect.arrayContaining(['Show all steps', 'Fixed it', 'Still broken', 'Prepare support case']),
    );
    const showAll = buttons.find((b) => b.title === 'Show all steps')!;
    expect(showAll.type).toBe('Action.Submit');

    await h.post(submitClick(question, showAll.data, 'bot-activity-x'));
    expect(h.inbounds.at(-1)!.text).toBe(showAll.data.command);
    const topic = kb().byId.get('ikev2-hourly-drop')!;
    const all = lastCall(h);
    expect(cardText(all)).toContain(topic.steps.at(-1)!.action.slice(0, 40));

    await h.post(submitClick(question, buttons.find((b) => b.title === 'Still broken')!.data, 'bot-activity-y'));
    expect(cardText(lastCall(h))).toContain('Sorry it is still broken');
  });

  it('answers a Universal Action invoke with an invoke response, and a retried invoke gets the same answer without running twice', async () => {
    await h.post(personalMessage(h.connector.url, 'tunnel drops every hour on IKEv2'));
    h.connector.reset();
    const invoke = executeInvoke(personalMessage(h.connector.url, ''), { command: 'fixed it', actionId: 'fixed' }, 'fixed');
    const handledBefore = h.inbounds.length;

    const first = await h.post(invoke);
    expect(first.status).toBe(200);
    expect(first.json()).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'Done.' });
    expect(h.connector.calls).toHaveLength(1);
    expect(cardText(h.connector.calls[0]!)).toContain('Glad it works again');

    // Teams retries an invoke it got no answer to, with the same activity id; concurrently, too.
    const [again, andAgain] = await Promise.all([h.post(invoke), h.post(invoke)]);
    expect(again.json()).toEqual(first.json());
    expect(andAgain.json()).toEqual(first.json());
    expect(h.inbounds.length).toBe(handledBefore + 1);
    expect(h.connector.calls).toHaveLength(1);
  });

  it('answers an invoke without a command with an error invoke response, and unknown invokes with 501', async () => {
    const bad = executeInvoke(personalMessage(h.connector.url, ''), { nothing: true });
    const res = await h.post(bad);
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest' } });

    const other = { ...personalMessage(h.connector.url, ''), type: 'invoke', name: 'composeExtension/query', value: {} };
    expect((await h.post(other)).status).toBe(501);
  });

  it('does not answer a repeated message twice', async () => {
    h.connector.reset();
    const msg = personalMessage(h.connector.url, 'topics');
    await Promise.all([h.post(msg), h.post(msg)]);
    await h.post(msg);
    expect(h.connector.calls).toHaveLength(1);
  });

  it('posts a "running" card for a check, answers the POST at once, then updates the card in place with progress and the result', async () => {
    h.connector.reset();
    const msg = channelMention(h.connector.url, 'check acme-dev.outsystemsenterprise.com dns 10.0.0.2');
    const res = await h.post(msg);
    expect(res.status).toBe(200);
    // The POST is answered as soon as the running card is up, long before the checks end.
    expect(h.connector.calls.some((c) => cardText(c).includes('Verdict'))).toBe(false);
    expect(checks.runs.at(-1)).toMatchObject({ hosts: ['acme-dev.outsystemsenterprise.com'], dnsServers: ['10.0.0.2'] });

    const running = h.connector.calls[0]!;
    expect(running.kind).toBe('reply');
    expect(cardText(running)).toContain('⏳ Running connectivity checks');

    const runningId = running.responseId;
    const result = await h.connector.waitFor((c) => c.find((x) => x.kind === 'update' && cardText(x).includes('Verdict: DOWN')));
    expect(result.activityId).toBe(runningId);
    expect(result.conversationId).toBe(`${CHANNEL};messageid=${msg.id}`);
    const text = cardText(result);
    expect(text).toContain('tunnel-down');
    expect(text).toContain('100% loss');
    expect(JSON.stringify(cardOf(result))).toContain('"type":"Table"');
    // Progress went into the same card before the result.
    const updates = h.connector.calls.filter((c) => c.kind === 'update');
    expect(updates.some((u) => cardText(u).includes('probe'))).toBe(true);
    expect(updates.every((u) => u.activityId === runningId)).toBe(true);
    expect(h.connector.calls.filter((c) => c.kind !== 'update')).toHaveLength(1);
  });

  it('posts the result as a new message when the running card cannot be updated', async () => {
    h.connector.reset();
    h.connector.updateStatus = 404;
    try {
      await h.post(personalMessage(h.connector.url, 'check acme-dev.outsystemsenterprise.com dns 10.0.0.2'));
      const result = await h.connector.waitFor((c) => c.find((x) => x.kind !== 'update' && cardText(x).includes('Verdict: DOWN')));
      expect(result.conversationId).toBe(PERSONAL_CONV);
      // What was logged about the failure holds no request details (a token would be in them).
      const warning = h.logs.find((l) => /could not edit the progress message/.test(String(l.msg)))!;
      expect(Object.keys(warning.err as object).sort()).toEqual(expect.arrayContaining(['message']));
      expect(JSON.stringify(warning)).not.toMatch(/authorization|headers/i);
    } finally {
      h.connector.updateStatus = 200;
    }
  });

  it('registers keep-alive alerts with the conversation reference and posts alerts proactively', async () => {
    const msg = channelMention(h.connector.url, 'keepalive on dc1-probe here');
    await h.post(msg);
    const sub = agents.subscriptions.at(-1)!;
    expect(sub).toMatchObject({ agent: 'dc1-probe', on: true });
    const address = sub.conversation!.address;
    // What the hub stores must survive a JSON round trip (it goes into SQLite).
    const stored = JSON.parse(JSON.stringify(address)) as unknown;
    expect(stored).toMatchObject({
      v: 1,
      teamsChannelId: CHANNEL,
      tenantId: TENANT,
      reference: { serviceUrl: h.connector.url, conversation: { id: `${CHANNEL};messageid=${msg.id}` } },
    });

    h.connector.reset();
    const alert = {
      kind: 'error' as const,
      title: 'Tunnel down: dc1-probe lost the OutSystems Cloud',
      summary: 'Keep-alive pings failed 3 times.',
      steps: [],
      facts: [],
      findings: [],
      evidence: [],
      items: [],
      actions: [],
      followUps: [],
    };
    await h.adapter.alerts!.post(stored, alert);
    expect(h.connector.calls).toHaveLength(1);
    const create = h.connector.calls[0]!;
    // A new post in the channel, not a reply buried in the old thread.
    expect(create.kind).toBe('create');
    expect(create.body).toMatchObject({
      isGroup: true,
      channelData: { channel: { id: CHANNEL }, tenant: { id: TENANT } },
      tenantId: TENANT,
    });
    expect(cardText({ ...create, body: create.body.activity as Record<string, unknown> })).toContain('Tunnel down: dc1-probe');

    // When Teams refuses a new post, the alert goes into the thread where keep-alive was switched on.
    h.connector.reset();
    h.connector.createStatus = 403;
    await h.adapter.alerts!.post(stored, alert);
    h.connector.createStatus = 200;
    const fallback = h.connector.calls.at(-1)!;
    expect(fallback.kind === 'reply' || fallback.kind === 'send').toBe(true);
    expect(fallback.conversationId).toBe(`${CHANNEL};messageid=${msg.id}`);
    expect(cardText(fallback)).toContain('Tunnel down');
  });

  it('posts alerts into a personal chat with continueConversation', async () => {
    await h.post(personalMessage(h.connector.url, 'keepalive on dc2-probe here'));
    const address = JSON.parse(JSON.stringify(agents.subscriptions.at(-1)!.conversation!.address)) as unknown;
    h.connector.reset();
    await h.adapter.alerts!.post(address, {
      kind: 'help',
      title: 'Tunnel back up: dc2-probe',
      summary: 'Keep-alive pings answered again.',
      steps: [],
      facts: [],
      findings: [],
      evidence: [],
      items: [],
      actions: [],
      followUps: [],
    });
    const call = h.connector.calls[0]!;
    expect(call.conversationId).toBe(PERSONAL_CONV);
    expect(call.body).toMatchObject({ from: BOT, recipient: USER });
    expect(cardText(call)).toContain('Tunnel back up');
    await expect(
      h.adapter.alerts!.post(
        { not: 'an address' },
        { kind: 'help', title: 't', summary: 's', steps: [], facts: [], findings: [], evidence: [], items: [], actions: [], followUps: [] },
      ),
    ).rejects.toThrow(/Teams conversation address/);
    expect(h.adapter.alerts!.platform).toBe('teams');
  });

  it('welcomes the team when the bot is added', async () => {
    h.connector.reset();
    const update = {
      ...channelMention(h.connector.url, ''),
      type: 'conversationUpdate',
      conversation: { id: CHANNEL, conversationType: 'channel', isGroup: true, tenantId: TENANT },
      membersAdded: [{ id: BOT.id }],
      text: undefined,
      entities: undefined,
    };
    await h.post(update);
    expect(cardText(lastCall(h))).toContain('vpn-doctor: help');
    h.connector.reset();
    await h.post({ ...update, id: 'other', membersAdded: [{ id: '29:someone-else' }] });
    expect(h.connector.calls).toHaveLength(0);
  });

  it('keeps every message it sends under the Teams size limit', () => {
    for (const call of h.connector.calls) expect(call.bytes).toBeLessThan(TEAMS_MESSAGE_MAX_BYTES);
  });
});

describe('Teams adapter: slow answers and long answers', () => {
  it('shows a "working" card when the answer takes longer than the turn budget, then replaces it', async () => {
    const real = await realClassifier();
    const slow: IntentClassifier = {
      classify: async (text, ctx) => (await sleep(600), real.classify(text, ctx)),
    };
    const h = await startHarness({ classifier: slow, options: { turnBudgetMs: 100 } });
    try {
      const res = await h.post(personalMessage(h.connector.url, 'tunnel drops every hour on IKEv2'));
      expect(res.status).toBe(200);
      // Answered after the budget, with only the "working" card posted so far.
      expect(h.connector.calls).toHaveLength(1);
      expect(cardText(h.connector.calls[0]!)).toContain('Working on it');
      const done = await h.connector.waitFor((c) => c.find((x) => x.kind === 'update'));
      expect(done.activityId).toBe(h.connector.calls[0]!.responseId);
      expect(cardText(done)).toContain(kb().byId.get('ikev2-hourly-drop')!.title);
    } finally {
      await h.close();
    }
  });

  it('answers the messages of one conversation in order, even when the first one is slow', async () => {
    const real = await realClassifier();
    const slowFirst: IntentClassifier = {
      classify: async (text, ctx) => (/hour/.test(text) && (await sleep(500)), real.classify(text, ctx)),
    };
    const h = await startHarness({ classifier: slowFirst, options: { turnBudgetMs: 100 } });
    try {
      const first = personalMessage(h.connector.url, 'tunnel drops every hour on IKEv2');
      const second = personalMessage(h.connector.url, 'nslookup of our environment gives a public IP');
      await Promise.all([h.post(first), h.post(second)]);
      const answerOf = (re: RegExp) => h.connector.waitFor((c) => c.find((x) => re.test(cardText(x))));
      await answerOf(new RegExp(kb().byId.get('ikev2-hourly-drop')!.title.replace(/[()]/g, '.')));
      await h.connector.waitFor((c) => c.filter((x) => x.kind === 'update')[1]);
      const finals = h.connector.calls.filter((c) => !cardText(c).includes('Working on it')).map((c) => cardText(c));
      const ikev2 = finals.findIndex((t) => t.includes(kb().byId.get('ikev2-hourly-drop')!.title));
      expect(ikev2).toBe(0);
      expect(finals).toHaveLength(2);
      // Each message's answer replaced its own "working" card.
      const updates = h.connector.calls.filter((c) => c.kind === 'update');
      expect(new Set(updates.map((u) => u.activityId)).size).toBe(2);
    } finally {
      await h.close();
    }
  });

  it('splits an answer that does not fit into cards linked by "Show the rest", numbering steps on', async () => {
    const h = await startHarness({ options: { maxCardBytes: 4000 } });
    try {
      const question = personalMessage(h.connector.url, 'topic ikev2-hourly-drop all');
      await h.post(question);
      const first = h.connector.calls.at(-1)!;
      expect(first.bytes).toBeLessThan(4000 + 1500);
      const more = buttonsOf(first).find((b) => b.title === 'Show the rest');
      expect(more?.data).toMatchObject({ moreToken: expect.stringMatching(/^[A-Za-z0-9_-]{16}$/) });
      const shownSteps = (JSON.stringify(cardOf(first)).match(/"text":"\d+\."/g) ?? []).length;

      const before = h.inbounds.length;
      await h.post(submitClick(question, more!.data, 'bot-activity-1'));
      expect(h.inbounds.length).toBe(before); // served from the adapter, not asked again
      const second = h.connector.calls.at(-1)!;
      expect(cardText(second)).toContain('(continued)');
      expect(JSON.stringify(cardOf(second))).toContain(`"text":"${shownSteps + 1}."`);

      await h.post(submitClick(question, { moreToken: 'expiredtoken1234' }, 'bot-activity-1'));
      expect(cardText(h.connector.calls.at(-1)!)).toContain('no longer available');
    } finally {
      await h.close();
    }
  });

  it('renders buttons as Action.Execute when Universal Actions are chosen, and handles their invokes', async () => {
    const h = await startHarness({ options: { actionType: 'Action.Execute' } });
    try {
      const question = personalMessage(h.connector.url, 'tunnel drops every hour on IKEv2');
      await h.post(question);
      const fixed = buttonsOf(h.connector.calls.at(-1)!).find((b) => b.title === 'Fixed it')!;
      expect(fixed.type).toBe('Action.Execute');
      const res = await h.post(executeInvoke(question, fixed.data, 'fixed'));
      expect(res.json()).toMatchObject({ statusCode: 200 });
      expect(cardText(h.connector.calls.at(-1)!)).toContain('Glad it works again');
    } finally {
      await h.close();
    }
  });
});

describe('Teams adapter: HTTP edge', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('answers 400 to a body that is not JSON, has no type or is not an activity, without hanging', async () => {
    expect((await h.post('this is not json')).status).toBe(400);
    expect((await h.post('')).status).toBe(400);
    expect((await h.post({ text: 'hello' })).status).toBe(400);
    expect((await h.post({ type: 42 })).status).toBe(400);
    expect((await h.post([{ type: 'message' }])).status).toBe(400);
    expect((await h.post(null)).status).toBe(400);
    expect((await h.post({ type: 'message', text: 'no conversation' })).status).toBe(400);
    expect((await h.post({ type: 'message', serviceUrl: 'not a url', conversation: { id: 'x' } })).status).toBe(400);
  });

  it('refuses other methods and oversized bodies', async () => {
    const get = await fetch(h.url, { signal: AbortSignal.timeout(5000) });
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    const huge = personalMessage(h.connector.url, 'x'.repeat(300 * 1024));
    expect((await h.post(huge)).status).toBe(413);
  });

  it('in dev mode (no app id) answers only activities whose service URL is on this machine', async () => {
    h.connector.reset();
    const res = await h.post(personalMessage('https://smba.trafficmanager.net/amer/', 'help'));
    expect(res.status).toBe(403);
    expect(h.connector.calls).toHaveLength(0);
  });

  it('logs a warning that dev mode has no authentication', () => {
    expect(h.logs.some((l) => l.level === 40 && /WITHOUT authentication/.test(String(l.msg)))).toBe(true);
  });
});
