import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTeamsAdapter, type TeamsAdapter } from '../../../adapters/teams/index.js';
import type { ProbeAgent } from '../../../src/agents/agent.js';
import type { RunningServer } from '../../../src/server/start.js';
import { reply } from '../../../src/reply/reply.js';
import { connectAgent, startTestServer } from '../../server/helpers.js';
import { cardText, FakeConnector } from './fake-connector.js';
import { captureLogger, CHANNEL, channelMention, personalMessage, realClassifier, TENANT } from './harness.js';
import { guardNetwork, type NetworkGuard } from './network-guard.js';

/**
 * The adapter mounted on the real `vpn-doctor serve` server, wired the way serve wires it:
 * `app.route(route)` for POST /api/messages and `alerts.add(channel)` for keep-alive alerts. A real probe
 * agent is connected over the hub, so "keepalive on AGENT here" stores the Teams conversation reference in
 * SQLite and the alert router posts the alert through it.
 */

let guard: NetworkGuard;
let server: RunningServer;
let teams: TeamsAdapter;
let connector: FakeConnector;
let agent: ProbeAgent;

beforeAll(async () => {
  guard = guardNetwork();
  connector = await FakeConnector.start();
  server = await startTestServer({ classifier: await realClassifier() });
  const { logger } = captureLogger();
  teams = createTeamsAdapter({
    assistant: server.assistant,
    config: { teams: { appId: undefined, appPassword: undefined, appType: 'MultiTenant', tenantId: undefined, dev: true } },
    logger,
  });
  for (const route of teams.routes) server.app.route(route);
  server.alerts.add(teams.alerts!);
  agent = await connectAgent(server, 'dc1-probe');
});

afterAll(async () => {
  await agent?.stop({ timeoutMs: 200 });
  await teams?.drain();
  await server?.close();
  await connector?.close();
  guard.restore();
  expect(guard.blocked).toEqual([]);
});

const post = (body: unknown) =>
  fetch(`${server.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });

describe('Teams on vpn-doctor serve', () => {
  it('answers on POST /api/messages of the server, and the server router answers other methods', async () => {
    const res = await post(personalMessage(connector.url, 'agents'));
    expect(res.status).toBe(200);
    const call = await connector.waitFor((c) => c[0]);
    expect(cardText(call)).toContain('dc1-probe');
    expect((await fetch(`${server.url}/api/messages`, { signal: AbortSignal.timeout(5000) })).status).toBe(405);
  });

  it('stores the conversation reference with "keepalive on AGENT here" and posts tunnel alerts through it', async () => {
    connector.reset();
    const msg = channelMention(connector.url, 'keepalive on dc1-probe here');
    expect((await post(msg)).status).toBe(200);
    await connector.waitFor((c) => c[0]);

    const subscriptions = await server.store.subscriptions.forAgent('dc1-probe');
    expect(subscriptions).toHaveLength(1);
    expect(subscriptions[0]).toMatchObject({
      platform: 'teams',
      conversationKey: `teams:${CHANNEL}:${String(msg.id)}`,
      reference: { v: 1, teamsChannelId: CHANNEL, tenantId: TENANT, reference: { serviceUrl: connector.url } },
    });

    connector.reset();
    await server.alerts.notify({
      agent: 'dc1-probe',
      event: { kind: 'down' } as never,
      diagnosis: null,
      outageMs: null,
      delayed: false,
      subscriptions,
      reply: reply({ kind: 'error', title: 'Tunnel down: dc1-probe', summary: 'Keep-alive pings to the OutSystems Cloud failed.' }),
    });
    const alert = await connector.waitFor((c) => c.find((x) => x.kind === 'create'));
    expect(alert.body).toMatchObject({ channelData: { channel: { id: CHANNEL } } });
    expect(cardText({ ...alert, body: alert.body.activity as Record<string, unknown> })).toContain('Tunnel down: dc1-probe');
  });
});
