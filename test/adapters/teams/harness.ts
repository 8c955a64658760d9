import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { createTeamsAdapter, type TeamsAdapter, type TeamsAdapterOptions } from '../../../adapters/teams/index.js';
import type { TeamsConfig } from '../../../src/config/env.js';
import { Assistant, type AgentsPort, type CheckRunner, type Inbound } from '../../../src/conversation/assistant.js';
import { loadKnowledgeBase, type KnowledgeBase } from '../../../src/knowledge/loader.js';
import { createClassifier } from '../../../src/nlu/index.js';
import type { IntentClassifier } from '../../../src/nlu/types.js';
import { reply, type Reply } from '../../../src/reply/reply.js';
import { FakeConnector } from './fake-connector.js';

export const TENANT = '5f1c0a2e-8d3b-4c1e-9a7f-2b6d4e8c0a11';
export const BOT_APP_ID = '7d3e2a91-4c5b-4f6e-8a1d-9b0c2e3f4a5b';
export const BOT = { id: `28:${BOT_APP_ID}`, name: 'vpn-doctor' };
export const USER = { id: '29:1Xy-user-ana', name: 'Ana Ops', aadObjectId: '0b9c8d7e-6f5a-4b3c-2d1e-0f9a8b7c6d5e' };
export const PERSONAL_CONV = 'a:1QxPersonalChatWithAna';
export const CHANNEL = '19:c7e4f0ops@thread.tacv2';
export const TEAM = '19:a1b2team@thread.tacv2';
export const GROUP_CHAT = '19:meeting_groupchat@thread.v2';

let kbCache: KnowledgeBase | undefined;
let classifierCache: Promise<IntentClassifier> | undefined;

export function kb(): KnowledgeBase {
  kbCache ??= loadKnowledgeBase();
  return kbCache;
}

/** The real local classifier, trained once per test file. */
export function realClassifier(): Promise<IntentClassifier> {
  classifierCache ??= createClassifier(kb());
  return classifierCache;
}

/** A CheckRunner that reports progress a few times, slowly, then returns a failing check. */
export class FakeCheckRunner implements CheckRunner {
  runs: { hosts: string[]; dnsServers: string[]; requestedBy: Inbound }[] = [];
  constructor(
    private readonly steps = 3,
    private readonly stepMs = 80,
  ) {}
  async run(
    args: { hosts: string[]; dnsServers: string[] },
    hooks: { onProgress?: (text: string) => void; requestedBy: Inbound },
  ): Promise<Reply> {
    this.runs.push({ hosts: args.hosts, dnsServers: args.dnsServers, requestedBy: hooks.requestedBy });
    for (let i = 1; i <= this.steps; i++) {
      await new Promise((r) => setTimeout(r, this.stepMs));
      hooks.onProgress?.(`probe ${i} of ${this.steps} done`);
    }
    await new Promise((r) => setTimeout(r, this.stepMs));
    return reply({
      kind: 'check',
      title: 'Connectivity check: the tunnel is down',
      summary: `Probes to ${args.hosts.join(', ')} never reached the VPN edge device.`,
      verdict: 'down',
      topic: 'testing-connectivity',
      findings: [{ code: 'tunnel-down', severity: 'error', summary: 'No probe got past the edge device.', topic: 'testing-connectivity' }],
      evidence: [
        { label: 'ping', target: args.dnsServers[0] ?? '?', outcome: '100% loss', ok: false },
        { label: 'dns', target: args.hosts[0] ?? '?', outcome: 'timeout after 2000 ms', ok: false },
        { label: 'traceroute', target: args.dnsServers[0] ?? '?', outcome: 'last hop 10.1.0.1', ok: null },
      ],
      actions: [{ id: 'support-case', label: 'Prepare support case', command: 'support case' }],
    });
  }
}

/** Records keep-alive subscriptions as the agent hub would, without a hub. */
export class FakeAgents implements AgentsPort {
  subscriptions: { agent: string; on: boolean; conversation: Inbound | null }[] = [];
  async list(): Promise<Reply> {
    return reply({
      kind: 'list',
      title: '1 agent',
      summary: 'Probe agents connected to this server.',
      items: [{ label: 'dc1-probe', detail: 'online' }],
    });
  }
  async setKeepalive(agent: string, on: boolean, conversation: Inbound | null): Promise<Reply> {
    this.subscriptions.push({ agent, on, conversation });
    return reply({
      kind: 'help',
      title: `Keep-alive ${on ? 'on' : 'off'} for ${agent}`,
      summary: conversation ? 'Alerts will be posted here.' : 'No alerts.',
    });
  }
}

/** Captures log lines so tests can assert on warnings. */
export function captureLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

export interface HarnessOptions {
  teams?: Partial<TeamsConfig>;
  options?: TeamsAdapterOptions;
  classifier?: IntentClassifier;
  checks?: CheckRunner;
  agents?: AgentsPort;
}

export interface Harness {
  url: string;
  connector: FakeConnector;
  adapter: TeamsAdapter;
  assistant: Assistant;
  inbounds: Inbound[];
  logs: Record<string, unknown>[];
  post(body: unknown, headers?: Record<string, string>): Promise<{ status: number; text: string; json: () => unknown; ms: number }>;
  close(): Promise<void>;
}

/**
 * The Teams adapter mounted on a loopback node:http server the way `vpn-doctor serve` mounts it, with a
 * real Assistant (real knowledge base, real classifier), a fake CheckRunner and a fake connector.
 */
export async function startHarness(h: HarnessOptions = {}): Promise<Harness> {
  const connector = await FakeConnector.start();
  const assistant = new Assistant({
    kb: kb(),
    classifier: h.classifier ?? (await realClassifier()),
    checks: h.checks ?? new FakeCheckRunner(),
    agents: h.agents ?? new FakeAgents(),
  });
  const inbounds: Inbound[] = [];
  const { logger, lines } = captureLogger();
  const adapter = createTeamsAdapter({
    assistant: { handle: (inbound, hooks) => (inbounds.push(inbound), assistant.handle(inbound, hooks)) },
    config: { teams: { appId: undefined, appPassword: undefined, appType: 'MultiTenant', tenantId: undefined, dev: true, ...h.teams } },
    logger,
    options: { progressIntervalMs: 30, ...h.options },
  });
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    // Matched by path only, so a wrong method reaches the handler (which answers 405).
    const route = adapter.routes.find((r) => r.path === path);
    if (!route) {
      res.writeHead(404).end();
      return;
    }
    void route.handler({ req, res });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`;

  return {
    url,
    connector,
    adapter,
    assistant,
    inbounds,
    logs: lines,
    async post(body, headers = {}) {
      const started = Date.now();
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
      const text = await res.text();
      return { status: res.status, text, json: () => JSON.parse(text) as unknown, ms: Date.now() - started };
    },
    async close() {
      await adapter.drain(5000);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await connector.close();
    },
  };
}

let seq = 1_700_000_000_000;
export const nextId = (): string => String(++seq);

/** A personal (1:1) chat message, as Teams sends it. */
export function personalMessage(serviceUrl: string, text: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'message',
    id: nextId(),
    timestamp: new Date().toISOString(),
    localTimestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl,
    from: USER,
    recipient: BOT,
    conversation: { id: PERSONAL_CONV, conversationType: 'personal', tenantId: TENANT },
    channelData: { tenant: { id: TENANT } },
    text,
    textFormat: 'plain',
    locale: 'en-US',
    entities: [{ type: 'clientInfo', locale: 'en-US', country: 'US', platform: 'Web', timezone: 'Europe/Lisbon' }],
    ...over,
  };
}

/**
 * A channel message that @mentions the bot, in a thread whose root is `thread` (a new post when the
 * thread is the message's own id).
 */
export function channelMention(
  serviceUrl: string,
  text: string,
  thread?: string,
  over: Record<string, unknown> = {},
): Record<string, unknown> {
  const id = nextId();
  const root = thread ?? id;
  return {
    type: 'message',
    id,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl,
    from: USER,
    recipient: BOT,
    conversation: { id: `${CHANNEL};messageid=${root}`, conversationType: 'channel', isGroup: true, tenantId: TENANT },
    channelData: {
      teamsChannelId: CHANNEL,
      teamsTeamId: TEAM,
      channel: { id: CHANNEL },
      team: { id: TEAM },
      tenant: { id: TENANT },
    },
    text: `<at>vpn-doctor</at>&nbsp;${text}`,
    textFormat: 'plain',
    locale: 'en-US',
    entities: [
      { type: 'mention', text: '<at>vpn-doctor</at>', mentioned: BOT },
      { type: 'clientInfo', locale: 'en-US', country: 'US', platform: 'Windows' },
    ],
    ...over,
  };
}

/** A click on an Action.Submit button: a message activity whose `value` is the button's data. */
export function submitClick(base: Record<string, unknown>, data: Record<string, unknown>, replyToId: string): Record<string, unknown> {
  const { text: _t, entities: _e, ...rest } = base;
  return { ...rest, id: nextId(), value: data, replyToId };
}

/** A click on an Action.Execute button: an adaptiveCard/action invoke (Universal Actions). */
export function executeInvoke(base: Record<string, unknown>, data: Record<string, unknown>, verb = 'action'): Record<string, unknown> {
  const { text: _t, entities: _e, textFormat: _f, ...rest } = base;
  return {
    ...rest,
    type: 'invoke',
    name: 'adaptiveCard/action',
    id: `f:${nextId()}`,
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  };
}
