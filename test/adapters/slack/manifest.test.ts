import { readFileSync } from 'node:fs';
import { App } from '@slack/bolt';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { createSlackAdapter, SLACK_EVENTS_PATH } from '../../../adapters/slack/index.js';
import {
  BOT_EVENT_SCOPES,
  BOT_FILE_DOWNLOAD_SCOPE,
  BOT_EVENTS,
  BOT_SCOPES,
  BOT_WEB_API_METHODS,
  SLASH_COMMAND,
  SLASH_COMMAND_SCOPE,
} from '../../../adapters/slack/surface.js';
import { COMMAND_HELP } from '../../../src/conversation/commands.js';
import { reply } from '../../../src/reply/reply.js';
import { BOT_TOKEN, startHarness, type Harness } from './helpers/harness.js';
import { appMention, blockActions, buttonsOf, CHANNEL, directMessage } from './helpers/payloads.js';
import { SIGNING_SECRET } from './helpers/slack-request.js';

/** The parts of Slack's app manifest schema this app relies on, with Slack's length limits. */
const ManifestSchema = z.object({
  display_information: z.object({
    name: z.string().min(1).max(35),
    description: z.string().max(140),
    long_description: z.string().min(175).max(4000),
  }),
  features: z.object({
    app_home: z.object({ messages_tab_enabled: z.literal(true), messages_tab_read_only_enabled: z.literal(false) }),
    bot_user: z.object({ display_name: z.string().min(1).max(80), always_online: z.boolean() }),
    slash_commands: z.array(
      z.object({
        command: z.string().regex(/^\/[a-z0-9_-]+$/),
        url: z.url(),
        description: z.string().min(1).max(2000),
        usage_hint: z.string().max(1000),
        should_escape: z.boolean(),
      }),
    ),
  }),
  oauth_config: z.object({ scopes: z.object({ bot: z.array(z.string()) }) }),
  settings: z.object({
    event_subscriptions: z.object({ request_url: z.url(), bot_events: z.array(z.string()) }),
    interactivity: z.object({ is_enabled: z.literal(true), request_url: z.url() }),
    socket_mode_enabled: z.boolean(),
    org_deploy_enabled: z.boolean(),
    token_rotation_enabled: z.literal(false),
  }),
});

const manifest = ManifestSchema.parse(JSON.parse(readFileSync(new URL('../../../manifest.json', import.meta.url), 'utf8')));
const sorted = (xs: Iterable<string>) => [...xs].sort();

describe('manifest.json', () => {
  it('asks for exactly the bot scopes the code declares, each with a reason', () => {
    expect(sorted(manifest.oauth_config.scopes.bot)).toEqual(sorted(Object.keys(BOT_SCOPES)));
  });

  it('declares the /vpn command, the events and interactivity, all on the one Request URL', () => {
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual([SLASH_COMMAND]);
    expect(sorted(manifest.settings.event_subscriptions.bot_events)).toEqual(sorted(BOT_EVENTS));
    const urls = [
      manifest.features.slash_commands[0]!.url,
      manifest.settings.event_subscriptions.request_url,
      manifest.settings.interactivity.request_url,
    ];
    for (const url of urls) expect(new URL(url).pathname).toBe(SLACK_EVENTS_PATH);
    expect(new Set(urls).size).toBe(1);
  });

  it('the usage hint names every command of the command language', () => {
    const hint = manifest.features.slash_commands[0]!.usage_hint;
    for (const c of COMMAND_HELP) expect(hint, c.usage).toContain(c.usage.split(' ')[0]!.replace(/[<>]/g, ''));
  });

  it('registers listeners for exactly what the manifest subscribes to', () => {
    const commands: string[] = [];
    const events: string[] = [];
    const command = vi.spyOn(App.prototype, 'command').mockImplementation(function (this: App, name: unknown) {
      commands.push(String(name));
      return this;
    } as never);
    const event = vi.spyOn(App.prototype, 'event').mockImplementation(function (this: App, name: unknown) {
      events.push(String(name));
      return this;
    } as never);
    try {
      createSlackAdapter({
        assistant: { handle: async () => reply({ kind: 'help', title: 't', summary: 's' }) },
        config: {
          mode: 'http',
          signingSecret: SIGNING_SECRET,
          botToken: BOT_TOKEN,
          apiUrl: 'http://127.0.0.1:9/api/',
          alertChannel: undefined,
        },
        logger: pino({ level: 'silent' }),
      });
    } finally {
      command.mockRestore();
      event.mockRestore();
    }
    expect(commands).toEqual(manifest.features.slash_commands.map((c) => c.command));
    // manifest "message.im" is Bolt's "message" event narrowed to channel_type im by the listener.
    expect(sorted(events)).toEqual(sorted(new Set(manifest.settings.event_subscriptions.bot_events.map((e) => e.split('.')[0]!))));
  });
});

describe('scopes in use', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ alertChannel: 'C0ALERTS01' });
  });
  afterAll(async () => {
    await h.close();
  });

  it('every Web API method the adapter calls is declared, and together they need exactly the manifest scopes', async () => {
    // Exercise every path that talks to Slack: command, check with live updates, mention, DM, click, alert.
    await h.slash('check acme-dev.outsystemsenterprise.com dns 10.0.0.2');
    await h.slash('help');
    const mention = appMention('the tunnel drops every 60 minutes on IKEv2');
    await h.event(mention);
    const logUrl = h.api.serveFile('F0SCOPE001', 'charon.log', {
      body: 'charon: no acceptable proposal found\n',
      contentType: 'text/plain',
    });
    const shared = directMessage('phase 1 does not come up', {
      subtype: 'file_share',
      files: [{ id: 'F0SCOPE001', name: 'charon.log', mimetype: 'text/plain', size: 37, url_private_download: logUrl, mode: 'hosted' }],
    });
    await h.event(shared);
    await h.api.waitFor(() => h.api.fileDownloads.length > 0);
    await h.adapter.idle();
    const answer = h.api.callsOf('chat.postMessage').find((c) => c.params.thread_ts === mention.ts)!;
    const fixed = buttonsOf(answer.params.blocks as unknown[]).get('Fixed it')!;
    await h.action(
      blockActions({
        actionId: fixed.actionId,
        value: fixed.value,
        label: 'Fixed it',
        channel: CHANNEL,
        messageTs: String(answer.params.__ts),
        threadTs: mention.ts as string,
        responseUrl: h.api.responseUrl('scope'),
      }),
    );
    await h.adapter.alerts.post(
      undefined,
      reply({ kind: 'check', title: 'Tunnel down: branch-1', summary: 'No keep-alive reply for 60 s', verdict: 'down' }),
    );
    await h.adapter.idle();

    const botCalls = h.api.calls.filter((c) => c.token === BOT_TOKEN).map((c) => c.method);
    expect(sorted(new Set(botCalls))).toEqual(sorted(Object.keys(BOT_WEB_API_METHODS)));
    const needed = new Set<string>([SLASH_COMMAND_SCOPE, ...BOT_EVENTS.map((e) => BOT_EVENT_SCOPES[e])]);
    for (const method of botCalls) {
      const scope = BOT_WEB_API_METHODS[method as keyof typeof BOT_WEB_API_METHODS];
      if (scope) needed.add(scope);
    }
    // Shared files are fetched with the bot token from Slack's file host, not through a Web API method.
    if (h.api.fileDownloads.some((d) => d.token === BOT_TOKEN)) needed.add(BOT_FILE_DOWNLOAD_SCOPE);
    expect(sorted(needed)).toEqual(sorted(manifest.oauth_config.scopes.bot));
  });
});
