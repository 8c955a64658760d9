import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createSlackAdapter } from '../../../adapters/slack/index.js';
import { reply } from '../../../src/reply/reply.js';
import { FakeSlackApi } from './helpers/fake-slack-api.js';
import { APP_TOKEN, BOT_TOKEN, startHarness, type Harness } from './helpers/harness.js';
import { headerOf, slashCommandFields } from './helpers/payloads.js';
import { formBody, FORM, postToSlackEndpoint, SIGNING_SECRET } from './helpers/slack-request.js';

const silent = pino({ level: 'silent' });
const noCore = { handle: async () => reply({ kind: 'help', title: 't', summary: 's' }) };

describe('Slack adapter lifecycle', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0)) await fn();
  });

  it('fails start() with a readable error when Slack rejects the bot token', async () => {
    const api = await new FakeSlackApi().start();
    cleanup.push(() => api.close());
    api.script('auth.test', { body: { ok: false, error: 'invalid_auth' } });
    const adapter = createSlackAdapter({
      assistant: noCore,
      config: { mode: 'http', signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN, apiUrl: api.apiUrl, alertChannel: undefined },
      logger: silent,
      tuning: { webApiRetries: 0 },
    });
    await expect(adapter.start()).rejects.toThrow(/SLACK_BOT_TOKEN \(invalid_auth\)/);
  });

  it('fails start() with a readable error when Socket Mode cannot connect', async () => {
    const api = await new FakeSlackApi().start(); // no socket URL: apps.connections.open answers invalid_auth
    cleanup.push(() => api.close());
    const adapter = createSlackAdapter({
      assistant: noCore,
      config: {
        mode: 'socket',
        appToken: APP_TOKEN,
        signingSecret: undefined,
        botToken: BOT_TOKEN,
        apiUrl: api.apiUrl,
        alertChannel: undefined,
      },
      logger: silent,
      tuning: { webApiRetries: 0 },
    });
    cleanup.push(() => adapter.stop());
    await expect(adapter.start()).rejects.toThrow(/SLACK_APP_TOKEN/);
  });

  it('answers 503 before start(): nothing reaches a half-initialised app', async () => {
    const adapter = createSlackAdapter({
      assistant: noCore,
      config: {
        mode: 'http',
        signingSecret: SIGNING_SECRET,
        botToken: BOT_TOKEN,
        apiUrl: 'http://127.0.0.1:9/api/',
        alertChannel: undefined,
      },
      logger: silent,
    });
    const server = createServer((req, res) => void adapter.routes[0]!.handler({ req, res }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise((resolve) => server.close(() => resolve())));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
    const res = await postToSlackEndpoint(url, formBody(slashCommandFields('help', { response_url: 'https://hooks.slack.com/x' })), {
      contentType: FORM,
    });
    expect(res.status).toBe(503);
  });

  it('answers 503 after stop(), and waits (bounded) for answers being written', async () => {
    const h: Harness = await startHarness({ tuning: { shutdownDrainMs: 300 } });
    cleanup.push(() => h.close());
    h.checks.hold();
    await h.slash('check acme-dev.outsystemsenterprise.com dns 10.0.0.2');
    await h.api.waitFor(() => h.checks.runs.length === 1);
    const started = Date.now();
    await h.adapter.stop();
    expect(Date.now() - started).toBeGreaterThanOrEqual(250); // waited for the held check, up to the deadline
    const handled = h.handled.length;
    const { res } = await h.slash('help');
    expect(res.status).toBe(503);
    expect(h.handled.length).toBe(handled);
    h.checks.release();
  });
});

describe('Slack alerts', () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });
  const alert = reply({ kind: 'check', title: 'Tunnel down: branch-1', summary: 'No keep-alive reply since 03:12 UTC.', verdict: 'down' });

  it('posts to the subscribed conversation, or to SLACK_ALERT_CHANNEL', async () => {
    h = await startHarness({ alertChannel: 'C0ALERTS01' });
    expect(h.adapter.alerts.platform).toBe('slack');
    expect(h.adapter.alerts.defaultAddress).toEqual({ channel: 'C0ALERTS01' });
    await h.adapter.alerts.post({ channel: 'C0NETWORK1' }, alert);
    await h.adapter.alerts.post(undefined, alert);
    await h.adapter.alerts.post({ nonsense: true }, alert);
    const posts = h.api.callsOf('chat.postMessage');
    expect(posts.map((p) => p.params.channel)).toEqual(['C0NETWORK1', 'C0ALERTS01', 'C0ALERTS01']);
    expect(posts.every((p) => p.params.thread_ts === undefined)).toBe(true);
    expect(headerOf(posts[0]!.params.blocks as unknown[])).toContain('Tunnel down: branch-1');
  });

  it('says what to do when there is nowhere to post', async () => {
    h = await startHarness();
    expect(h.adapter.alerts.defaultAddress).toBeUndefined();
    await expect(h.adapter.alerts.post(undefined, alert)).rejects.toThrow(/SLACK_ALERT_CHANNEL/);
  });

  it('waits out a rate limit rather than dropping the alert', async () => {
    h = await startHarness({ alertChannel: 'C0ALERTS01' });
    h.api.rateLimitNext('chat.postMessage', 1);
    await h.adapter.alerts.post(undefined, alert);
    const posts = h.api.callsOf('chat.postMessage');
    expect(posts).toHaveLength(2);
    expect(posts[1]!.at - posts[0]!.at).toBeGreaterThanOrEqual(950);
  });
});
