/**
 * `npm run bench:store`: per-operation latency of the store on both engines, in the same run: an audit
 * insert and finish (what every probe job costs), a token lookup (every agent connection and job) and a
 * retry-memory claim (every chat delivery). SQLite is a file in a temporary folder; PostgreSQL is a
 * throw-away server on a Unix socket (test/support/postgres.ts), when the Debian package is installed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../src/store/index.js';
import { findPostgresBin, startPostgres } from '../test/support/postgres.js';

const N = Number(process.env.BENCH_STORE_OPS ?? 2000);
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function timeEach(n: number, op: (i: number) => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await op(i);
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b);
}

async function measure(store: Store): Promise<Record<string, number[]>> {
  const agent = await store.agents.add('bench', 'hash-bench');
  const job = (i: number) => ({
    id: `job-${i}`,
    requestedAt: Date.now(),
    requestedBy: 'bench',
    platform: 'api',
    agent: 'bench',
    probe: 'tcp',
    target: '10.0.0.1:443',
    params: { target: '10.0.0.1', port: 443 },
  });
  const event = (i: number) => ({
    agent: 'bench',
    eventId: `ev-${i}`,
    kind: i % 2 ? ('up' as const) : ('down' as const),
    target: '10.0.0.2',
    at: Date.now() + i,
    sent: 12,
    received: 11,
    loss: 1 / 12,
    rttMs: 21.5,
    idleBeforeMs: 5000,
    topic: null,
    receivedAt: Date.now(),
  });
  return {
    'audit insert': await timeEach(N, (i) => store.audit.start(job(i))),
    'audit finish': await timeEach(N, (i) => store.audit.finish(`job-${i}`, { status: 'ok', durationMs: 3 })),
    'token check': await timeEach(N, () => store.agents.isActiveToken(agent.id, 'hash-bench')),
    'retry claim': await timeEach(N, (i) => store.chatState.rememberOnce(`delivery:bench-${i}`, 60_000)),
    'monitor event': await timeEach(N, (i) => store.monitor.insert(event(i))),
  };
}

/** PostgreSQL only: bytes per row of the audit log and the monitor events, indexes included (sizing). */
async function rowSizes(store: Store): Promise<string> {
  const size = async (table: string) => (await store.db.get<{ b: number }>(`SELECT pg_total_relation_size('${table}') AS b`))!.b / N;
  return `audit row ${Math.round(await size('jobs'))} bytes, monitor event ${Math.round(await size('monitor_events'))} bytes (indexes included)`;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vpn-doctor-bench-store-'));
  const results: [string, Record<string, number[]>][] = [];
  let sizes = '';
  try {
    const sqlite = await Store.open(join(dir, 'bench.db'));
    results.push(['SQLite (file, WAL)', await measure(sqlite)]);
    await sqlite.close();
    if (findPostgresBin()) {
      const server = await startPostgres();
      try {
        const pg = await Store.open(await server.createDatabase('bench'));
        results.push(['PostgreSQL (Unix socket)', await measure(pg)]);
        sizes = await rowSizes(pg);
        await pg.close();
      } finally {
        await server.stop();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(`\nvpn-doctor store benchmark (Node ${process.version}, ${N} operations each, one at a time)\n\n`);
  for (const [engine, ops] of results) {
    process.stdout.write(`  ${engine}\n`);
    for (const [op, t] of Object.entries(ops)) {
      process.stdout.write(`    ${op.padEnd(14)} p50 ${percentile(t, 50).toFixed(3)} ms   p99 ${percentile(t, 99).toFixed(3)} ms\n`);
    }
  }
  if (sizes) process.stdout.write(`  PostgreSQL sizes: ${sizes}\n`);
  process.stdout.write('\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
