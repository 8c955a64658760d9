/**
 * Child process of bench/hub.ts: opens one WebSocket agent per token (read from the JSON file named by
 * BENCH_TOKENS, a slice chosen by BENCH_FROM/BENCH_COUNT) and answers every job at once with a small
 * fake result (an in-process executor: no probe, no network beyond the hub). Prints "ready" once all
 * agents were welcomed. Agents live outside the hub process so its memory figures are the hub's own.
 */
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { ProbeAgent } from '../src/agents/agent.js';
import { Allowlist } from '../src/agents/allowlist.js';
import type { JobExecutor } from '../src/agents/executor.js';

const tokens = (JSON.parse(readFileSync(process.env.BENCH_TOKENS!, 'utf8')) as { name: string; token: string }[]).slice(
  Number(process.env.BENCH_FROM),
  Number(process.env.BENCH_FROM) + Number(process.env.BENCH_COUNT),
);

const echo: JobExecutor = {
  kinds: ['icmp', 'traceroute', 'dns', 'tcp', 'tls'],
  execute: async (job) => ({ status: 'ok', result: { kind: job.probe, ok: true, echo: job.params } }),
};
const log = pino({ level: 'error' }, pino.destination(2));
const allowlist = Allowlist.parse(['10.0.0.0/8']);
const agents = tokens.map(
  ({ name, token }) =>
    new ProbeAgent({
      hubUrl: process.env.BENCH_HUB!,
      token,
      name,
      allowlist,
      executor: echo,
      selfTest: { icmp: 'none', traceroute: false },
      log,
      maxConcurrency: 64,
      maxQueued: 256,
      backoff: { initialMs: 100, maxMs: 2000 },
    }),
);

// Connect in small waves: a real fleet does not reconnect in the same millisecond either.
for (let i = 0; i < agents.length; i++) {
  agents[i]!.start();
  if (i % 50 === 49) await new Promise((r) => setTimeout(r, 5));
}
await Promise.all(agents.map((a) => a.whenOnline()));
process.stdout.write('ready\n');

process.on('SIGTERM', () => {
  void Promise.all(agents.map((a) => a.stop({ timeoutMs: 100 }))).then(() => process.exit(0));
});
