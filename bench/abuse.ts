/**
 * Load-and-abuse benchmark of `vpn-doctor serve`, all on loopback, in one process:
 *
 *   npm run bench:abuse
 *
 * Starts the real server (hub, API, /healthz, SQLite in a temp dir) with one legitimate agent (a fake
 * executor answering in 20 ms, maxConcurrency 4), measures /healthz p99 idle, then runs each attack while
 * sampling /healthz and sending legitimate jobs to the agent, and prints per attack: /healthz p99 under
 * attack vs idle, legitimate jobs completed, failures, RSS and heap.
 *   monitor-flood: one agent token sends 20 monitor messages of 500 events (the case that froze the server).
 *   dispatch-burst: 500 jobs at once from one caller against the legitimate agent (the case that got it closed).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import WebSocket from 'ws';
import { ProbeAgent } from '../src/agents/agent.js';
import { Allowlist } from '../src/agents/allowlist.js';
import type { ExecOutcome, JobExecutor } from '../src/agents/executor.js';
import { AgentUnavailableError } from '../src/agents/hub/types.js';
import { PROTOCOL_VERSION } from '../src/agents/protocol.js';
import { generateToken, hashToken } from '../src/agents/tokens.js';
import { loadKnowledgeBase } from '../src/knowledge/loader.js';
import { startServer } from '../src/server/start.js';

const silent = pino({ level: 'silent' });

class FastExecutor implements JobExecutor {
  readonly kinds = ['tcp'];
  execute(): Promise<ExecOutcome> {
    return new Promise((r) => setTimeout(() => r({ status: 'ok', result: {} }), 20));
  }
}

function p99(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.99))] ?? NaN;
}

async function sampleHealthz(url: string, until: () => boolean): Promise<number[]> {
  const out: number[] = [];
  while (!until()) {
    const t = performance.now();
    await (await fetch(`${url}/healthz`)).text();
    out.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, 10));
  }
  return out;
}

const dir = mkdtempSync(join(tmpdir(), 'vpn-doctor-abuse-'));
const server = await startServer({
  port: 0,
  host: '127.0.0.1',
  dbPath: join(dir, 'bench.db'),
  apiToken: 'bench-api-token-0123456789',
  kb: loadKnowledgeBase(),
  classifier: { classify: async () => ({ topic: null, confidence: 0, alternatives: [] }) } as never,
  log: silent,
});
const wsUrl = `${server.url.replace('http', 'ws')}/agents`;
const token = async (name: string) => {
  const t = generateToken();
  await server.store.agents.add(name, hashToken(t));
  return t;
};
const agent = new ProbeAgent({
  hubUrl: wsUrl,
  token: await token('real'),
  name: 'real',
  allowlist: Allowlist.parse(['127.0.0.0/8']),
  executor: new FastExecutor(),
  selfTest: { icmp: 'system', traceroute: false },
  log: silent,
  maxConcurrency: 4,
  maxQueued: 0,
});
agent.start();
await agent.whenOnline();

const job = (user: string) => ({
  probe: 'tcp',
  params: { target: '127.0.0.1', port: 9 },
  deadlineMs: 5000,
  target: '127.0.0.1:9',
  requestedBy: { user, platform: 'bench' },
});

/** Legitimate work while an attack runs: one job at a time from "oncall", retried when told busy. */
async function legitimateWork(until: () => boolean): Promise<{ ok: number; failed: number }> {
  let ok = 0;
  let failed = 0;
  while (!until()) {
    try {
      const o = await server.hub.dispatch('real', job('oncall'));
      if (o.status === 'ok') ok++;
      else failed++;
    } catch (err) {
      if (!(err instanceof AgentUnavailableError && err.reason === 'busy')) failed++;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  return { ok, failed };
}

let stop = false;
let t0 = Date.now();
const idle = await sampleHealthz(server.url, () => Date.now() - t0 > 2000);
const rows: string[][] = [];
const mem = () =>
  `${Math.round(process.memoryUsage().rss / 2 ** 20)} MB rss / ${Math.round(process.memoryUsage().heapUsed / 2 ** 20)} MB heap`;

async function attack(name: string, run: () => Promise<string>): Promise<void> {
  stop = false;
  const work = legitimateWork(() => stop);
  const health = sampleHealthz(server.url, () => stop);
  t0 = Date.now();
  const note = await run();
  await new Promise((r) => setTimeout(r, 1000)); // let the aftermath show in the samples
  stop = true;
  const [w, h] = await Promise.all([work, health]);
  rows.push([
    name,
    `${p99(h).toFixed(1)} ms`,
    `${p99(idle).toFixed(1)} ms`,
    String(w.ok),
    String(w.failed),
    server.hub.isOnline('real') ? 'yes' : 'NO',
    mem(),
    note,
  ]);
}

await attack('monitor-flood (20 x 500 events)', async () => {
  const ws = new WebSocket(wsUrl, { headers: { Authorization: `Bearer ${await token('stolen')}` } });
  await new Promise((r) => ws.once('open', r));
  const caps = { icmp: 'none', traceroute: false, probes: [], allow: [], maxConcurrency: 1, keepalive: null, platform: 'x' };
  ws.send(JSON.stringify({ type: 'hello', protocol: PROTOCOL_VERSION, name: 'stolen', version: 'x', bootId: 'b', capabilities: caps }));
  await new Promise((r) => setTimeout(r, 200));
  const base = Date.now() - 3 * 3600_000;
  for (let m = 0; m < 20; m++) {
    const events = Array.from({ length: 500 }, (_, i) => ({
      id: `f-${m}-${i}`,
      kind: i % 2 ? 'up' : 'down',
      target: '10.0.0.2',
      at: base + (m * 500 + i) * 1000,
      sent: 12,
      received: 0,
      loss: 1,
      rttMs: null,
      idleBeforeMs: 5000,
    }));
    ws.send(JSON.stringify({ type: 'monitor', events }));
  }
  await new Promise((r) => setTimeout(r, 3000));
  ws.terminate();
  return `${await server.store.monitor.count()} of 10000 events stored`;
});

await attack('dispatch-burst (500 jobs at once)', async () => {
  const accepted: Promise<unknown>[] = [];
  let busy = 0;
  for (let i = 0; i < 500; i++) {
    try {
      accepted.push(server.hub.dispatch('real', job('api')));
    } catch {
      busy++;
    }
  }
  await Promise.all(accepted);
  return `${accepted.length} accepted, ${busy} told busy (429)`;
});

console.log('| attack | /healthz p99 under attack | /healthz p99 idle | legit jobs ok | legit failed | agent online | memory | note |');
console.log('|---|---|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
await agent.stop({ timeoutMs: 500 });
await server.close();
rmSync(dir, { recursive: true, force: true });
