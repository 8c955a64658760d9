import { generateKeyPairSync } from 'node:crypto';
import { CHANNEL, appMention, eventCallback, slashCommandFields } from '../../adapters/slack/helpers/payloads.js';
import { FORM, formBody, postToSlackEndpoint, slackSignature } from '../../adapters/slack/helpers/slack-request.js';
import { channelClaims, forgedTokens } from '../../adapters/teams/fake-openid.js';
import { personalMessage } from '../../adapters/teams/harness.js';
import { attackFromChild } from './attacker-process.js';
import { describeCounts } from './http.js';
import { percentile } from './measure.js';
import { scenario } from './scenario.js';
import { API_TOKEN, TEAMS_APP_ID, TEAMS_KID, type Target } from './target.js';

/** The chat platforms under attack: forged Teams tokens, a replayed Slack command, a chat burst during a flood. */

const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 });

/** A Slack request as Slack signs it, ready to send (and to capture and replay). */
function signedSlack(body: string, contentType: string, timestamp = Math.floor(Date.now() / 1000)) {
  return {
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': slackSignature(body, timestamp),
    },
    body,
  };
}

export const forgedTeamsScenario = scenario(
  'forged-teams',
  {
    full: { describe: '2,000 forged Bot Framework tokens, 16 in flight', count: 2000 },
    test: { describe: '150 forged Bot Framework tokens, 16 in flight', count: 150 },
  },
  { teams: 'auth' },
  async (t, s) => {
    const teams = t.teams!;
    const tokens = forgedTokens(channelClaims(TEAMS_APP_ID, teams.connector.url), { real: teams.key!, other: otherKey }, TEAMS_KID);
    const requests = Object.values(tokens).map((token) => ({
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(personalMessage(teams.connector.url, 'help')),
    }));
    const f = await attackFromChild('replay', { url: teams.url, requests, count: s.count, inFlight: 16 });
    const metadataFetches = teams.metadata!.hits.length;
    return {
      facts: { ...f, metadataFetches, connectorCalls: teams.connector.calls.length },
      note: `${describeCounts(f.statuses)}; OpenID metadata fetched ${metadataFetches}x`,
    };
  },
);

export const slackReplayScenario = scenario(
  'slack-replay',
  {
    full: { describe: 'one signed /vpn command replayed 1,000 times', count: 1000 },
    test: { describe: 'one signed /vpn command replayed 100 times', count: 100 },
  },
  { slack: true },
  async (t, s) => {
    const slack = t.slack!;
    const responseUrl = slack.api.responseUrl(`replay-${Date.now()}`);
    const captured = signedSlack(formBody(slashCommandFields('help', { response_url: responseUrl })), FORM);
    // The on-call engineer's own command: the one that gets captured on the wire.
    const first = await postToSlackEndpoint(slack.url, captured.body, {
      contentType: FORM,
      timestamp: Number(captured.headers['x-slack-request-timestamp']),
    });
    const f = await attackFromChild('replay', { url: slack.url, requests: [captured], count: s.count, inFlight: 16 });
    await slack.adapter.idle();
    const ran = slack.api.responseUrlCalls.filter((c) => responseUrl.endsWith(c.path)).length;
    return {
      facts: { firstStatus: first.status, ...f, ran },
      note: `original ${first.status}; replays ${describeCounts(f.statuses)}; command ran ${ran}x`,
    };
  },
);

const QUESTIONS = ['tunnel drops every hour', 'which ports must be open', 'phase 1 no proposal chosen', 'dns does not resolve'];

export interface ChatBurstFacts {
  /** Slack requests answered 200 within Slack's 3 s, and answered 200 at all. */
  slackAcked: number;
  slackOk: number;
  slackAckP99Ms: number;
  slackAnswered: number;
  teamsOk: number;
  teamsP99Ms: number;
  teamsAnswered: number;
  sent: number;
  flood: string;
}

/**
 * Legitimate chat while one agent token floods monitor events and one address floods the API: signed Slack
 * slash commands and mentions through Bolt's receiver, Bot Framework activities through botbuilder, each
 * acknowledged in time (Slack: 3 s) and answered.
 */
export const chatBurstScenario = scenario(
  'chat-burst',
  {
    full: { describe: '60 Slack + 30 Teams messages during a monitor flood and 2,000 API requests', each: 30, api: 2000 },
    test: { describe: '20 Slack + 10 Teams messages during a monitor flood and 150 API requests', each: 10, api: 150 },
  },
  { slack: true, teams: 'dev' },
  async (t, s) => {
    const flood = Promise.all([
      attackFromChild('monitor-flood', {
        wsUrl: t.wsUrl,
        token: await t.token('stolen-chat'),
        name: 'stolen-chat',
        messages: 20,
        perMessage: 500,
      }),
      attackFromChild('api-flood', { url: t.url, apiToken: API_TOKEN, count: s.api }),
    ]);
    const facts = await legitimateChat(t, s.each);
    const [monitor, api] = await flood;
    facts.flood = `${await t.server.store.monitor.count()} of ${monitor.sent} events stored; API ${describeCounts(api.statuses)}`;
    return {
      facts,
      note: `Slack ${facts.slackAcked}/${2 * s.each} acked (p99 ${Math.round(facts.slackAckP99Ms)} ms), ${facts.slackAnswered} answered; Teams ${facts.teamsOk}/${s.each} ok, ${facts.teamsAnswered} answered`,
    };
  },
);

async function legitimateChat(t: Target, each: number): Promise<ChatBurstFacts> {
  const slack = t.slack!;
  const teams = t.teams!;
  const postsBefore = slack.api.callsOf('chat.postMessage').filter((c) => c.params.channel === CHANNEL).length;
  const responseUrls: string[] = [];
  const slackAcks: number[] = [];
  const teamsTimes: number[] = [];
  const teamsIds: string[] = [];
  let slackAcked = 0;
  let slackOk = 0;
  let teamsOk = 0;
  const jobs: (() => Promise<void>)[] = [];
  for (let i = 0; i < each; i++) {
    jobs.push(async () => {
      const responseUrl = slack.api.responseUrl(`burst-${i}-${Date.now()}`);
      responseUrls.push(responseUrl);
      const r = await postToSlackEndpoint(slack.url, formBody(slashCommandFields('help', { response_url: responseUrl })), {
        contentType: FORM,
      });
      slackAcks.push(r.ms);
      if (r.status === 200) slackOk++;
      if (r.status === 200 && r.ms < 3000) slackAcked++;
    });
    jobs.push(async () => {
      const r = await postToSlackEndpoint(slack.url, JSON.stringify(eventCallback(appMention(QUESTIONS[i % QUESTIONS.length]!))));
      slackAcks.push(r.ms);
      if (r.status === 200) slackOk++;
      if (r.status === 200 && r.ms < 3000) slackAcked++;
    });
    jobs.push(async () => {
      const activity = personalMessage(teams.connector.url, QUESTIONS[i % QUESTIONS.length]!);
      teamsIds.push(String(activity.id));
      const started = performance.now();
      const res = await fetch(teams.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(activity),
      });
      await res.text();
      teamsTimes.push(performance.now() - started);
      if (res.status === 200) teamsOk++;
    });
  }
  // Four conversations at a time, as a busy on-call channel would have.
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < jobs.length) await jobs[next++]!();
    }),
  );
  await slack.adapter.idle();
  await teams.adapter.drain(10_000);
  const answeredSlash = responseUrls.filter((u) => slack.api.responseUrlCalls.some((c) => u.endsWith(c.path))).length;
  const mentionsAnswered = slack.api.callsOf('chat.postMessage').filter((c) => c.params.channel === CHANNEL).length - postsBefore;
  const replied = new Set(teams.connector.calls.map((c) => c.activityId ?? (c.body.replyToId as string | undefined)));
  return {
    slackAcked,
    slackOk,
    slackAckP99Ms: percentile(slackAcks, 0.99),
    slackAnswered: answeredSlash + Math.min(mentionsAnswered, each),
    teamsOk,
    teamsP99Ms: percentile(teamsTimes, 0.99),
    teamsAnswered: teamsIds.filter((id) => replied.has(id)).length,
    sent: 3 * each,
    flood: '',
  };
}
