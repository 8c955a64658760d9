import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { ProbeAgent, type AgentOptions } from '../../src/agents/agent.js';
import { Allowlist } from '../../src/agents/allowlist.js';
import type { ExecOutcome, JobExecutor } from '../../src/agents/executor.js';
import { AgentHub, type HubOptions } from '../../src/agents/hub.js';
import { generateToken, hashToken } from '../../src/agents/tokens.js';
import { PROBE_KINDS } from '../../src/probes/types.js';
import { Store } from '../../src/store/index.js';

/** A pino logger whose JSON lines are kept for assertions ("closed with a logged reason"). */
export function captureLogger(): { log: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      cb();
    },
  });
  return { log: pino({ level: 'debug' }, sink), lines };
}

/** Polls `predicate` (which may read the store, asynchronously) every 10 ms until it holds. */
export async function waitFor(predicate: () => boolean | Promise<boolean>, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const started = Date.now();
  while (!(await predicate())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export async function registerAgent(store: Store, name: string): Promise<string> {
  const token = generateToken();
  await store.agents.add(name, hashToken(token));
  return token;
}

export interface TestHub {
  hub: AgentHub;
  store: Store;
  server: Server;
  url: string;
  port: number;
  lines: Record<string, unknown>[];
  close(): Promise<void>;
}

/** A hub on 127.0.0.1 (port 0 unless given), on its own plain http server. */
export async function startHub(
  options: Partial<Omit<HubOptions, 'store' | 'log'>> & { store?: Store; port?: number } = {},
): Promise<TestHub> {
  const store = options.store ?? (await Store.open(':memory:'));
  const { log, lines } = captureLogger();
  const hub = new AgentHub({ heartbeatMs: 1000, ...options, store, log });
  await hub.ready;
  const server = createServer((_req, res) => {
    res.statusCode = 404;
    res.end();
  });
  hub.attach(server, '/agents');
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    hub,
    store,
    server,
    port,
    url: `ws://127.0.0.1:${port}/agents`,
    lines,
    close: async () => {
      await hub.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** Answers every job with a small fake result after `delayMs` (or never, with `hang`). */
export class FakeExecutor implements JobExecutor {
  readonly kinds: readonly string[] = [...PROBE_KINDS];
  readonly seen: { probe: string; params: Record<string, unknown> }[] = [];
  constructor(private readonly behaviour: { delayMs?: number; hang?: boolean } = {}) {}

  execute(job: { probe: string; params: Record<string, unknown> }, ctx: { signal: AbortSignal }): Promise<ExecOutcome> {
    this.seen.push(job);
    if (this.behaviour.hang) return new Promise(() => {});
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve({ status: 'ok', result: { echo: job.params } }), this.behaviour.delayMs ?? 0);
      ctx.signal.addEventListener('abort', () => {
        clearTimeout(t);
        resolve({ status: 'failed', error: { code: 'aborted', message: 'aborted' } });
      });
    });
  }
}

export function startAgent(
  url: string | string[],
  token: string,
  name: string,
  options: Partial<AgentOptions> = {},
): { agent: ProbeAgent; lines: Record<string, unknown>[] } {
  const { log, lines } = captureLogger();
  const agent = new ProbeAgent({
    hubUrl: url,
    token,
    name,
    allowlist: Allowlist.parse(['127.0.0.0/8']),
    executor: new FakeExecutor(),
    selfTest: { icmp: 'system', traceroute: false },
    log,
    backoff: { initialMs: 50, maxMs: 200 },
    ...options,
  });
  agent.start();
  return { agent, lines };
}

export const requester = { user: 'tester', platform: 'test', channel: 'c1' };
