import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/index.js';
import { ENGINES } from '../../support/store-engines.js';
import { startHarness, type Harness } from './helpers/harness.js';
import { appMention, eventCallback, slashCommandFields } from './helpers/payloads.js';
import { formBody, FORM, postToSlackEndpoint } from './helpers/slack-request.js';

/**
 * Two replicas of one Slack app behind a load balancer, sharing the store's chat state: Slack's retries and
 * a replayed request may reach the other replica, and must not run a second time there either.
 */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe.each(ENGINES)('Slack on two replicas sharing $name', (engine) => {
  describe.skipIf(engine.skip)('', () => {
    async function replicas(): Promise<[Harness, Harness]> {
      const stores: Store[] = await engine.replicas();
      cleanups.push(async () => {
        for (const s of stores) await s.close();
      });
      const pair = await Promise.all(stores.map((s) => startHarness({ memory: s.chatState })));
      cleanups.push(async () => {
        for (const h of pair) await h.close();
      });
      return pair as [Harness, Harness];
    }
    const now = () => Math.floor(Date.now() / 1000);
    // Bolt hands an event to its listener after the ack, and the listener reads the shared memory before the
    // turn starts: wait until the answer is out before looking for a second one.
    async function answered(pair: Harness[], count: number): Promise<void> {
      const deadline = Date.now() + 5000;
      while (pair.reduce((n, h) => n + h.handled.length, 0) < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 200));
      await Promise.all(pair.map((h) => h.adapter.idle()));
    }

    it('a signed slash command replayed to the other replica is refused and runs once', async () => {
      const [a, b] = await replicas();
      const body = formBody(slashCommandFields('help', { response_url: a.api.responseUrl('replay') }));
      const ts = now();
      expect((await postToSlackEndpoint(a.eventsUrl, body, { contentType: FORM, timestamp: ts })).status).toBe(200);
      expect((await postToSlackEndpoint(b.eventsUrl, body, { contentType: FORM, timestamp: ts })).status).toBe(401);
      // Re-signed later (a redelivery): only the trigger id tells, and the other replica knows it too.
      expect((await postToSlackEndpoint(b.eventsUrl, body, { contentType: FORM, timestamp: ts + 1 })).status).toBe(200);
      await answered([a, b], 1);
      expect(a.handled.length + b.handled.length).toBe(1);
    });

    it('an event retried by Slack to the other replica is acknowledged and answered once', async () => {
      const [a, b] = await replicas();
      const mention = eventCallback(appMention('tunnel drops hourly'), 'Ev0REPLICA1');
      expect((await postToSlackEndpoint(a.eventsUrl, JSON.stringify(mention), { timestamp: now() })).status).toBe(200);
      const retry = await postToSlackEndpoint(b.eventsUrl, JSON.stringify(mention), {
        timestamp: now() + 1,
        headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
      });
      expect(retry.status).toBe(200);
      await answered([a, b], 1);
      expect(a.handled.map((m) => m.text)).toEqual(['tunnel drops hourly']);
      expect(b.handled).toEqual([]);
    });
  });
});
