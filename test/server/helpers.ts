import { Allowlist } from '../../src/agents/allowlist.js';
import { CatalogueExecutor } from '../../src/agents/catalogue-executor.js';
import type { ProbeAgent } from '../../src/agents/agent.js';
import { loadKnowledgeBase } from '../../src/knowledge/loader.js';
import type { Classification, IntentClassifier } from '../../src/nlu/types.js';
import { startServer, type RunningServer, type ServerOptions } from '../../src/server/start.js';
import { captureLogger, registerAgent, startAgent } from '../agents/helpers.js';

export const API_TOKEN = 'test-api-token-0123456789abcdef';
export const kb = loadKnowledgeBase();

/** Always the same answer: the API's job is transport, the classifier has its own tests. */
export const fixedClassifier: IntentClassifier = {
  async classify(): Promise<Classification> {
    return {
      kind: 'topic',
      topic: 'keep-traffic-flowing',
      confidence: 0.9,
      alternatives: [{ topic: 'reset-tunnels-request', confidence: 0.2 }],
      entities: { ipv4: [], cidrs: [], fqdns: [], durations: [], ikeVersion: null, ports: [], protocols: [], vendors: [], signatures: [] },
      engine: 'local',
    };
  },
};

export async function startTestServer(options: Partial<ServerOptions> = {}): Promise<RunningServer & { lines: Record<string, unknown>[] }> {
  const { log, lines } = captureLogger();
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    dbPath: ':memory:',
    apiToken: API_TOKEN,
    kb,
    classifier: fixedClassifier,
    log,
    hub: { heartbeatMs: 1000 },
    // Every API response of every test is held to its declared schema.
    checkResponses: true,
    ...options,
  });
  return Object.assign(server, { lines });
}

/** A real agent (catalogue executor, its own allowlist) connected to the server's hub. */
export async function connectAgent(server: RunningServer, name: string, allow: string[] = ['127.0.0.0/8']): Promise<ProbeAgent> {
  const allowlist = Allowlist.parse(allow);
  const { agent } = startAgent(`${server.url.replace('http', 'ws')}/agents`, await registerAgent(server.store, name), name, {
    allowlist,
    executor: new CatalogueExecutor(allowlist),
  });
  await agent.whenOnline();
  return agent;
}

export function api(
  server: RunningServer,
  path: string,
  init: RequestInit & { token?: string | null; json?: unknown } = {},
): Promise<Response> {
  const headers = new Headers(init.headers);
  const token = init.token === undefined ? API_TOKEN : init.token;
  if (token !== null) headers.set('authorization', `Bearer ${token}`);
  if (init.json !== undefined) headers.set('content-type', 'application/json');
  return fetch(`${server.url}${path}`, {
    ...init,
    headers,
    ...(init.json !== undefined ? { body: JSON.stringify(init.json), method: init.method ?? 'POST' } : {}),
  });
}

/** A response's JSON, loosely typed: tests assert on its shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const bodyOf = async (res: Response | Promise<Response>): Promise<any> => (await res).json();
