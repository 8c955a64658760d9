import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTeamsAdapter, TeamsConfigError } from '../../../adapters/teams/index.js';
import type { TeamsConfig } from '../../../src/config/env.js';
import { BOT_APP_ID, captureLogger, personalMessage, realClassifier, startHarness, type Harness } from './harness.js';
import { guardNetwork, type NetworkGuard } from './network-guard.js';
import { Assistant } from '../../../src/conversation/assistant.js';
import { kb } from './harness.js';

/**
 * With MicrosoftAppId set, botbuilder validates the Bot Framework JWT of every request. Requests without
 * "Bearer <token>" are refused by the adapter before the body is read (the SDK would refuse them too, with
 * a stack trace on stderr each time); requests with a token go through the SDK. These tests only use
 * tokens that fail BEFORE the SDK would fetch OpenID metadata (login.botframework.com) or signing keys:
 * a token that is not a JWT, and JWTs whose issuer is not a Bot Framework issuer. A well-formed token with a genuine issuer would make the SDK download the
 * signing keys first, which needs the internet; that path is botbuilder's own and is not exercised here.
 * The network guard proves that nothing left the machine.
 */

let guard: NetworkGuard;
beforeAll(() => {
  guard = guardNetwork();
});
afterAll(() => guard.restore());

const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const unsignedJwt = (claims: Record<string, unknown>) => `${b64url({ alg: 'RS256', typ: 'JWT', kid: 'k1' })}.${b64url(claims)}.${Buffer.from('not-a-signature').toString('base64url')}`;

describe('Teams adapter with an app id: authentication', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ teams: { appId: BOT_APP_ID, appPassword: 'client-secret-never-used', dev: true } });
  });
  afterAll(() => h.close());

  it('answers 401 to requests without a valid token, without any network call', async () => {
    const now = Math.floor(Date.now() / 1000);
    const attempts: Record<string, string>[] = [
      // refused by the adapter's pre-check
      {},
      { authorization: '' },
      { authorization: 'Basic dXNlcjpwYXNz' },
      { authorization: 'Bearer' },
      { authorization: `Bearer ${unsignedJwt({ iss: 'https://api.botframework.com', aud: BOT_APP_ID })} extra` },
      // refused by botbuilder's JWT validation
      { authorization: 'Bearer garbage' },
      { authorization: 'Bearer a.b.c' },
      { authorization: `Bearer ${unsignedJwt({ iss: 'https://evil.example', aud: BOT_APP_ID, exp: now + 600, nbf: now - 60 })}` },
      { authorization: `Bearer ${unsignedJwt({ iss: 'https://sts.windows.net/not-a-bot-issuer/', aud: BOT_APP_ID, exp: now + 600 })}` },
    ];
    for (const headers of attempts) {
      const res = await h.post(personalMessage(h.connector.url, 'help'), headers);
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(res.ms).toBeLessThan(2000);
    }
    // Also an invoke, and an activity claiming a public Teams service URL (dev-mode rules do not apply).
    const garbage = { authorization: 'Bearer garbage' };
    expect((await h.post({ ...personalMessage(h.connector.url, ''), type: 'invoke', name: 'adaptiveCard/action', value: { action: { data: { command: 'help' } } } }, garbage)).status).toBe(401);
    expect((await h.post(personalMessage('https://smba.trafficmanager.net/amer/', 'help'), garbage)).status).toBe(401);
    expect((await h.post(personalMessage('https://smba.trafficmanager.net/amer/', 'help'))).status).toBe(401);

    expect(h.inbounds).toHaveLength(0);
    expect(h.connector.calls).toHaveLength(0);
    expect(guard.blocked).toEqual([]);
  });

  it('answers 400 to a body that is not an activity (when it carries a token), 401 without a token', async () => {
    const token = { authorization: 'Bearer garbage' };
    expect((await h.post('{"oops"', token)).status).toBe(400);
    expect((await h.post({ no: 'type' }, token)).status).toBe(400);
    expect((await h.post({ no: 'type' })).status).toBe(401);
  });

  it('ignores VPN_DOCTOR_TEAMS_DEV when an app id is set, and says so', () => {
    expect(h.logs.some((l) => l.level === 40 && /VPN_DOCTOR_TEAMS_DEV is ignored/.test(String(l.msg)))).toBe(true);
    expect(h.logs.some((l) => /WITHOUT authentication/.test(String(l.msg)))).toBe(false);
  });

  it('the network guard does block a non-loopback connection (self-check)', async () => {
    const socket = net.connect(443, 'login.microsoftonline.com');
    const error = await new Promise<Error>((resolve) => socket.on('error', resolve));
    expect(error.message).toMatch(/network guard/);
    expect(guard.blocked.pop()).toBe('login.microsoftonline.com:443');
  });
});

describe('Teams adapter: secure by default', () => {
  const base: TeamsConfig = { appId: undefined, appPassword: undefined, appType: 'MultiTenant', tenantId: undefined, dev: false };
  const make = async (teams: Partial<TeamsConfig>) => {
    const { logger, lines } = captureLogger();
    const assistant = new Assistant({ kb: kb(), classifier: await realClassifier() });
    return { adapter: createTeamsAdapter({ assistant, config: { teams: { ...base, ...teams } }, logger }), lines };
  };

  it('creates no endpoint and no alert channel without an app id', async () => {
    const { adapter, lines } = await make({});
    expect(adapter.enabled).toBe(false);
    expect(adapter.routes).toEqual([]);
    expect(adapter.alerts).toBeUndefined();
    expect(lines.some((l) => /MicrosoftAppId is not set/.test(String(l.msg)))).toBe(true);
  });

  it('serves /api/messages in dev mode, with a warning', async () => {
    const { adapter, lines } = await make({ dev: true });
    expect(adapter.routes.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /api/messages']);
    expect(lines.some((l) => l.level === 40 && /WITHOUT authentication/.test(String(l.msg)))).toBe(true);
  });

  it('refuses incomplete credentials at start-up, naming the variable', async () => {
    await expect(make({ appId: BOT_APP_ID })).rejects.toThrow(/MicrosoftAppPassword is required/);
    await expect(make({ appId: BOT_APP_ID, appPassword: 'x', appType: 'SingleTenant' })).rejects.toThrow(/MicrosoftAppTenantId is required/);
    await expect(make({ appId: BOT_APP_ID, appType: 'UserAssignedMSI' })).rejects.toThrow(TeamsConfigError);
    await expect(make({ appId: BOT_APP_ID, appPassword: 'x', appType: 'UserAssignedMSI', tenantId: 't' })).rejects.toThrow(/must not be set/);
    const ok = await make({ appId: BOT_APP_ID, appPassword: 'x', appType: 'SingleTenant', tenantId: '5f1c0a2e-8d3b-4c1e-9a7f-2b6d4e8c0a11' });
    expect(ok.adapter.enabled).toBe(true);
  });
});
