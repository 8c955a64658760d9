import net from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { createTeamsAdapter, TeamsConfigError } from '../../../adapters/teams/index.js';
import type { TeamsConfig } from '../../../src/config/env.js';
import { BOT_APP_ID, captureLogger, personalMessage, realClassifier, startHarness, TENANT, type Harness } from './harness.js';
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

// botbuilder's CloudAdapter writes each rejected JWT's AuthenticationError to console.error, stack trace and
// all. That rejection is what these tests expect: the output is captured, and anything else on
// console.error fails the test.
let consoleError: MockInstance<typeof console.error>;
beforeEach(() => {
  consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
});
afterEach(() => {
  const printed = consoleError.mock.calls.map(
    ([first]) => first as { name?: unknown; statusCode?: unknown; constructor?: { name?: unknown } },
  );
  consoleError.mockRestore();
  for (const p of printed)
    expect({ error: p?.constructor?.name, statusCode: p?.statusCode }).toEqual({ error: 'AuthenticationError', statusCode: 401 });
});

const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const unsignedJwt = (claims: Record<string, unknown>) =>
  `${b64url({ alg: 'RS256', typ: 'JWT', kid: 'k1' })}.${b64url(claims)}.${Buffer.from('not-a-signature').toString('base64url')}`;

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
    expect(
      (
        await h.post(
          {
            ...personalMessage(h.connector.url, ''),
            type: 'invoke',
            name: 'adaptiveCard/action',
            value: { action: { data: { command: 'help' } } },
          },
          garbage,
        )
      ).status,
    ).toBe(401);
    expect((await h.post(personalMessage('https://smba.trafficmanager.net/amer/', 'help'), garbage)).status).toBe(401);
    expect((await h.post(personalMessage('https://smba.trafficmanager.net/amer/', 'help'))).status).toBe(401);

    expect(h.inbounds).toHaveLength(0);
    expect(h.connector.calls).toHaveLength(0);
    expect(guard.blocked).toEqual([]);
  });

  it('answers 400 to a body that is not an activity (when it carries a token), 401 without a token', async () => {
    const token = { authorization: `Bearer ${unsignedJwt({ iss: 'https://evil.example', aud: BOT_APP_ID })}` };
    expect((await h.post('{"oops"', token)).status).toBe(400);
    expect((await h.post({ no: 'type' }, token)).status).toBe(400);
    expect((await h.post({ no: 'type' })).status).toBe(401);
  });

  it('answers a token that is not shaped like a JWT with 401 in one log line, before botbuilder (no stack trace)', async () => {
    const printed: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void printed.push(args);
    try {
      for (const token of [
        'abc.def.ghi',
        'garbage',
        'a.b',
        `${b64url({ typ: 'JWT' })}.${b64url({})}.x`,
        `${Buffer.from('[1]').toString('base64url')}.e30.x`,
        'e30=.e30.x',
      ]) {
        const before = h.logs.length;
        const res = await h.post(personalMessage(h.connector.url, 'help'), { authorization: `Bearer ${token}` });
        expect(res.status, token).toBe(401);
        const lines = h.logs.slice(before).filter((l) => (l.level as number) >= 30);
        expect(lines, token).toHaveLength(1);
        expect(lines[0]).toMatchObject({ level: 30, msg: expect.stringContaining('refused (401)') });
        expect(lines[0]!.err).toBeUndefined();
      }
    } finally {
      console.error = original;
    }
    expect(printed).toEqual([]);
    expect(h.inbounds).toHaveLength(0);
  });

  it('warns at start that any tenant can use a MultiTenant bot without a tenant list', () => {
    expect(
      h.logs.some(
        (l) => l.level === 40 && /ANY Microsoft 365 tenant/.test(String(l.msg)) && /VPN_DOCTOR_TEAMS_TENANTS/.test(String(l.msg)),
      ),
    ).toBe(true);
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

describe('Teams adapter with an app id: tenant allowlist', () => {
  const OTHER = '0e0e0e0e-1111-4222-8333-444455556666';
  const jwt = () => ({ authorization: `Bearer ${unsignedJwt({ iss: 'https://evil.example', aud: BOT_APP_ID })}` });
  let h: Harness;
  afterAll(() => h?.close());

  it('refuses activities of another tenant with 403 and a log line; the allowed tenant goes on to the JWT check', async () => {
    h = await startHarness({
      teams: {
        appId: BOT_APP_ID,
        appPassword: 'client-secret-never-used',
        dev: false,
        allowedTenants: ['11111111-2222-4333-8444-555566667777', TENANT],
      },
    });
    expect(h.logs.some((l) => /ANY Microsoft 365 tenant/.test(String(l.msg)))).toBe(false);
    const foreign = [
      personalMessage(h.connector.url, 'help', {
        channelData: { tenant: { id: OTHER } },
        conversation: { id: 'a:1x', conversationType: 'personal', tenantId: OTHER },
      }),
      // Naming an allowed tenant in one place and another tenant in the other does not pass.
      personalMessage(h.connector.url, 'help', { conversation: { id: 'a:1x', conversationType: 'personal', tenantId: OTHER } }),
      // No tenant at all: cannot be checked, so refused.
      personalMessage(h.connector.url, 'help', { channelData: {}, conversation: { id: 'a:1x', conversationType: 'personal' } }),
      { ...personalMessage(h.connector.url, ''), type: 'invoke', name: 'adaptiveCard/action', channelData: { tenant: { id: OTHER } } },
    ];
    for (const activity of foreign) {
      const res = await h.post(activity, jwt());
      expect(res.status).toBe(403);
    }
    expect(h.logs.filter((l) => l.level === 40 && /tenant that is not allowed/.test(String(l.msg)))).toHaveLength(foreign.length);
    // Allowed tenant: admitted, and then refused by botbuilder's signature check (this token is not signed).
    expect((await h.post(personalMessage(h.connector.url, 'help'), jwt())).status).toBe(401);
    expect(h.inbounds).toHaveLength(0);
    expect(h.connector.calls).toHaveLength(0);
    expect(guard.blocked).toEqual([]);
  });

  it('defaults the allowlist to MicrosoftAppTenantId', async () => {
    await h.close();
    h = await startHarness({ teams: { appId: BOT_APP_ID, appPassword: 'client-secret-never-used', dev: false, tenantId: TENANT } });
    expect((await h.post(personalMessage(h.connector.url, 'help', { channelData: { tenant: { id: OTHER } } }), jwt())).status).toBe(403);
    expect((await h.post(personalMessage(h.connector.url, 'help'), jwt())).status).toBe(401);
  });

  it('does not apply in dev mode (no app id; loopback only)', async () => {
    await h.close();
    h = await startHarness({ teams: { dev: true, allowedTenants: [TENANT] } });
    expect((await h.post(personalMessage(h.connector.url, 'help', { channelData: { tenant: { id: OTHER } } }))).status).toBe(200);
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
    await expect(make({ appId: BOT_APP_ID, appPassword: 'x', appType: 'SingleTenant' })).rejects.toThrow(
      /MicrosoftAppTenantId is required/,
    );
    await expect(make({ appId: BOT_APP_ID, appType: 'UserAssignedMSI' })).rejects.toThrow(TeamsConfigError);
    await expect(make({ appId: BOT_APP_ID, appPassword: 'x', appType: 'UserAssignedMSI', tenantId: 't' })).rejects.toThrow(
      /must not be set/,
    );
    const ok = await make({
      appId: BOT_APP_ID,
      appPassword: 'x',
      appType: 'SingleTenant',
      tenantId: '5f1c0a2e-8d3b-4c1e-9a7f-2b6d4e8c0a11',
    });
    expect(ok.adapter.enabled).toBe(true);
  });
});
