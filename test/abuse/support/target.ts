import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { createSlackAdapter, type SlackAdapter } from '../../../adapters/slack/index.js';
import { createTeamsAdapter, type TeamsAdapter } from '../../../adapters/teams/index.js';
import { ProbeAgent } from '../../../src/agents/agent.js';
import { Allowlist } from '../../../src/agents/allowlist.js';
import { loadKnowledgeBase, type KnowledgeBase } from '../../../src/knowledge/loader.js';
import { createClassifier } from '../../../src/nlu/index.js';
import type { IntentClassifier } from '../../../src/nlu/types.js';
import { HttpEnvSchema, httpLimitsOf } from '../../../src/config/http-env.js';
import type { HttpLimits } from '../../../src/server/app.js';
import { startServer, type RunningServer } from '../../../src/server/start.js';
import { registerAgent } from '../../agents/helpers.js';
import { FakeSlackApi } from '../../adapters/slack/helpers/fake-slack-api.js';
import { SIGNING_SECRET } from '../../adapters/slack/helpers/slack-request.js';
import { FakeConnector } from '../../adapters/teams/fake-connector.js';
import { fakeOpenIdMetadata, type FakeMetadata } from '../../adapters/teams/fake-openid.js';
import { QuickExecutor } from './quick-executor.js';

/**
 * The server under attack: the real `vpn-doctor serve` (hub, API, /healthz, SQLite in a temporary
 * directory, the real knowledge base and local classifier) on 127.0.0.1, with one legitimate probe agent
 * ("real": answers every probe in 20 ms, 4 at once) and, when asked, the real Slack adapter (HTTP mode, Bolt's
 * receiver, a fake Slack Web API on loopback) and the real Teams adapter (dev mode with a loopback connector,
 * or authenticated against a loopback OpenID metadata fake).
 */

export const API_TOKEN = 'abuse-api-token-0123456789abcdef';
export const BOT_TOKEN = 'xoxb-0000000000-0000000000000-abuseabuseabuseabuse';
export const TEAMS_APP_ID = '3a1f6c2e-9b4d-4e7a-8c5f-1d2e3f4a5b6c';
export const TEAMS_KID = 'abuse-kid-1';
export const LEGIT_AGENT = 'real';

export interface TargetOptions {
  slack?: boolean;
  /** 'dev': no authentication, loopback connector; 'auth': tokens checked against a loopback metadata fake. */
  teams?: 'dev' | 'auth';
  limits?: Partial<HttpLimits>;
  /** A fixed port (the hub-restart scenario starts a second server on the first one's port). */
  port?: number;
  /** A database directory to reuse (hub restart); default a fresh temporary one. */
  dir?: string;
}

export interface Target {
  server: RunningServer;
  url: string;
  wsUrl: string;
  dir: string;
  agent: ProbeAgent;
  /** A token for a new agent named `name`, registered in the server's store. */
  token(name: string): Promise<string>;
  slack?: { adapter: SlackAdapter; api: FakeSlackApi; url: string };
  teams?: {
    adapter: TeamsAdapter;
    connector: FakeConnector;
    url: string;
    metadata?: FakeMetadata;
    key?: { publicKey: KeyObject; privateKey: KeyObject };
  };
  /**
   * Restarts the server as an operator would: the hub says goodbye to every agent (1001, come back later),
   * the process's HTTP server closes, and a new one starts on the same port and database. Agents, the
   * legitimate one included, reconnect by themselves. Chat adapters are not carried over.
   */
  restart(): Promise<void>;
  close(options?: { keepDir?: boolean }): Promise<void>;
}

let brains: Promise<{ kb: KnowledgeBase; classifier: IntentClassifier }> | undefined;
/** The real knowledge base and local classifier, trained once per process. */
export function realBrains(): Promise<{ kb: KnowledgeBase; classifier: IntentClassifier }> {
  brains ??= (async () => {
    const kb = loadKnowledgeBase();
    return { kb, classifier: await createClassifier(kb) };
  })();
  return brains;
}

const quiet: Logger = pino({ level: 'silent' });

export async function startTarget(options: TargetOptions = {}, log: Logger = quiet): Promise<Target> {
  const { kb, classifier } = await realBrains();
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'vpn-doctor-abuse-'));
  const serverOptions = {
    port: options.port ?? 0,
    host: '127.0.0.1',
    dbPath: join(dir, 'abuse.db'),
    apiToken: API_TOKEN,
    kb,
    classifier,
    log,
    // The VPN_DOCTOR_HTTP_* variables apply as they do to `serve` (the bench can compare settings).
    limits: { ...httpLimitsOf(HttpEnvSchema.parse(process.env)), ...options.limits },
  };
  const server = await startServer(serverOptions);
  const wsUrl = `${server.url.replace('http', 'ws')}/agents`;
  const closers: (() => Promise<unknown>)[] = [];
  const target: Target = {
    server,
    url: server.url,
    wsUrl,
    dir,
    agent: undefined as unknown as ProbeAgent,
    token: (name) => registerAgent(target.server.store, name),
    restart: async () => {
      if (options.slack || options.teams) throw new Error('restart() does not carry chat adapters over');
      await target.server.close();
      target.server = await startServer({ ...serverOptions, port: target.server.address.port });
    },
    close: async ({ keepDir = false } = {}) => {
      for (const close of closers.reverse()) await close().catch(() => {});
      await target.server.close();
      if (!keepDir && !options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    target.agent = new ProbeAgent({
      hubUrl: wsUrl,
      token: await target.token(LEGIT_AGENT),
      name: LEGIT_AGENT,
      allowlist: Allowlist.parse(['127.0.0.0/8']),
      executor: new QuickExecutor(),
      selfTest: { icmp: 'system', traceroute: false },
      log,
      maxConcurrency: 4,
      maxQueued: 0,
      backoff: { initialMs: 50, maxMs: 500 },
    });
    target.agent.start();
    closers.push(() => target.agent.stop({ timeoutMs: 500 }));
    await target.agent.whenOnline();
    if (options.slack) target.slack = await mountSlack(target, log, closers);
    if (options.teams) target.teams = await mountTeams(target, options.teams, log, closers);
  } catch (err) {
    await target.close();
    throw err;
  }
  return target;
}

async function mountSlack(target: Target, log: Logger, closers: (() => Promise<unknown>)[]): Promise<Target['slack']> {
  const api = await new FakeSlackApi().start();
  closers.push(() => api.close());
  const adapter = createSlackAdapter({
    assistant: target.server.assistant,
    config: {
      mode: 'http',
      botToken: BOT_TOKEN,
      signingSecret: SIGNING_SECRET,
      apiUrl: api.apiUrl,
      alertChannel: undefined,
      allowedTeams: [],
    },
    logger: log,
    tuning: { webApiRetries: 0, progressIntervalMs: 50, shutdownDrainMs: 2000 },
  });
  for (const route of adapter.routes) target.server.app.route(route);
  await adapter.start();
  closers.push(() => adapter.stop());
  return { adapter, api, url: `${target.url}/slack/events` };
}

async function mountTeams(
  target: Target,
  mode: 'dev' | 'auth',
  log: Logger,
  closers: (() => Promise<unknown>)[],
): Promise<Target['teams']> {
  const connector = await FakeConnector.start();
  closers.push(() => connector.close());
  const key = mode === 'auth' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : undefined;
  const metadata = key ? await fakeOpenIdMetadata(key.publicKey, TEAMS_KID) : undefined;
  if (metadata) closers.push(() => metadata.close());
  const adapter = createTeamsAdapter({
    assistant: target.server.assistant,
    config: {
      teams:
        mode === 'auth'
          ? { appId: TEAMS_APP_ID, appPassword: 'client-secret-never-used', appType: 'MultiTenant', tenantId: undefined, dev: false }
          : { appId: undefined, appPassword: undefined, appType: 'MultiTenant', tenantId: undefined, dev: true },
    },
    logger: log,
    options: { progressIntervalMs: 50, ...(metadata ? { openIdMetadataUrl: metadata.url } : {}) },
  });
  for (const route of adapter.routes) target.server.app.route(route);
  closers.push(() => adapter.drain(2000));
  return {
    adapter,
    connector,
    url: `${target.url}/api/messages`,
    ...(metadata ? { metadata } : {}),
    ...(key ? { key } : {}),
  };
}
