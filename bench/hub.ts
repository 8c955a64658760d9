/**
 * Benchmark of the agent hub: N agents (default 1000) connected to one hub on loopback.
 *
 *   npm run bench:hub                 # 1000 agents
 *   npm run bench:hub -- 200          # 200 agents
 *   npm run bench:hub -- --agents 2000 --jobs 5000 --concurrency 200 --procs 2
 *
 * The hub runs in this process with a real SQLite audit log (WAL, temp file), exactly as `serve` builds it.
 * The agents run in --procs child processes so the hub's memory and CPU are measured alone. Jobs go to an
 * in-process FAKE EXECUTOR on the agent (answers at once, no probe, no network), so the round trip measures
 * the hub: audit insert, dispatch, WebSocket both ways, ack, result, audit update.
 * Target: 1,000 agents, round-trip p99 < 10 ms.
 * BENCH_DIR=/dev/shm puts the database on tmpfs (shows what the disk's fsyncs cost); BENCH_PROFILE=DIR
 * writes CPU profiles of the agent processes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { pino } from 'pino';
import { AgentHub } from '../src/agents/hub.js';
import { generateToken, hashToken } from '../src/agents/tokens.js';
import { Store } from '../src/store/index.js';

function arg(name: string, fallback: number): number {
  const argv = process.argv.slice(2);
  const i = argv.indexOf(`--${name}`);
  if (i >= 0 && argv[i + 1]) return Number(argv[i + 1]);
  const eq = argv.find((a) => a.startsWith(`--${name}=`));
  if (eq) return Number(eq.split('=')[1]);
  if (name === 'agents' && argv[0] && /^\d+$/.test(argv[0])) return Number(argv[0]);
  return fallback;
}

const N = arg('agents', 1000);
const SEQUENTIAL = arg('jobs', 3000);
const CONCURRENCY = arg('concurrency', 100);
const LOAD_SECONDS = arg('seconds', 5);
const PROCS = arg('procs', 2);

// Expose the collector without asking for a node flag, so heap figures are taken after a full GC.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as (() => void) | undefined;
function settle(): void {
  gc?.();
  gc?.();
}
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'vpn-doctor-bench-'));
  const store = await Store.open(join(dir, 'bench.db'));
  const log = pino({ level: 'error' }, pino.destination(2));
  const hub = new AgentHub({ store, log, heartbeatMs: 15_000, maxMessagesPerSecond: 100_000 });
  const server = createServer((_q, s) => s.end());
  hub.attach(server, '/agents');
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/agents`;

  const tokens: { name: string; token: string }[] = [];
  for (let i = 0; i < N; i++) {
    const name = `bench-${String(i).padStart(5, '0')}`;
    const token = generateToken();
    await store.agents.add(name, hashToken(token));
    tokens.push({ name, token });
  }
  const tokenFile = join(dir, 'tokens.json');
  writeFileSync(tokenFile, JSON.stringify(tokens));

  settle();
  const before = process.memoryUsage();
  const started = Date.now();
  const children: ChildProcess[] = [];
  const per = Math.ceil(N / PROCS);
  await Promise.all(
    Array.from({ length: PROCS }, (_, p) => {
      const child = spawn(
        process.execPath,
        [
          ...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.BENCH_PROFILE] : []),
          '--import',
          'tsx',
          fileURLToPath(new URL('./hub-agents.ts', import.meta.url)),
        ],
        {
          env: {
            ...process.env,
            BENCH_HUB: url,
            BENCH_TOKENS: tokenFile,
            BENCH_FROM: String(p * per),
            BENCH_COUNT: String(Math.min(per, N - p * per)),
          },
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      children.push(child);
      return new Promise<void>((resolve, reject) => {
        child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
        child.on('exit', (code) => reject(new Error(`agent process exited with ${code}`)));
      });
    }),
  );
  while (hub.onlineCount < N) await new Promise((r) => setTimeout(r, 20));
  const connectMs = Date.now() - started;
  settle();
  const after = process.memoryUsage();

  const names = tokens.map((t) => t.name);
  const requestedBy = { user: 'bench', platform: 'bench' };
  const one = async (i: number): Promise<number> => {
    const t0 = process.hrtime.bigint();
    const out = await hub.dispatch(names[i % N]!, {
      probe: 'tcp',
      params: { target: '10.0.0.1', port: 443 },
      deadlineMs: 5000,
      target: '10.0.0.1:443',
      requestedBy,
    });
    if (out.status !== 'ok') throw new Error(`job failed: ${out.status} ${out.error?.message}`);
    return Number(process.hrtime.bigint() - t0) / 1e6;
  };

  // Warm-up (JIT, SQLite page cache), then one job at a time: the latency of a single check's probe.
  for (let i = 0; i < 200; i++) await one(i);
  const seq: number[] = [];
  for (let i = 0; i < SEQUENTIAL; i++) seq.push(await one(Math.floor(Math.random() * N)));
  seq.sort((a, b) => a - b);

  // Sustained load: CONCURRENCY jobs in flight across random agents for LOAD_SECONDS.
  const loaded: number[] = [];
  const until = Date.now() + LOAD_SECONDS * 1000;
  const loadStart = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < until) loaded.push(await one(Math.floor(Math.random() * N)));
    }),
  );
  const loadSeconds = Number(process.hrtime.bigint() - loadStart) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  const hubCpu = ((cpu.user + cpu.system) / 1e6 / loadSeconds) * 100;
  loaded.sort((a, b) => a - b);

  const rows: [string, string][] = [
    ['agents connected', `${hub.onlineCount} (in ${PROCS} processes)`],
    ['connect all', `${connectMs} ms`],
    ['hub heap per agent', `${((after.heapUsed - before.heapUsed) / N / 1024).toFixed(1)} KiB`],
    ['hub RSS per agent', `${((after.rss - before.rss) / N / 1024).toFixed(1)} KiB`],
    ['hub RSS total', `${mb(after.rss)} MiB`],
    ['executor', 'in-process fake on the agent (no probe)'],
    [
      `round trip, 1 at a time (${SEQUENTIAL})`,
      `p50 ${percentile(seq, 50).toFixed(2)} ms, p99 ${percentile(seq, 99).toFixed(2)} ms, max ${seq.at(-1)!.toFixed(2)} ms`,
    ],
    [`round trip, ${CONCURRENCY} in flight`, `p50 ${percentile(loaded, 50).toFixed(2)} ms, p99 ${percentile(loaded, 99).toFixed(2)} ms`],
    ['throughput', `${Math.round(loaded.length / loadSeconds)} jobs/s (${loaded.length} jobs in ${loadSeconds.toFixed(1)} s)`],
    ['hub CPU under load', `${hubCpu.toFixed(0)}% of one core (${((cpu.user + cpu.system) / loaded.length).toFixed(0)} µs per job)`],
    ['audit rows written', String(await store.audit.count())],
    ['target', `1,000 agents, p99 < 10 ms: ${N >= 1000 && percentile(seq, 99) < 10 ? 'MET' : N < 1000 ? 'n/a (fewer agents)' : 'NOT MET'}`],
  ];
  if (!gc) rows.push(['note', 'run with node --expose-gc for steadier memory figures']);
  const w = Math.max(...rows.map((r) => r[0].length));
  process.stdout.write(`\nvpn-doctor hub benchmark (Node ${process.version}, ${process.platform}-${process.arch})\n\n`);
  for (const [k, v] of rows) process.stdout.write(`  ${k.padEnd(w)}  ${v}\n`);
  process.stdout.write('\n');

  for (const c of children) c.kill('SIGTERM');
  await hub.close();
  server.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:hub failed: ${(err as Error).stack}\n`);
  process.exit(1);
});
