/**
 * Benchmark of the hub across two replicas sharing one PostgreSQL (issue 18, item 5).
 *
 *   npm run bench:replicas                       # 100 agents per replica
 *   npm run bench:replicas -- --agents 200 --jobs 2000 --concurrency 50 --seconds 5
 *
 * A throw-away PostgreSQL (test/support/postgres.ts: Debian's server on a Unix socket) holds the store of
 * both replicas and their coordination tables. Replicas A and B are two AgentHubs, each with its own store
 * connection pool, its own Replicas (presence, LISTEN/NOTIFY bus) and its own HTTP server; --agents agents
 * connect to each, from child processes (bench/hub-agents.ts: fake executor, no probe). In the same run:
 *   single replica: jobs asked on A for agents connected to A (audit in PostgreSQL, no relay);
 *   cross replica:  jobs asked on B for agents connected to A (B -> NOTIFY -> A -> agent -> A -> NOTIFY -> B).
 * Both replicas run in this one process (and PostgreSQL and the agents on the same machine): throughput
 * figures are for this shared CPU, to be read as ratios between the two rows, not as capacity.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { AgentHub } from '../src/agents/hub.js';
import { generateToken, hashToken } from '../src/agents/tokens.js';
import { Replicas } from '../src/replicas/index.js';
import { Store } from '../src/store/index.js';
import { startPostgres } from '../test/support/postgres.js';

const { values } = parseArgs({
  options: {
    agents: { type: 'string', default: '100' },
    jobs: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '4' },
  },
});
const PER_REPLICA = Number(values.agents);
const SEQUENTIAL = Number(values.jobs);
const CONCURRENCY = Number(values.concurrency);
const LOAD_SECONDS = Number(values.seconds);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const log = pino({ level: 'error' }, pino.destination(2));

interface Replica {
  name: string;
  store: Store;
  replicas: Replicas;
  hub: AgentHub;
  server: Server;
  url: string;
}

async function startReplica(name: string, databaseUrl: string): Promise<Replica> {
  const store = await Store.open(databaseUrl);
  const replicas = await Replicas.start({ connectionString: databaseUrl, label: name, log });
  const hub = new AgentHub({ store, log, heartbeatMs: 15_000, maxMessagesPerSecond: 100_000, replicas });
  await hub.ready;
  const server = createServer((_q, s) => s.end());
  hub.attach(server, '/agents');
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { name, store, replicas, hub, server, url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/agents` };
}

function startAgents(url: string, tokenFile: string, from: number, count: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./hub-agents.ts', import.meta.url))], {
    env: { ...process.env, BENCH_HUB: url, BENCH_TOKENS: tokenFile, BENCH_FROM: String(from), BENCH_COUNT: String(count) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve(child));
    child.on('exit', (code) => reject(new Error(`agent process exited with ${code}`)));
  });
}

interface Figures {
  seq: number[];
  loaded: number[];
  throughput: number;
}

/** One job at a time, then CONCURRENCY in flight for LOAD_SECONDS, from `on` to the agents `names`. */
async function measure(on: AgentHub, names: string[]): Promise<Figures> {
  const requestedBy = { user: 'bench', platform: 'bench' };
  const one = async (): Promise<number> => {
    const t0 = process.hrtime.bigint();
    const out = await on.dispatch(names[Math.floor(Math.random() * names.length)]!, {
      probe: 'tcp',
      params: { target: '10.0.0.1', port: 443 },
      deadlineMs: 5000,
      target: '10.0.0.1:443',
      requestedBy,
    });
    if (out.status !== 'ok') throw new Error(`job failed: ${out.status} ${out.error?.message}`);
    return Number(process.hrtime.bigint() - t0) / 1e6;
  };
  for (let i = 0; i < 100; i++) await one(); // warm-up
  const seq: number[] = [];
  for (let i = 0; i < SEQUENTIAL; i++) seq.push(await one());
  const loaded: number[] = [];
  const until = Date.now() + LOAD_SECONDS * 1000;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < until) loaded.push(await one());
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { seq: seq.sort((a, b) => a - b), loaded: loaded.sort((a, b) => a - b), throughput: loaded.length / seconds };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vpn-doctor-bench-replicas-'));
  const pgServer = await startPostgres();
  const databaseUrl = await pgServer.createDatabase('bench_replicas');
  const children: ChildProcess[] = [];
  try {
    const a = await startReplica('replica-a', databaseUrl);
    const b = await startReplica('replica-b', databaseUrl);
    const tokens: { name: string; token: string }[] = [];
    for (let i = 0; i < 2 * PER_REPLICA; i++) {
      const name = `bench-${i < PER_REPLICA ? 'a' : 'b'}-${String(i % PER_REPLICA).padStart(5, '0')}`;
      const token = generateToken();
      await a.store.agents.add(name, hashToken(token));
      tokens.push({ name, token });
    }
    const tokenFile = join(dir, 'tokens.json');
    writeFileSync(tokenFile, JSON.stringify(tokens));
    children.push(await startAgents(a.url, tokenFile, 0, PER_REPLICA), await startAgents(b.url, tokenFile, PER_REPLICA, PER_REPLICA));
    const onA = tokens.slice(0, PER_REPLICA).map((t) => t.name);
    // Presence is written as agents say hello: wait until B sees all of A's agents.
    for (;;) {
      const held = await b.replicas.agents();
      if (held.filter((x) => x.replica === a.replicas.id).length === PER_REPLICA && held.length === 2 * PER_REPLICA) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const perReplica = (await b.replicas.agents()).reduce<Record<string, number>>((m, x) => ((m[x.label] = (m[x.label] ?? 0) + 1), m), {});

    const single = await measure(a.hub, onA);
    const cross = await measure(b.hub, onA);
    const row = (label: string, f: Figures) =>
      `| ${label.padEnd(34)} | ${percentile(f.seq, 50).toFixed(2).padStart(6)} | ${percentile(f.seq, 99).toFixed(2).padStart(6)} | ${percentile(f.loaded, 50).toFixed(2).padStart(8)} | ${percentile(f.loaded, 99).toFixed(2).padStart(8)} | ${Math.round(f.throughput).toString().padStart(7)} |`;
    const out = [
      '',
      `vpn-doctor replicas benchmark (Node ${process.version}, ${process.platform}-${process.arch}; PostgreSQL on a Unix socket; both replicas in one process)`,
      `agents per replica: ${Object.entries(perReplica)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}; jobs: ${SEQUENTIAL} one at a time, then ${CONCURRENCY} in flight for ${LOAD_SECONDS} s; fake executor on the agents`,
      '',
      `| path                               | 1-at-a-time p50 ms | p99 ms | ${CONCURRENCY} in flight p50 ms | p99 ms | jobs/s |`,
      '|---|---:|---:|---:|---:|---:|',
      row('single replica (A -> agent on A)', single),
      row('cross replica (B -> A -> agent)', cross),
      '',
      `cross/single: p50 x${(percentile(cross.seq, 50) / percentile(single.seq, 50)).toFixed(2)}, p99 x${(percentile(cross.seq, 99) / percentile(single.seq, 99)).toFixed(2)}, throughput x${(cross.throughput / single.throughput).toFixed(2)}`,
      `audit rows written: ${await a.store.audit.count()}`,
      '',
    ];
    process.stdout.write(out.join('\n'));
    for (const c of children) c.kill('SIGTERM');
    for (const r of [b, a]) {
      await r.hub.close();
      await r.replicas.stop();
      r.server.close();
      await r.store.close();
    }
  } finally {
    for (const c of children) c.kill('SIGKILL');
    await pgServer.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  process.exit(0);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:replicas failed: ${(err as Error).stack}\n`);
  process.exit(1);
});
