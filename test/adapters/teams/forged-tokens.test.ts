import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import { UNAUTHORIZED_BODY } from '../../../adapters/teams/auth-gate.js';
import { channelClaims, fakeOpenIdMetadata, forgedTokens, rs256, type FakeMetadata } from './fake-openid.js';
import { BOT_APP_ID, personalMessage, startHarness, type Harness } from './harness.js';
import { guardNetwork, type NetworkGuard } from './network-guard.js';

/**
 * Forged Bot Framework tokens against the real botbuilder adapter, its OpenID metadata served by a fake on
 * loopback (the SDK caches metadata per URL, so each server here has its own port): every forgery is a 401
 * with the same fixed body and one JSON log line, nothing on stderr, and the metadata is fetched once, not
 * once per forged request. A token signed with the fake's key gets through, so the fake is really used.
 */

const claims = (serviceUrl: string) => channelClaims(BOT_APP_ID, serviceUrl);
const realKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
const KID = 'fake-kid-1';

let guard: NetworkGuard;
beforeAll(() => {
  guard = guardNetwork();
});
afterAll(() => guard.restore());
// Spied BEFORE any adapter exists: the adapter routes the SDK's console output to pino and passes the
// rest on to what console.error was at that time (this spy), so a call reaching the spy is a leak.
let consoleError: MockInstance;
let consoleWarn: MockInstance;
beforeAll(() => {
  consoleError = vi.spyOn(console, 'error');
  consoleWarn = vi.spyOn(console, 'warn');
});

describe('Teams: forged tokens against the real botbuilder adapter', () => {
  let h: Harness;
  let meta: FakeMetadata;
  beforeAll(async () => {
    meta = await fakeOpenIdMetadata(realKey.publicKey, KID);
    h = await startHarness({
      teams: { appId: BOT_APP_ID, appPassword: 'client-secret-never-used' },
      options: { openIdMetadataUrl: meta.url },
    });
  });
  afterAll(async () => {
    await h.close();
    await meta.close();
  });

  it('alg none, HS256 and RS256 with a wrong key: 401, fixed body, one log line each, nothing on the console, metadata fetched once', async () => {
    consoleError.mockClear();
    consoleWarn.mockClear();
    const serviceUrl = h.connector.url;
    const forged = forgedTokens(claims(serviceUrl), { real: realKey, other: otherKey }, KID);
    const logsBefore = h.logs.length;
    const rounds = 10;
    for (let i = 0; i < rounds; i++) {
      for (const [name, token] of Object.entries(forged)) {
        const res = await h.post(personalMessage(serviceUrl, 'help'), { authorization: `Bearer ${token}` });
        expect(res.status, name).toBe(401);
        expect(res.text, name).toBe(UNAUTHORIZED_BODY);
      }
    }
    const attempts = rounds * Object.keys(forged).length;
    const lines = h.logs.slice(logsBefore).filter((l) => (l.level as number) >= 30);
    expect(lines).toHaveLength(attempts);
    expect(lines.every((l) => /refused \(401\)/.test(String(l.msg)))).toBe(true);
    expect(JSON.stringify(lines)).not.toMatch(/\n\s+at /); // no stack trace in any line
    // The SDK's own console lines went to pino at debug level, one line each, without the key or a stack.
    expect(h.logs.some((l) => l.sdk === 'botbuilder' && l.level === 20)).toBe(true);
    expect(consoleError).not.toHaveBeenCalled();
    expect(consoleWarn).not.toHaveBeenCalled();
    // The OpenID document and the key set, once each, for 50 forged requests.
    expect(meta.hits).toEqual(['/openid', '/keys']);
    expect(h.inbounds).toHaveLength(0);
    expect(guard.blocked).toEqual([]);
  });

  it('a token signed with the served key is accepted: the fake metadata is what the SDK checks against', async () => {
    const token = rs256(claims(h.connector.url), realKey.privateKey, KID);
    const res = await h.post(personalMessage(h.connector.url, 'help'), { authorization: `Bearer ${token}` });
    expect(res.status).toBe(200);
    expect(h.inbounds).toHaveLength(1);
  });
});

describe('Teams: OpenID metadata that cannot be loaded', () => {
  it('is fetched once per retry period, not per request: 503 with Retry-After meanwhile', async () => {
    const meta = await fakeOpenIdMetadata(realKey.publicKey, KID);
    meta.failing = true;
    const h = await startHarness({
      teams: { appId: BOT_APP_ID, appPassword: 'client-secret-never-used' },
      options: { openIdMetadataUrl: meta.url },
    });
    try {
      const token = rs256(claims(h.connector.url), otherKey.privateKey, KID);
      for (let i = 0; i < 20; i++) {
        const res = await fetch(h.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify(personalMessage(h.connector.url, 'help')),
        });
        expect(res.status).toBe(503);
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
        await res.text();
      }
      expect(meta.hits).toEqual(['/openid']);
      expect(h.logs.filter((l) => /OpenID metadata could not be loaded/.test(String(l.msg)))).toHaveLength(1);
    } finally {
      await h.close();
      await meta.close();
    }
  });
});
