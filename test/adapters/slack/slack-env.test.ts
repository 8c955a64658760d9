import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/env.js';
import { parseSlackEnv } from '../../../src/config/slack-env.js';

const BOT = 'xoxb-1111-2222-abcdefABCDEF';
const APP = 'xapp-1-A0VPN-3333-abcdef';
const SECRET = '0123456789abcdef0123456789abcdef';

describe('Slack configuration from the environment', () => {
  it('is off when no SLACK_* variable is set (blank values count as unset)', () => {
    expect(parseSlackEnv({})).toEqual({ config: undefined, issues: [] });
    expect(parseSlackEnv({ SLACK_APP_TOKEN: '', SLACK_BOT_TOKEN: '  ' })).toEqual({ config: undefined, issues: [] });
  });

  it('picks HTTP mode with a bot token and a signing secret', () => {
    const { config, issues } = parseSlackEnv({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SECRET });
    expect(issues).toEqual([]);
    expect(config).toEqual({
      mode: 'http',
      botToken: BOT,
      signingSecret: SECRET,
      apiUrl: 'https://slack.com/api/',
      alertChannel: undefined,
      allowedTeams: [],
    });
  });

  it('picks Socket Mode when the app-level token is also set, and takes SLACK_API_URL and SLACK_ALERT_CHANNEL', () => {
    const { config } = parseSlackEnv({
      SLACK_BOT_TOKEN: BOT,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_APP_TOKEN: APP,
      SLACK_API_URL: 'https://slack-gov.com/api',
      SLACK_ALERT_CHANNEL: 'C0123ABCD',
    });
    expect(config).toEqual({
      mode: 'socket',
      botToken: BOT,
      appToken: APP,
      signingSecret: SECRET,
      apiUrl: 'https://slack-gov.com/api/',
      alertChannel: 'C0123ABCD',
      allowedTeams: [],
    });
    expect(parseSlackEnv({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP }).config?.mode).toBe('socket');
  });

  it.each([
    [{ SLACK_SIGNING_SECRET: SECRET }, 'SLACK_BOT_TOKEN', /required when SLACK_SIGNING_SECRET is set/],
    [
      { SLACK_APP_TOKEN: APP, SLACK_ALERT_CHANNEL: 'C0123ABCD' },
      'SLACK_BOT_TOKEN',
      /required when SLACK_APP_TOKEN, SLACK_ALERT_CHANNEL are set/,
    ],
    [{ SLACK_BOT_TOKEN: BOT }, 'SLACK_SIGNING_SECRET', /HTTP mode.*or set SLACK_APP_TOKEN for Socket Mode/],
    [{ SLACK_BOT_TOKEN: 'xoxp-user-token', SLACK_SIGNING_SECRET: SECRET }, 'SLACK_BOT_TOKEN', /xoxb-/],
    [{ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: BOT }, 'SLACK_APP_TOKEN', /xapp-/],
    [{ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: 'short' }, 'SLACK_SIGNING_SECRET', /Signing Secret/],
    [{ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: 'http://slack.example.com/api/' }, 'SLACK_API_URL', /https/],
    [{ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: 'ftp://x' }, 'SLACK_API_URL', /http\(s\) URL/],
    [{ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SECRET, SLACK_ALERT_CHANNEL: 'network alerts' }, 'SLACK_ALERT_CHANNEL', /channel ID/],
  ])('refuses %j, naming %s', (env, variable, message) => {
    const { config, issues } = parseSlackEnv(env as NodeJS.ProcessEnv);
    expect(config).toBeUndefined();
    expect(issues.find((i) => i.variable === variable)?.message).toMatch(message);
  });

  it('accepts plain http only for a local fake Slack', () => {
    expect(
      parseSlackEnv({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: 'http://127.0.0.1:8080/api/' }).config?.apiUrl,
    ).toBe('http://127.0.0.1:8080/api/');
  });

  it('is part of loadConfig: a bad Slack setting stops startup with the variable named', () => {
    expect(() => loadConfig({ SLACK_SIGNING_SECRET: SECRET })).toThrow(ConfigError);
    expect(() => loadConfig({ SLACK_SIGNING_SECRET: SECRET })).toThrow(/SLACK_BOT_TOKEN: required when SLACK_SIGNING_SECRET is set/);
    expect(loadConfig({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP }).slack?.mode).toBe('socket');
    expect(loadConfig({}).slack).toBeUndefined();
  });
});
