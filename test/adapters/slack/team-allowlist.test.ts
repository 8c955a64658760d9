import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestTeam } from '../../../adapters/slack/events.js';
import { parseSlackEnv } from '../../../src/config/slack-env.js';
import { TEAM_ID } from './helpers/fake-slack-api.js';
import { startHarness, type Harness } from './helpers/harness.js';
import { appMention, blockActions, CHANNEL, eventCallback } from './helpers/payloads.js';
import { formBody, FORM, postToSlackEndpoint } from './helpers/slack-request.js';

const BOT = 'xoxb-1-2-abc';
const SECRET = 'f1e2d3c4b5a69788f1e2d3c4b5a69788';

describe('SLACK_TEAM_ID', () => {
  it('is an optional comma-separated list of team ids', () => {
    expect(parseSlackEnv({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SECRET }).config?.allowedTeams).toEqual([]);
    expect(
      parseSlackEnv({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SECRET, SLACK_TEAM_ID: 'T0AAAA1, E0GRID1 ' }).config?.allowedTeams,
    ).toEqual(['T0AAAA1', 'E0GRID1']);
    expect(parseSlackEnv({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SECRET, SLACK_TEAM_ID: 'acme' }).issues).toEqual([
      { variable: 'SLACK_TEAM_ID', message: expect.stringContaining('team ids') },
    ]);
  });

  it('reads the team of events, commands and clicks', () => {
    expect(requestTeam({ team_id: 'T1', event: {} })).toEqual({ team: 'T1' });
    expect(requestTeam({ type: 'block_actions', team: { id: 'T2' }, enterprise: { id: 'E1' } })).toEqual({ team: 'T2', enterprise: 'E1' });
    expect(requestTeam({ command: '/vpn' })).toEqual({});
  });
});

describe('Slack adapter with SLACK_TEAM_ID: other workspaces are ignored', () => {
  let h: Harness;
  const lines: Record<string, unknown>[] = [];
  beforeAll(async () => {
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const l of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
        done();
      },
    });
    h = await startHarness({ allowedTeams: [TEAM_ID], logger: pino({ level: 'debug' }, stream) });
  });
  afterAll(() => h.close());

  const settle = () => new Promise((r) => setTimeout(r, 150));
  const refusals = () => lines.filter((l) => l.level === 40 && /not in SLACK_TEAM_ID/.test(String(l.msg)));

  it('acknowledges, logs and ignores a slash command, a mention and a click from another team', async () => {
    const cmd = await h.slash('help', { team_id: 'T0STRANGER' });
    expect(cmd.res.status).toBe(200);
    const ev = await postToSlackEndpoint(h.eventsUrl, JSON.stringify({ ...eventCallback(appMention('help')), team_id: 'T0STRANGER' }));
    expect(ev.status).toBe(200);
    const click = blockActions({
      actionId: 'cmd-0',
      value: 'help',
      label: 'Help',
      channel: CHANNEL,
      messageTs: '1710000000.000001',
      responseUrl: h.api.responseUrl('x'),
    });
    const clickRes = await postToSlackEndpoint(
      h.eventsUrl,
      formBody({ payload: JSON.stringify({ ...click, team: { id: 'T0STRANGER', domain: 'evil' } }) }),
      { contentType: FORM },
    );
    expect(clickRes.status).toBe(200);
    await settle();
    expect(h.handled).toHaveLength(0);
    expect(h.api.callsOf('chat.postMessage')).toHaveLength(0);
    expect(refusals()).toHaveLength(3);
    expect(refusals()[0]).toMatchObject({ team: 'T0STRANGER' });
  });

  it('answers its own team as usual', async () => {
    await h.slash('help');
    await h.event(appMention('help'));
    await h.api.waitFor(() => (h.handled.length === 2 ? true : undefined));
    expect(h.handled).toHaveLength(2);
  });
});
