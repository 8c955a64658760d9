import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackAdapter, type SlackAdapter } from '../../../adapters/slack/index.js';
import { loadConfig } from '../../../src/config/env.js';
import { reply } from '../../../src/reply/reply.js';
import { startServer, type RunningServer } from '../../../src/server/start.js';
import { FakeSlackApi } from './helpers/fake-slack-api.js';
import { realBrains } from './helpers/harness.js';
import { appMention, CHANNEL, eventCallback, headerOf, slashCommandFields, USER } from './helpers/payloads.js';
import { formBody, FORM, postToSlackEndpoint, SIGNING_SECRET } from './helpers/slack-request.js';

type TunnelNotification = Parameters<RunningServer['alerts']['notify']>[0];

/** What the keep-alive monitor hands the alert router when a tunnel goes down. */
function tunnelDown(
  agent: string,
  subscriptions: TunnelNotification['subscriptions'],
  down: TunnelNotification['reply'],
): TunnelNotification {
  const now = Date.now();
  return {
    agent,
    event: {
      agent,
      eventId: `ev-${now}`,
      kind: 'down',
      target: '10.0.0.2',
      at: now,
      sent: 12,
      received: 0,
      loss: 1,
      rttMs: null,
      idleBeforeMs: null,
      topic: null,
      receivedAt: now,
    },
    diagnosis: null,
    outageMs: null,
    delayed: false,
    subscriptions,
    reply: down,
  };
}

/**
 * The adapter mounted on the real `vpn-doctor serve` server (src/server/start.ts) the way `serve` wires it:
 * configuration from the environment, routes on the server's router, alerts on its alert router. A
 * keep-alive subscription made in Slack is stored with the Slack address and gets the tunnel alert.
 */
describe('Slack adapter mounted on vpn-doctor serve', () => {
  let api: FakeSlackApi;
  let server: RunningServer;
  let slack: SlackAdapter;
  let removeAlerts: () => void;

  beforeAll(async () => {
    api = await new FakeSlackApi().start();
    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-1-2-abc',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: api.apiUrl,
      SLACK_ALERT_CHANNEL: 'C0ALERTS01',
    });
    const log = pino({ level: 'silent' });
    const { kb, classifier } = await realBrains();
    server = await startServer({ port: 0, host: '127.0.0.1', dbPath: ':memory:', apiToken: undefined, kb, classifier, log });
    slack = createSlackAdapter({ assistant: server.assistant, config: config.slack!, logger: log, tuning: { webApiRetries: 0 } });
    for (const route of slack.routes) server.app.route(route);
    await slack.start();
    removeAlerts = server.alerts.add(slack.alerts);
  });

  afterAll(async () => {
    removeAlerts();
    await slack.stop();
    await server.close();
    await api.close();
  });

  it('answers on /slack/events of the server, and refuses unsigned requests', async () => {
    const url = `${server.url}/slack/events`;
    const mention = appMention('tunnel drops every hour on IKEv2');
    expect((await postToSlackEndpoint(url, JSON.stringify(eventCallback(mention)))).status).toBe(200);
    expect((await postToSlackEndpoint(url, JSON.stringify(eventCallback(appMention('hello'))), { sign: false })).status).toBe(401);
    await slack.idle();
    const post = api.callsOf('chat.postMessage').find((c) => c.params.thread_ts === mention.ts)!;
    expect(headerOf(post.params.blocks as unknown[])).toBe((await realBrains()).kb.byId.get('ikev2-hourly-drop')!.title);
  });

  it('stores "keepalive on <agent> here" with the Slack channel, and posts that agent\'s tunnel alerts there', async () => {
    await server.store.agents.add('branch-1', 'f'.repeat(64));
    const { res } = await (async () => {
      const body = formBody(slashCommandFields('keepalive on branch-1 here', { response_url: api.responseUrl('ka') }));
      return { res: await postToSlackEndpoint(`${server.url}/slack/events`, body, { contentType: FORM }) };
    })();
    expect(res.status).toBe(200);
    await slack.idle();
    const [subscription] = await server.store.subscriptions.forAgent('branch-1');
    expect(subscription).toMatchObject({ platform: 'slack', reference: { channel: CHANNEL }, createdBy: USER });

    const before = api.callsOf('chat.postMessage').length;
    const down = reply({ kind: 'check', title: 'Tunnel down: branch-1', summary: 'No keep-alive reply for 60 s.', verdict: 'down' });
    await server.alerts.notify(tunnelDown('branch-1', await server.store.subscriptions.forAgent('branch-1'), down));
    // Nobody subscribed to this one: it goes to SLACK_ALERT_CHANNEL.
    await server.alerts.notify(tunnelDown('branch-2', [], down));
    expect(
      api
        .callsOf('chat.postMessage')
        .slice(before)
        .map((c) => c.params.channel),
    ).toEqual([CHANNEL, 'C0ALERTS01']);
  });
});
