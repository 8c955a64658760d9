import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import { createSlackAdapter, type SlackAdapter, type SlackTuning } from '../../../../adapters/slack/index.js';
import type { SharedMemory } from '../../../../src/chat/shared-memory.js';
import type { FileLimits } from '../../../../src/chat/file-text.js';
import type { SlackConfig } from '../../../../src/config/slack-env.js';
import {
  Assistant,
  type AgentsPort,
  type CheckRunner,
  type FeedbackPort,
  type HandleHooks,
  type Inbound,
} from '../../../../src/conversation/assistant.js';
import type { CheckArgs } from '../../../../src/conversation/commands.js';
import { loadKnowledgeBase, type KnowledgeBase } from '../../../../src/knowledge/loader.js';
import { createClassifier } from '../../../../src/nlu/index.js';
import type { IntentClassifier } from '../../../../src/nlu/types.js';
import { reply, type Reply } from '../../../../src/reply/reply.js';
import { Router } from '../../../../src/server/router.js';
import { FakeSlackApi } from './fake-slack-api.js';
import { eventCallback, slashCommandFields } from './payloads.js';
import { formBody, FORM, postToSlackEndpoint, SIGNING_SECRET, type SendOptions, type SlackResponse } from './slack-request.js';

export const BOT_TOKEN = 'xoxb-0000000000-0000000000000-testtesttesttesttesttest';
export const APP_TOKEN = 'xapp-1-A0VPNDOCTR-0000000000000-testtesttest';

let shared: { kb: KnowledgeBase; classifier: IntentClassifier } | undefined;

/** The real knowledge base and the real (local) classifier, built once per test file. */
export async function realBrains(): Promise<{ kb: KnowledgeBase; classifier: IntentClassifier }> {
  if (!shared) {
    const kb = loadKnowledgeBase();
    shared = { kb, classifier: await createClassifier(kb) };
  }
  return shared;
}

/**
 * Stands in for the probe agents: the real runner pings and resolves on agents, which a Slack test has no
 * business doing. Reports progress like the real one, and can be held open to watch the live message.
 */
export class FakeCheckRunner implements CheckRunner {
  readonly runs: { args: CheckArgs; requestedBy: Inbound }[] = [];
  stepDelayMs = 5;
  /** Extra evidence rows in the result, to make an answer longer than one Slack message. */
  extraEvidence = 0;
  progressSteps = ['Resolving the environment host through the OutSystems DNS server', 'Pinging the DNS server', 'Connecting to port 443'];
  private gate: Promise<void> | undefined;
  private openGate: (() => void) | undefined;

  hold(): void {
    this.gate = new Promise((resolve) => (this.openGate = resolve));
  }

  release(): void {
    this.openGate?.();
    this.gate = undefined;
  }

  async run(args: CheckArgs, hooks: { onProgress?: (text: string) => void; requestedBy: Inbound }): Promise<Reply> {
    this.runs.push({ args, requestedBy: hooks.requestedBy });
    for (const step of this.progressSteps) {
      hooks.onProgress?.(step);
      await new Promise((r) => setTimeout(r, this.stepDelayMs));
    }
    await this.gate;
    return reply({
      kind: 'check',
      title: `Connectivity check: ${args.hosts.join(', ')}`,
      summary: 'DNS answers, but nothing reaches port 443 of the front-ends: a firewall between your network and the tunnel blocks it.',
      verdict: 'down',
      topic: 'testing-connectivity',
      findings: [{ code: 'port-blocked', severity: 'error', summary: 'TCP 443 to the front-end times out', topic: 'testing-connectivity' }],
      evidence: [
        { label: 'DNS', target: `${args.hosts[0]} @ ${args.dnsServers[0]}`, outcome: 'resolved to 10.20.1.15', ok: true },
        { label: 'ICMP', target: args.dnsServers[0] ?? '', outcome: 'replies, 12 ms', ok: true },
        { label: 'TCP 443', target: '10.20.1.15', outcome: 'timed out after 3000 ms', ok: false },
        ...Array.from({ length: this.extraEvidence }, (_, i) => ({
          label: `traceroute hop ${i + 1}`,
          target: `10.${i % 256}.0.1`,
          outcome: `${(i * 0.37).toFixed(2)} ms, reached through the customer gateway and the tunnel, no loss over 10 probes`,
          ok: null,
        })),
      ],
      actions: [
        { id: 'fixed', label: 'Fixed it', command: 'fixed it' },
        { id: 'still-broken', label: 'Still broken', command: 'still broken', style: 'danger' },
        { id: 'support-case', label: 'Prepare support case', command: 'support case' },
      ],
    });
  }
}

export class FakeAgents implements AgentsPort {
  readonly keepalive: { agent: string; on: boolean; conversation: Inbound | null }[] = [];
  async list(): Promise<Reply> {
    return reply({
      kind: 'list',
      title: '1 agent',
      summary: 'Probe agents known to this server.',
      items: [{ label: 'branch-1', detail: 'online' }],
    });
  }
  async setKeepalive(agent: string, on: boolean, conversation: Inbound | null): Promise<Reply> {
    this.keepalive.push({ agent, on, conversation });
    return reply({
      kind: 'answer',
      title: `Keep-alive ${on ? 'on' : 'off'} for ${agent}`,
      summary: conversation ? 'Up/down alerts will be posted here.' : 'Alerts go to the default channel.',
    });
  }
}

export class FakeFeedback implements FeedbackPort {
  readonly entries: { inbound: Inbound; topic: string | null; fixed: boolean }[] = [];
  record(entry: { inbound: Inbound; topic: string | null; fixed: boolean }): void {
    this.entries.push(entry);
  }
}

export interface HarnessOptions {
  mode?: 'http' | 'socket';
  tuning?: SlackTuning;
  alertChannel?: string;
  /** SLACK_TEAM_ID: the workspaces answered (default: any). */
  allowedTeams?: string[];
  /** Where the adapter logs (default: silent, or TEST_LOG_LEVEL). */
  logger?: Logger;
  /** Limits on shared files (default: the production ones). */
  files?: FileLimits;
  /** Configure the fake API before the adapter starts (e.g. its Socket Mode URL). */
  beforeStart?: (api: FakeSlackApi) => void | Promise<void>;
  /** The shared memory (a store's chat state, as `serve` passes it); default: the adapter's own. */
  memory?: SharedMemory;
}

export interface Harness {
  api: FakeSlackApi;
  adapter: SlackAdapter;
  checks: FakeCheckRunner;
  agents: FakeAgents;
  feedback: FakeFeedback;
  kb: KnowledgeBase;
  /** Every Inbound the conversation core received, in order. */
  handled: Inbound[];
  /** http://127.0.0.1:PORT/slack/events (HTTP mode). */
  eventsUrl: string;
  slash(text: string, over?: Partial<Record<string, string>>, options?: SendOptions): Promise<{ res: SlackResponse; responseUrl: string }>;
  event(event: Record<string, unknown>, options?: SendOptions & { eventId?: string }): Promise<SlackResponse>;
  action(payload: Record<string, unknown>, options?: SendOptions): Promise<SlackResponse>;
  close(): Promise<void>;
}

let responseIds = 0;

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const { kb, classifier } = await realBrains();
  const api = await new FakeSlackApi().start();
  await options.beforeStart?.(api);
  const checks = new FakeCheckRunner();
  const agents = new FakeAgents();
  const feedback = new FakeFeedback();
  const assistant = new Assistant({ kb, classifier, checks, agents, feedback });
  const handled: Inbound[] = [];
  const core = {
    handle(inbound: Inbound, hooks?: HandleHooks) {
      handled.push(inbound);
      return assistant.handle(inbound, hooks);
    },
  };

  const mode = options.mode ?? 'http';
  const common = {
    botToken: BOT_TOKEN,
    apiUrl: api.apiUrl,
    alertChannel: options.alertChannel,
    ...(options.allowedTeams ? { allowedTeams: options.allowedTeams } : {}),
  };
  const config: SlackConfig =
    mode === 'http'
      ? { mode: 'http', signingSecret: SIGNING_SECRET, ...common }
      : { mode: 'socket', appToken: APP_TOKEN, signingSecret: undefined, ...common };
  const logger = options.logger ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const adapter = createSlackAdapter({
    assistant: core,
    config,
    logger,
    ...(options.files ? { files: options.files } : {}),
    ...(options.memory ? { memory: options.memory } : {}),
    tuning: {
      webApiRetries: 0,
      progressIntervalMs: 20,
      socketPingTimeoutMs: 200,
      unacknowledgedTimeoutMs: 200,
      shutdownDrainMs: 2000,
      ...options.tuning,
    },
  });
  await adapter.start();

  // The server of `vpn-doctor serve`, reduced to what matters here: its router (src/server/router.ts) with
  // the adapter's routes mounted as `serve` mounts them, 404 otherwise.
  const router = new Router();
  for (const route of adapter.routes) router.add(route);
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = router.match(req.method ?? 'GET', url.pathname);
    if (match && 'route' in match) return void match.route.handler({ req, res, url, params: match.params, log: logger });
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const eventsUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;

  return {
    api,
    adapter,
    checks,
    agents,
    feedback,
    kb,
    handled,
    eventsUrl,
    async slash(text, over = {}, sendOptions = {}) {
      const responseUrl = api.responseUrl(`cmd-${++responseIds}`);
      const body = formBody(slashCommandFields(text, { response_url: responseUrl, ...over }));
      const res = await postToSlackEndpoint(eventsUrl, body, { contentType: FORM, ...sendOptions });
      return { res, responseUrl };
    },
    event(event, sendOptions = {}) {
      return postToSlackEndpoint(eventsUrl, JSON.stringify(eventCallback(event, sendOptions.eventId)), sendOptions);
    },
    action(payload, sendOptions = {}) {
      return postToSlackEndpoint(eventsUrl, formBody({ payload: JSON.stringify(payload) }), { contentType: FORM, ...sendOptions });
    },
    async close() {
      await adapter.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await api.close();
    },
  };
}
