import { monitorEventLoopDelay } from 'node:perf_hooks';
import { AgentUnavailableError } from '../../../src/agents/hub/types.js';
import { healthzBudgetMs, idleHealthz, p99, sampleHealthz, trackMemory, type MemoryPeak } from './measure.js';
import { LEGIT_AGENT, startTarget, type Target, type TargetOptions } from './target.js';

/**
 * One attack against a running target, measured the same way every time: /healthz p99 idle (same server,
 * just before), then /healthz p99 while the attack runs and for a short aftermath, the legitimate work done
 * meanwhile (an on-call engineer's probe jobs through the legitimate agent, one after another), and the
 * process's peak memory.
 */

export interface LegitTally {
  ok: number;
  failed: number;
  /** Told the agent was busy (429): that is another caller's flood taking the on-call engineer's place. */
  busy: number;
}

export interface ScenarioResult<F> {
  name: string;
  idleP99: number;
  attackP99: number;
  /** The scenario's bound on attackP99: 10x idle, with an absolute floor. */
  budgetMs: number;
  healthzSamples: number;
  healthzFailures: number;
  legit: LegitTally;
  agentOnline: boolean;
  memory: MemoryPeak;
  /** Longest the server's event loop was held at once during the attack (ms). */
  loopMaxMs: number;
  /** What the attack itself reports (counts of refusals, replies...), for assertions and the table's note. */
  facts: F;
  note: string;
}

export interface ScenarioOptions {
  idleSamples?: number;
  aftermathMs?: number;
  floorMs?: number;
  /** Run the on-call engineer's jobs during the attack (default true). */
  legitJobs?: boolean;
}

const job = (user: string) => ({
  probe: 'tcp',
  params: { target: '127.0.0.1', port: 9 },
  deadlineMs: 5000,
  target: '127.0.0.1:9',
  requestedBy: { user, platform: 'chat', channel: 'oncall' },
});

/** The on-call engineer: one job at a time through the legitimate agent until told to stop. */
export async function legitimateJobs(target: Target, stop: () => boolean): Promise<LegitTally> {
  const tally: LegitTally = { ok: 0, failed: 0, busy: 0 };
  while (!stop()) {
    try {
      const outcome = await target.server.hub.dispatch(LEGIT_AGENT, job('oncall'));
      if (outcome.status === 'ok') tally.ok++;
      else tally.failed++;
    } catch (err) {
      if (err instanceof AgentUnavailableError && err.reason === 'busy') tally.busy++;
      else tally.failed++;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  return tally;
}

/** What an attack may do to the measurement: pause /healthz sampling while the server is down on purpose. */
export interface ScenarioControl {
  pauseHealthz(): void;
  resumeHealthz(): void;
}

/** An attack's report; `legit` replaces the on-call engineer's tally when the attack runs the legitimate work itself. */
export interface AttackOutcome<F> {
  facts: F;
  note: string;
  legit?: LegitTally;
}

export async function runScenario<F>(
  name: string,
  target: Target,
  attack: (control: ScenarioControl) => Promise<AttackOutcome<F>>,
  options: ScenarioOptions = {},
): Promise<ScenarioResult<F>> {
  const idle = await idleHealthz(target.url, options.idleSamples ?? 100);
  const idleP99 = p99(idle.latencies);
  let stop = false;
  let paused = false;
  const memory = trackMemory();
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const health = sampleHealthz(
    target.url,
    () => stop,
    20,
    () => paused,
  );
  const legit = options.legitJobs === false ? Promise.resolve({ ok: 0, failed: 0, busy: 0 }) : legitimateJobs(target, () => stop);
  let outcome: AttackOutcome<F>;
  try {
    outcome = await attack({ pauseHealthz: () => (paused = true), resumeHealthz: () => (paused = false) });
    await new Promise((r) => setTimeout(r, options.aftermathMs ?? 500));
  } finally {
    stop = true;
  }
  const [h, l] = await Promise.all([health, legit]);
  loop.disable();
  return {
    name,
    idleP99,
    attackP99: p99(h.latencies),
    budgetMs: healthzBudgetMs(idleP99, 10, options.floorMs),
    healthzSamples: h.latencies.length,
    healthzFailures: h.failures,
    legit: outcome.legit ?? l,
    agentOnline: target.server.hub.isOnline(LEGIT_AGENT),
    memory: memory.stop(),
    loopMaxMs: loop.max / 1e6,
    facts: outcome.facts,
    note: outcome.note,
  };
}

export function tableOf(results: readonly ScenarioResult<unknown>[]): string {
  const rows = [
    '| attack | /healthz p99 attack | idle | ratio | healthz failed | loop held max | legit jobs ok | legit failed | legit busy | agent online | peak RSS / heap | note |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    rows.push(
      `| ${[
        r.name,
        `${r.attackP99.toFixed(1)} ms`,
        `${r.idleP99.toFixed(1)} ms`,
        `${(r.attackP99 / r.idleP99).toFixed(1)}x`,
        String(r.healthzFailures),
        `${Math.round(r.loopMaxMs)} ms`,
        String(r.legit.ok),
        String(r.legit.failed),
        String(r.legit.busy),
        r.agentOnline ? 'yes' : 'NO',
        `${r.memory.rssMb} / ${r.memory.heapMb} MB`,
        r.note,
      ].join(' | ')} |`,
    );
  }
  return rows.join('\n');
}

/**
 * Every attack runs at two sizes: `full` (the counts of issue 16, `npm run bench:abuse`) and `test` (the same
 * shape scaled down so test/abuse fits in `npm test` on a 2-core machine).
 */
export type Size = 'full' | 'test';

export interface Scenario<F = unknown> {
  id: string;
  describe(size: Size): string;
  run(size: Size, options?: ScenarioOptions): Promise<ScenarioResult<F>>;
}

export function scenario<S extends { describe: string }, F>(
  id: string,
  sizes: Record<Size, S>,
  target: TargetOptions,
  attack: (t: Target, s: S, control: ScenarioControl) => Promise<AttackOutcome<F>>,
  defaults: ScenarioOptions = {},
): Scenario<F> {
  return {
    id,
    describe: (size) => sizes[size].describe,
    async run(size, options) {
      const t = await startTarget(target);
      try {
        return await runScenario(`${id} (${sizes[size].describe})`, t, (control) => attack(t, sizes[size], control), {
          ...defaults,
          ...options,
        });
      } finally {
        await t.close();
      }
    },
  };
}
