import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, isLoopbackHost, loadConfig } from '../../src/config/env.js';
import { main } from '../../src/cli/main.js';

const APP_ID = '7d3e2a91-4c5b-4f6e-8a1d-9b0c2e3f4a5b';
const TENANT = '5f1c0a2e-8d3b-4c1e-9a7f-2b6d4e8c0a11';

describe('loadConfig: Microsoft Teams settings are checked before anything listens', () => {
  it.each(['MicrosoftAppPassword', 'MicrosoftAppType', 'MicrosoftAppTenantId', 'VPN_DOCTOR_TEAMS_TENANTS'])(
    '%s without MicrosoftAppId is a ConfigError naming it',
    (variable) => {
      const value = variable === 'MicrosoftAppType' ? 'SingleTenant' : variable === 'MicrosoftAppPassword' ? 'secret' : TENANT;
      expect(() => loadConfig({ [variable]: value })).toThrow(ConfigError);
      expect(() => loadConfig({ [variable]: value })).toThrow(new RegExp(`${variable}: is set but MicrosoftAppId is not`));
    },
  );

  it("empty values (as in the samples' .env templates) count as unset; dev mode may keep the other variables", () => {
    expect(loadConfig({ MicrosoftAppId: '', MicrosoftAppPassword: '', MicrosoftAppTenantId: '' }).teams.appId).toBeUndefined();
    expect(loadConfig({ VPN_DOCTOR_TEAMS_DEV: '1', HOST: '127.0.0.1', MicrosoftAppTenantId: TENANT }).teams.dev).toBe(true);
  });

  it('moves the credential checks of the adapter into loadConfig', () => {
    expect(() => loadConfig({ MicrosoftAppId: APP_ID })).toThrow(/MicrosoftAppPassword: is required when MicrosoftAppId is set/);
    expect(() => loadConfig({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'x', MicrosoftAppType: 'SingleTenant' })).toThrow(
      /MicrosoftAppTenantId: is required/,
    );
    expect(() =>
      loadConfig({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'x', MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: TENANT }),
    ).toThrow(/MicrosoftAppPassword: must not be set/);
    const ok = loadConfig({
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: 'x',
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppTenantId: TENANT,
    });
    expect(ok.teams).toMatchObject({ appId: APP_ID, appType: 'SingleTenant', allowedTenants: [TENANT] });
  });

  it('VPN_DOCTOR_TEAMS_DEV=1 (unauthenticated endpoint) needs a loopback HOST', () => {
    expect(() => loadConfig({ VPN_DOCTOR_TEAMS_DEV: '1' })).toThrow(
      /VPN_DOCTOR_TEAMS_DEV: .*HOST must be a loopback address.*"0\.0\.0\.0"/,
    );
    expect(() => loadConfig({ VPN_DOCTOR_TEAMS_DEV: 'true', HOST: '10.0.0.5' })).toThrow(ConfigError);
    for (const host of ['127.0.0.1', 'localhost', '::1', '127.1.2.3'])
      expect(loadConfig({ VPN_DOCTOR_TEAMS_DEV: '1', HOST: host }).teams.dev, host).toBe(true);
    // With an app id dev mode is ignored (requests are authenticated), so any HOST is fine.
    expect(loadConfig({ VPN_DOCTOR_TEAMS_DEV: '1', MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'x' }).host).toBe('0.0.0.0');
    expect(isLoopbackHost('0.0.0.0')).toBe(false);
    expect(isLoopbackHost('::')).toBe(false);
  });

  it('VPN_DOCTOR_TEAMS_TENANTS: a comma-separated list, overriding MicrosoftAppTenantId', () => {
    const c = loadConfig({
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: 'x',
      MicrosoftAppTenantId: TENANT,
      VPN_DOCTOR_TEAMS_TENANTS: ' a-1 , b-2,',
    });
    expect(c.teams.allowedTenants).toEqual(['a-1', 'b-2']);
    expect(loadConfig({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'x' }).teams.allowedTenants).toEqual([]);
    expect(() => loadConfig({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'x', VPN_DOCTOR_TEAMS_TENANTS: 'a b' })).toThrow(
      /VPN_DOCTOR_TEAMS_TENANTS/,
    );
  });
});

describe('vpn-doctor serve with a half-configured Teams bot', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  it('exits 1 with the variable named, before listening', async () => {
    delete process.env.MicrosoftAppId;
    process.env.MicrosoftAppPassword = 'a-secret';
    process.env.PORT = '0';
    let stderr = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
    const code = await main(['node', 'vpn-doctor', 'serve']);
    vi.restoreAllMocks();
    expect(code).toBe(1);
    expect(stderr).toContain('MicrosoftAppPassword: is set but MicrosoftAppId is not');
  });
});

describe('loadConfig: retention and monitor limits', () => {
  it('defaults to 90 days of monitor events, 365 days of audit log, 1,000 events a minute per agent', () => {
    const c = loadConfig({});
    expect(c.retention).toEqual({ monitorEventsMs: 90 * 86_400_000, auditMs: 365 * 86_400_000 });
    expect(c.monitorEventsPerMinute).toBe(1000);
    expect(loadConfig({ VPN_DOCTOR_MONITOR_RETENTION_DAYS: '7', VPN_DOCTOR_AUDIT_RETENTION_DAYS: '30' }).retention).toEqual({
      monitorEventsMs: 7 * 86_400_000,
      auditMs: 30 * 86_400_000,
    });
  });

  it.each([
    ['VPN_DOCTOR_MONITOR_RETENTION_DAYS', '0'],
    ['VPN_DOCTOR_AUDIT_RETENTION_DAYS', 'forever'],
    ['VPN_DOCTOR_MONITOR_EVENTS_PER_MINUTE', '1.5'],
  ])('%s=%s is refused by name', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(new RegExp(variable));
  });
});

describe('loadConfig: HTTP limits (VPN_DOCTOR_HTTP_*)', () => {
  it('reads the timeouts in seconds and the per-address caps; blank or absent keeps the server defaults', () => {
    const c = loadConfig({
      VPN_DOCTOR_HTTP_HEADERS_TIMEOUT_S: '5',
      VPN_DOCTOR_HTTP_REQUEST_TIMEOUT_S: '20',
      VPN_DOCTOR_HTTP_MAX_CONNECTIONS_PER_ADDRESS: '0',
      VPN_DOCTOR_HTTP_MAX_REQUESTS_PER_ADDRESS: '',
    });
    expect(c.http).toEqual({ headersTimeoutMs: 5000, requestTimeoutMs: 20_000, maxConnectionsPerAddress: 0 });
    expect(loadConfig({}).http).toEqual({});
  });

  it('names the variable when a value is out of range', () => {
    expect(() => loadConfig({ VPN_DOCTOR_HTTP_HEADERS_TIMEOUT_S: '0' })).toThrow(/VPN_DOCTOR_HTTP_HEADERS_TIMEOUT_S/);
    expect(() => loadConfig({ VPN_DOCTOR_HTTP_MAX_REQUESTS_PER_ADDRESS: '-1' })).toThrow(/VPN_DOCTOR_HTTP_MAX_REQUESTS_PER_ADDRESS/);
  });
});
