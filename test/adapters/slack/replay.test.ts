import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_ACTION_PREFIX } from '../../../adapters/slack/render.js';
import { startHarness, type Harness } from './helpers/harness.js';
import { appMention, blockActions, CHANNEL, eventCallback, nextTs, slashCommandFields } from './helpers/payloads.js';
import { formBody, FORM, postToSlackEndpoint } from './helpers/slack-request.js';

/**
 * A signed request captured on the wire (a proxy log, a compromised middlebox) verifies for five minutes.
 * Replaying it must not run the command again: the signature is remembered for the window, and commands and
 * button clicks are de-duplicated by their trigger id as events are by event id.
 */
describe('Slack replay protection (HTTP mode)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });
  const now = () => Math.floor(Date.now() / 1000);

  it('a replayed slash command (same timestamp and signature) is refused with 401 and does not run again', async () => {
    const before = h.handled.length;
    const body = formBody(slashCommandFields('help', { response_url: h.api.responseUrl('replay') }));
    const ts = now();
    const first = await postToSlackEndpoint(h.eventsUrl, body, { contentType: FORM, timestamp: ts });
    expect(first.status).toBe(200);
    await h.adapter.idle();
    expect(h.handled.length).toBe(before + 1);
    for (let i = 0; i < 5; i++) {
      const again = await postToSlackEndpoint(h.eventsUrl, body, { contentType: FORM, timestamp: ts });
      expect(again.status).toBe(401);
    }
    await h.adapter.idle();
    expect(h.handled.length).toBe(before + 1);
  });

  it('the same command re-signed later (a redelivery) still runs once: de-duplicated by trigger_id', async () => {
    const before = h.handled.length;
    const body = formBody(slashCommandFields('help', { response_url: h.api.responseUrl('resigned') }));
    expect((await postToSlackEndpoint(h.eventsUrl, body, { contentType: FORM, timestamp: now() - 2 })).status).toBe(200);
    expect((await postToSlackEndpoint(h.eventsUrl, body, { contentType: FORM, timestamp: now() })).status).toBe(200);
    await h.adapter.idle();
    expect(h.handled.length).toBe(before + 1);
  });

  it('an identical Slack retry of an event is acknowledged (200) without running again', async () => {
    const before = h.handled.length;
    const body = JSON.stringify(eventCallback(appMention('tunnel drops hourly')));
    const ts = now();
    expect((await postToSlackEndpoint(h.eventsUrl, body, { timestamp: ts })).status).toBe(200);
    const retry = await postToSlackEndpoint(h.eventsUrl, body, {
      timestamp: ts,
      headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
    });
    expect(retry.status).toBe(200);
    expect((await postToSlackEndpoint(h.eventsUrl, body, { timestamp: ts })).status).toBe(401);
    await h.adapter.idle();
    expect(h.handled.length).toBe(before + 1);
  });

  it('a button click replayed or re-delivered after the double-click window runs once', async () => {
    const before = h.handled.length;
    const payload = blockActions({
      actionId: `${COMMAND_ACTION_PREFIX}0`,
      value: 'help',
      label: 'Help',
      channel: CHANNEL,
      messageTs: nextTs(),
      responseUrl: h.api.responseUrl('click'),
      ephemeral: true,
    });
    const body = formBody({ payload: JSON.stringify(payload) });
    const ts = now();
    expect((await postToSlackEndpoint(h.eventsUrl, body, { contentType: FORM, timestamp: ts })).status).toBe(200);
    await h.adapter.idle();
    expect(h.handled.length).toBe(before + 1);
    expect((await postToSlackEndpoint(h.eventsUrl, body, { contentType: FORM, timestamp: ts })).status).toBe(401);
    // Past the 3 s double-click window, re-signed: only the trigger id tells it is the same click.
    await new Promise((r) => setTimeout(r, 3100));
    expect((await postToSlackEndpoint(h.eventsUrl, body, { contentType: FORM, timestamp: now() })).status).toBe(200);
    await h.adapter.idle();
    expect(h.handled.length).toBe(before + 1);
  });
});
