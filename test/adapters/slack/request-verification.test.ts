import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './helpers/harness.js';
import { appMention, eventCallback, slashCommandFields } from './helpers/payloads.js';
import { formBody, FORM, postToSlackEndpoint, slackSignature } from './helpers/slack-request.js';

/**
 * Only Slack may drive the bot: a request whose signature does not verify, whose timestamp is outside
 * the five-minute window, or which lacks Slack's headers gets 401 and nothing runs: no conversation turn,
 * no Web API call, no response_url post.
 */
describe('Slack request verification (HTTP mode)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  const nothingRan = async (fn: () => Promise<void>) => {
    const handled = h.handled.length;
    const calls = h.api.calls.length;
    const responses = h.api.responseUrlCalls.length;
    await fn();
    await new Promise((r) => setTimeout(r, 50));
    await h.adapter.idle();
    expect(h.handled.length).toBe(handled);
    expect(h.api.calls.length).toBe(calls);
    expect(h.api.responseUrlCalls.length).toBe(responses);
  };

  const slashBody = () => formBody(slashCommandFields('help', { response_url: h.api.responseUrl('sec') }));
  const eventBody = () => JSON.stringify(eventCallback(appMention('tunnel drops hourly')));
  const now = () => Math.floor(Date.now() / 1000);

  it('refuses a bad signature', async () => {
    await nothingRan(async () => {
      const wrongSecret = await postToSlackEndpoint(h.eventsUrl, slashBody(), {
        contentType: FORM,
        secret: '00000000000000000000000000000000',
      });
      expect(wrongSecret.status).toBe(401);
      const garbled = await postToSlackEndpoint(h.eventsUrl, eventBody(), { headers: { 'x-slack-signature': 'v0=deadbeef' } });
      expect(garbled.status).toBe(401);
      const otherVersion = await postToSlackEndpoint(h.eventsUrl, eventBody(), { headers: { 'x-slack-signature': 'v1=00' } });
      expect(otherVersion.status).toBe(401);
    });
  });

  it('refuses a body changed after signing', async () => {
    await nothingRan(async () => {
      const ts = now();
      const body = eventBody();
      const res = await postToSlackEndpoint(h.eventsUrl, body.replace('tunnel', 'tunnel!'), {
        headers: { 'x-slack-request-timestamp': String(ts), 'x-slack-signature': slackSignature(body, ts) },
      });
      expect(res.status).toBe(401);
    });
  });

  it('refuses a stale timestamp (more than 5 minutes old), even correctly signed', async () => {
    await nothingRan(async () => {
      const res = await postToSlackEndpoint(h.eventsUrl, slashBody(), { contentType: FORM, timestamp: now() - 5 * 60 - 30 });
      expect(res.status).toBe(401);
    });
  });

  it('refuses a timestamp more than 5 minutes in the future, even correctly signed', async () => {
    await nothingRan(async () => {
      const res = await postToSlackEndpoint(h.eventsUrl, eventBody(), { timestamp: now() + 5 * 60 + 30 });
      expect(res.status).toBe(401);
    });
  });

  it("refuses requests without Slack's headers", async () => {
    await nothingRan(async () => {
      for (const drop of ['x-slack-signature', 'x-slack-request-timestamp']) {
        const res = await postToSlackEndpoint(h.eventsUrl, eventBody(), { headers: { [drop]: undefined } });
        expect(res.status, drop).toBe(401);
      }
      const unsigned = await postToSlackEndpoint(h.eventsUrl, slashBody(), { contentType: FORM, sign: false });
      expect(unsigned.status).toBe(401);
      const nonNumeric = await postToSlackEndpoint(h.eventsUrl, eventBody(), { headers: { 'x-slack-request-timestamp': 'yesterday' } });
      expect(nonNumeric.status).toBe(401);
    });
  });

  it('refuses bodies over 1 MiB (413) and signed JSON that is not an object (400)', async () => {
    await nothingRan(async () => {
      const huge = JSON.stringify(eventCallback(appMention('x'.repeat(2 * 1024 * 1024))));
      expect((await postToSlackEndpoint(h.eventsUrl, huge)).status).toBe(413);
      for (const body of ['null', '[]', '42', '"event"']) {
        expect((await postToSlackEndpoint(h.eventsUrl, body)).status, body).toBe(400);
        expect((await postToSlackEndpoint(h.eventsUrl, body, { sign: false })).status, body).toBe(401);
      }
      expect((await postToSlackEndpoint(h.eventsUrl, 'payload=null', { contentType: FORM })).status).toBe(400);
    });
  });

  it('still answers a correctly signed request afterwards', async () => {
    const { res, responseUrl } = await h.slash('help');
    expect(res.status).toBe(200);
    await h.api.waitFor(() => h.api.responseUrlCalls.find((c) => responseUrl.endsWith(c.path)));
  });
});
