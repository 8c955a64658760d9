import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT_ID, BOT_USER_ID } from './helpers/fake-slack-api.js';
import { startHarness, type Harness } from './helpers/harness.js';
import {
  allText,
  appMention,
  blockActions,
  buttonsOf,
  CHANNEL,
  directMessage,
  DM_CHANNEL,
  headerOf,
  nextEventId,
  OTHER_USER,
  USER,
} from './helpers/payloads.js';
import { postToSlackEndpoint } from './helpers/slack-request.js';

/**
 * The Slack adapter in HTTP mode, end to end: requests signed as Slack signs them go over loopback HTTP
 * into the real Bolt HTTPReceiver, through the real conversation core (knowledge base and classifier),
 * and the answers land on a fake Slack Web API that records them and refuses what Slack would refuse.
 */
describe('Slack adapter, HTTP mode', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });

  afterAll(async () => {
    await h.close();
    // Nothing the adapter sent broke a Block Kit limit during the whole file.
    expect(h.api.blockViolations).toEqual([]);
  });

  const postsTo = (channel: string, from = 0) =>
    h.api
      .callsOf('chat.postMessage')
      .slice(from)
      .filter((c) => c.params.channel === channel);

  it('checked the bot token at start (auth.test) with the bot token', () => {
    expect(h.api.callsOf('auth.test')).toHaveLength(1);
    expect(h.api.callsOf('auth.test')[0]!.token).toMatch(/^xoxb-/);
  });

  describe('/vpn', () => {
    it('acknowledges at once with an empty 200, then answers privately for help', async () => {
      const { res, responseUrl } = await h.slash('help');
      expect(res.status).toBe(200);
      expect(res.body).toBe('');
      expect(res.ms).toBeLessThan(500);
      const answer = await h.api.waitFor(() => h.api.responseUrlCalls.find((c) => responseUrl.endsWith(c.path)));
      expect(answer.body.response_type).toBe('ephemeral');
      expect(headerOf(answer.body.blocks as unknown[])).toContain('vpn-doctor');
      expect(allText(answer.body.blocks as unknown[])).toContain('keepalive on|off');
    });

    it('answers a question in the channel, saying who asked', async () => {
      const before = h.api.callsOf('chat.postMessage').length;
      const { res } = await h.slash('tunnel drops every hour on IKEv2');
      expect(res.status).toBe(200);
      const post = await h.api.waitFor(() => postsTo(CHANNEL, before)[0]);
      expect(post.params.thread_ts).toBeUndefined();
      expect(post.token).toMatch(/^xoxb-/);
      const blocks = post.params.blocks as unknown[];
      expect(headerOf(blocks)).toBe(h.kb.byId.get('ikev2-hourly-drop')!.title);
      expect(allText(blocks)).toContain(`<@${USER}>: /vpn tunnel drops every hour on IKEv2`);
      expect([...buttonsOf(blocks).keys()]).toEqual(expect.arrayContaining(['Fixed it', 'Still broken', 'Prepare support case']));
      expect(post.params.unfurl_links).toBe('false');
    });

    it('lists topics and shows one topic', async () => {
      const topics = await h.slash('topics');
      const list = await h.api.waitFor(() => h.api.responseUrlCalls.find((c) => topics.responseUrl.endsWith(c.path)));
      expect(list.body.response_type).toBe('ephemeral');
      for (const t of h.kb.topics) expect(allText(list.body.blocks as unknown[])).toContain(t.id);

      const before = h.api.callsOf('chat.postMessage').length;
      await h.slash('topic dns-conditional-forwarder');
      const post = await h.api.waitFor(() => postsTo(CHANNEL, before)[0]);
      expect(headerOf(post.params.blocks as unknown[])).toBe(h.kb.byId.get('dns-conditional-forwarder')!.title);
    });

    it('runs a check: posts a running message, updates it with progress, then with the result', async () => {
      h.checks.hold();
      const before = h.api.callsOf('chat.postMessage').length;
      const updatesBefore = h.api.callsOf('chat.update').length;
      const { res } = await h.slash('check acme-dev.outsystemsenterprise.com dns 10.0.0.2');
      expect(res.status).toBe(200);
      const running = await h.api.waitFor(() => postsTo(CHANNEL, before)[0]);
      expect(headerOf(running.params.blocks as unknown[])).toContain('Running connectivity checks');
      // Progress lines arrive as updates of that same message while the check is held open.
      await h.api.waitFor(() =>
        h.api
          .callsOf('chat.update')
          .slice(updatesBefore)
          .some((u) => allText(u.params.blocks as unknown[]).includes('Connecting to port 443')),
      );
      h.checks.release();
      await h.adapter.idle();

      const updates = h.api.callsOf('chat.update').slice(updatesBefore);
      expect(updates.every((u) => u.params.ts === running.params.__ts && u.params.channel === CHANNEL)).toBe(true);
      const final = updates.at(-1)!.params.blocks as unknown[];
      expect(headerOf(final)).toContain('Connectivity check');
      expect(allText(final)).toContain('Verdict: *DOWN*');
      expect(allText(final)).toContain('TCP 443');
      expect(postsTo(CHANNEL, before)).toHaveLength(1); // one message, updated in place
      expect(h.checks.runs.at(-1)!.args).toMatchObject({ hosts: ['acme-dev.outsystemsenterprise.com'], dnsServers: ['10.0.0.2'] });
    });

    it('passes the conversation of "keepalive on <agent> here" to the agent hub, with an address for alerts', async () => {
      await h.slash('keepalive on branch-1 here');
      await h.adapter.idle();
      const call = h.agents.keepalive.at(-1)!;
      expect(call).toMatchObject({ agent: 'branch-1', on: true });
      expect(call.conversation).toMatchObject({ platform: 'slack', channel: CHANNEL, user: USER, address: { channel: CHANNEL } });
    });

    it('answers /vpn agents privately', async () => {
      const { responseUrl } = await h.slash('agents');
      const list = await h.api.waitFor(() => h.api.responseUrlCalls.find((c) => responseUrl.endsWith(c.path)));
      expect(list.body.response_type).toBe('ephemeral');
      expect(allText(list.body.blocks as unknown[])).toContain('branch-1');
    });

    it('answers through the response_url, with a hint, in a channel the bot is not a member of', async () => {
      h.api.notMemberOf.add('C0ELSEWHR1');
      const { responseUrl } = await h.slash('topic phase1-ike-failure', { channel_id: 'C0ELSEWHR1' });
      const answer = await h.api.waitFor(() => h.api.responseUrlCalls.find((c) => responseUrl.endsWith(c.path)));
      expect(answer.body.response_type).toBe('in_channel');
      expect(allText(answer.body.blocks as unknown[])).toContain('/invite');
    });
  });

  describe('@mentions and DMs', () => {
    it('answers a mention in its thread, and keeps the context for a follow-up in that thread', async () => {
      const before = h.api.callsOf('chat.postMessage').length;
      const mention = appMention('the tunnel drops every 60 minutes on IKEv2');
      expect((await h.event(mention)).status).toBe(200);
      const first = await h.api.waitFor(() => postsTo(CHANNEL, before)[0]);
      expect(first.params.thread_ts).toBe(mention.ts);
      expect(headerOf(first.params.blocks as unknown[])).toBe(h.kb.byId.get('ikev2-hourly-drop')!.title);

      await h.event(appMention('still failing', { thread_ts: mention.ts }));
      const second = await h.api.waitFor(() => postsTo(CHANNEL, before)[1]);
      expect(second.params.thread_ts).toBe(mention.ts);
      expect(headerOf(second.params.blocks as unknown[])).toMatch(/^Still on: /);
      // The core saw the mention without the bot's name, and one conversation for the thread.
      const [a, b] = h.handled.slice(-2);
      expect(a!.text).toBe('the tunnel drops every 60 minutes on IKEv2');
      expect(a!.thread).toBe(mention.ts);
      expect(b!.thread).toBe(mention.ts);
    });

    it("undoes Slack's auto-links so a check typed in a mention reaches the core as typed", async () => {
      const runs = h.checks.runs.length;
      await h.event(appMention('check <http://acme-qa.outsystemsenterprise.com|acme-qa.outsystemsenterprise.com> dns 10.0.0.2'));
      await h.adapter.idle();
      expect(h.checks.runs.slice(runs)[0]!.args.hosts).toEqual(['acme-qa.outsystemsenterprise.com']);
    });

    it('answers a direct message in its thread', async () => {
      const before = h.api.callsOf('chat.postMessage').length;
      const dm = directMessage('nslookup of our environment gives me a public IP');
      await h.event(dm);
      const post = await h.api.waitFor(() => postsTo(DM_CHANNEL, before)[0]);
      expect(post.params.thread_ts).toBe(dm.ts);
      expect(headerOf(post.params.blocks as unknown[])).toBeTruthy();
    });

    it('ignores its own messages, other bots and message subtypes (edits, joins)', async () => {
      const handled = h.handled.length;
      const posts = h.api.callsOf('chat.postMessage').length;
      const responses = [
        await h.event(directMessage('tunnel drops hourly', { user: BOT_USER_ID, bot_id: BOT_ID })),
        await h.event(directMessage('tunnel drops hourly', { user: BOT_USER_ID })),
        await h.event(directMessage('tunnel drops hourly', { user: 'U0OTHERBOT', bot_id: 'B0OTHERBOT', bot_profile: { name: 'other' } })),
        await h.event(directMessage('tunnel drops hourly', { subtype: 'bot_message', bot_id: 'B0OTHERBOT', user: undefined })),
        await h.event(directMessage('tunnel drops hourly', { subtype: 'message_changed' })),
        await h.event(directMessage('', { subtype: 'channel_join' })),
        await h.event(appMention('tunnel drops hourly', { user: 'U0OTHERBOT', bot_id: 'B0OTHERBOT' })),
        // A message in a channel (not a DM) is not ours to answer without a mention.
        await h.event(directMessage('tunnel drops hourly', { channel_type: 'channel', channel: CHANNEL })),
      ];
      expect(responses.every((r) => r.status === 200)).toBe(true);
      await new Promise((r) => setTimeout(r, 100));
      await h.adapter.idle();
      expect(h.handled.length).toBe(handled);
      expect(h.api.callsOf('chat.postMessage').length).toBe(posts);
    });

    it('handles a retried event (same event_id, X-Slack-Retry-Num) once', async () => {
      const handled = h.handled.length;
      const before = h.api.callsOf('chat.postMessage').length;
      const mention = appMention('phase 1 does not come up');
      const eventId = nextEventId();
      const first = await h.event(mention, { eventId });
      const retries = await Promise.all([
        h.event(mention, { eventId, headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } }),
        h.event(mention, { eventId, headers: { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_timeout' } }),
      ]);
      expect([first, ...retries].map((r) => r.status)).toEqual([200, 200, 200]);
      await h.adapter.idle();
      expect(h.handled.length).toBe(handled + 1);
      expect(postsTo(CHANNEL, before)).toHaveLength(1);
    });

    it('answers the url_verification challenge (Slack checks the Request URL with it)', async () => {
      const challenge = await postToSlackEndpoint(
        h.eventsUrl,
        JSON.stringify({ token: 't', challenge: 'c0ffee', type: 'url_verification' }),
      );
      expect(challenge.status).toBe(200);
      expect(JSON.parse(challenge.body)).toEqual({ challenge: 'c0ffee' });
    });
  });

  describe('buttons', () => {
    /** Asks in a fresh thread and returns the answer message with its buttons. */
    async function askInThread(question: string) {
      const before = h.api.callsOf('chat.postMessage').length;
      const mention = appMention(question);
      await h.event(mention);
      const post = await h.api.waitFor(() => postsTo(CHANNEL, before)[0]);
      return { mention, ts: String(post.params.__ts), buttons: buttonsOf(post.params.blocks as unknown[]) };
    }

    async function click(
      on: { ts: string; threadTs?: string },
      label: string,
      buttons: Map<string, { actionId: string; value: string }>,
      user = USER,
    ) {
      const b = buttons.get(label);
      if (!b) throw new Error(`no button "${label}" among ${[...buttons.keys()].join(', ')}`);
      const before = h.api.callsOf('chat.postMessage').length;
      const res = await h.action(
        blockActions({
          actionId: b.actionId,
          value: b.value,
          label,
          channel: CHANNEL,
          messageTs: on.ts,
          ...(on.threadTs ? { threadTs: on.threadTs } : {}),
          responseUrl: h.api.responseUrl(`act-${Date.now()}`),
          user,
        }),
      );
      expect(res.status).toBe(200);
      expect(res.ms).toBeLessThan(500);
      await h.adapter.idle();
      return postsTo(CHANNEL, before);
    }

    it('"Show all steps" shows every step in the thread', async () => {
      const { mention, ts, buttons } = await askInThread('phase 1 does not come up, NO_PROPOSAL_CHOSEN');
      const posts = await click({ ts, threadTs: mention.ts as string }, 'Show all steps', buttons);
      expect(posts).toHaveLength(1);
      expect(posts[0]!.params.thread_ts).toBe(mention.ts);
      const steps = h.kb.byId.get('phase1-ike-failure')!.steps.length;
      expect(allText(posts[0]!.params.blocks as unknown[])).toContain(`*${steps}.*`);
      expect(allText(posts[0]!.params.blocks as unknown[])).toContain(`<@${USER}>: Show all steps`);
    });

    it('"Fixed it" and "Still broken" reach the feedback port with the topic of the thread', async () => {
      const { mention, ts, buttons } = await askInThread('the tunnel drops every 60 minutes on IKEv2');
      await click({ ts, threadTs: mention.ts as string }, 'Fixed it', buttons, OTHER_USER);
      expect(h.feedback.entries.at(-1)).toMatchObject({
        fixed: true,
        topic: 'ikev2-hourly-drop',
        inbound: { platform: 'slack', user: OTHER_USER, channel: CHANNEL, thread: mention.ts },
      });
      const broken = await click({ ts, threadTs: mention.ts as string }, 'Still broken', buttons);
      expect(h.feedback.entries.at(-1)).toMatchObject({ fixed: false, topic: 'ikev2-hourly-drop' });
      expect(headerOf(broken[0]!.params.blocks as unknown[])).toContain('still broken');
    });

    it('ignores a double click on the same button', async () => {
      const { mention, ts, buttons } = await askInThread('the tunnel drops every 60 minutes on IKEv2');
      const entries = h.feedback.entries.length;
      const b = buttons.get('Fixed it')!;
      const payload = blockActions({
        actionId: b.actionId,
        value: b.value,
        label: 'Fixed it',
        channel: CHANNEL,
        messageTs: ts,
        threadTs: mention.ts as string,
        responseUrl: h.api.responseUrl('dbl'),
      });
      await Promise.all([h.action(payload), h.action(payload)]);
      await h.adapter.idle();
      expect(h.feedback.entries.length).toBe(entries + 1);
    });

    it('"Prepare support case" drafts the case from the thread, "Run checks" runs them', async () => {
      const { mention, ts, buttons } = await askInThread('cannot reach acme-dev.outsystemsenterprise.com from our office, dns 10.0.0.2');
      const draft = await click({ ts, threadTs: mention.ts as string }, 'Prepare support case', buttons);
      expect(headerOf(draft[0]!.params.blocks as unknown[])).toBe('Support case draft');
      expect(allText(draft[0]!.params.blocks as unknown[])).toContain('Reported symptoms');

      const runs = h.checks.runs.length;
      const check = await click({ ts, threadTs: mention.ts as string }, 'Run checks', buttons);
      expect(h.checks.runs.length).toBe(runs + 1);
      expect(h.checks.runs.at(-1)!.args.hosts).toEqual(['acme-dev.outsystemsenterprise.com']);
      expect(check[0]!.params.thread_ts).toBe(mention.ts);
    });

    it('offers choices as buttons when unsure, and a choice answers with that topic', async (ctx) => {
      const before = h.api.callsOf('chat.postMessage').length;
      const mention = appMention('dns problem');
      await h.event(mention);
      const post = await h.api.waitFor(() => postsTo(CHANNEL, before)[0]);
      const buttons = buttonsOf(post.params.blocks as unknown[]);
      const choice = [...buttons.entries()].find(([label]) => label.startsWith('Choose'));
      // The classifier is tuned elsewhere; if it becomes sure about this message, there is nothing to choose.
      if (!choice) return ctx.skip();
      const posts = await click({ ts: String(post.params.__ts), threadTs: mention.ts as string }, choice[0], buttons);
      const topicId = choice[1].value.replace(/^topic /, '');
      expect(headerOf(posts[0]!.params.blocks as unknown[])).toBe(h.kb.byId.get(topicId)!.title);
    });

    it("buttons on a /vpn answer continue that command's conversation", async () => {
      const before = h.api.callsOf('chat.postMessage').length;
      await h.slash('topic keep-traffic-flowing');
      const answer = await h.api.waitFor(() => postsTo(CHANNEL, before)[0]);
      const buttons = buttonsOf(answer.params.blocks as unknown[]);
      await click({ ts: String(answer.params.__ts) }, 'Fixed it', buttons);
      expect(h.feedback.entries.at(-1)).toMatchObject({ fixed: true, topic: 'keep-traffic-flowing' });
      // The reply to the click went into the thread of the /vpn answer.
      expect(postsTo(CHANNEL, before).at(-1)!.params.thread_ts).toBe(answer.params.__ts);
    });
  });

  describe('long answers', () => {
    it('split over messages: "Show more" posts the next part in the thread', async () => {
      h.checks.extraEvidence = 400;
      try {
        const before = h.api.callsOf('chat.postMessage').length;
        const updatesBefore = h.api.callsOf('chat.update').length;
        await h.slash('check acme-dev.outsystemsenterprise.com dns 10.0.0.2');
        await h.adapter.idle();
        const running = postsTo(CHANNEL, before)[0]!;
        const final = h.api.callsOf('chat.update').slice(updatesBefore).at(-1)!;
        const more = buttonsOf(final.params.blocks as unknown[]);
        const showMore = [...more.entries()].find(([label]) => label.startsWith('Show more'))!;
        expect(showMore[0]).toMatch(/^Show more \(2\/\d+\)$/);
        // The feedback buttons stay on the first message.
        expect(more.has('Fixed it')).toBe(true);

        const res = await h.action(
          blockActions({
            actionId: showMore[1].actionId,
            value: showMore[1].value,
            label: showMore[0],
            channel: CHANNEL,
            messageTs: String(running.params.__ts),
            responseUrl: h.api.responseUrl('more'),
          }),
        );
        expect(res.status).toBe(200);
        const page2 = await h.api.waitFor(() => postsTo(CHANNEL, before)[1]);
        expect(page2.params.thread_ts).toBe(running.params.__ts);
        expect(allText(page2.params.blocks as unknown[])).toContain('continued');
        expect(allText(page2.params.blocks as unknown[])).toContain('traceroute hop');
      } finally {
        h.checks.extraEvidence = 0;
      }
    });
  });

  describe('rate limits', () => {
    it('waits as long as Retry-After says when chat.postMessage gets a 429, then posts', async () => {
      h.api.rateLimitNext('chat.postMessage', 1);
      const before = h.api.callsOf('chat.postMessage').length;
      await h.event(appMention('the tunnel drops every 60 minutes on IKEv2'));
      await h.adapter.idle();
      const attempts = h.api.callsOf('chat.postMessage').slice(before);
      expect(attempts).toHaveLength(2);
      expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(950);
      expect(attempts[1]!.params.__ts).toBeDefined();
    });
  });
});
