import { fork, type ChildProcess } from 'node:child_process';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { AttackName, AttackParams, AttackFacts, FromAttacker } from './attacker.js';

/**
 * Runs attacks in a child process. The attackers' own work (thousands of sockets, request building,
 * response parsing) would otherwise share the server's event loop and be measured as the server's latency;
 * in a child at the lowest priority they barely compete for the CPU either (a real attacker's CPU is on
 * another machine). One child serves every attack of this process, several at once if asked (its start-up,
 * TypeScript through tsx, costs seconds on a busy machine); `stopAttacker()` ends it.
 */
export interface AttackerRun<N extends AttackName> {
  /** Resolves when the attack reports `stage` (multi-step attacks: the hub restart waits for "connected"). */
  stage(name: string): Promise<void>;
  /** Tells a waiting attack to go on to its next step. */
  proceed(): void;
  done: Promise<AttackFacts[N]>;
}

interface Pending {
  reached: Set<string>;
  waiting: Map<string, () => void>;
  resolve(facts: unknown): void;
  reject(err: Error): void;
}

let child: ChildProcess | undefined;
const runs = new Map<number, Pending>();
let nextId = 0;

function attacker(): ChildProcess {
  if (child && child.exitCode === null && !child.killed) return child;
  const c = fork(fileURLToPath(new URL('./attacker.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  try {
    if (c.pid !== undefined) setPriority(c.pid, 19);
  } catch {
    // not permitted here: the figures then include the attacker's own CPU use
  }
  c.on('message', (m: FromAttacker) => {
    const run = runs.get(m.id);
    if (!run) return;
    if (m.type === 'stage') {
      run.reached.add(m.stage);
      run.waiting.get(m.stage)?.();
    } else if (m.type === 'done') {
      runs.delete(m.id);
      run.resolve(m.facts);
    } else {
      runs.delete(m.id);
      run.reject(new Error(`attack failed: ${m.error}`));
    }
  });
  c.on('exit', (code) => {
    for (const run of runs.values()) run.reject(new Error(`attacker exited with ${code} before reporting`));
    runs.clear();
    if (child === c) child = undefined;
  });
  // Never keeps the parent alive on its own.
  c.unref();
  c.channel?.unref();
  child = c;
  return c;
}

export function runInAttacker<N extends AttackName>(name: N, params: AttackParams[N]): AttackerRun<N> {
  const c = attacker();
  const id = ++nextId;
  const pending: Partial<Pending> = { reached: new Set(), waiting: new Map() };
  const done = new Promise<AttackFacts[N]>((resolve, reject) => {
    pending.resolve = resolve as (facts: unknown) => void;
    pending.reject = reject;
  });
  runs.set(id, pending as Pending);
  c.send({ type: 'run', id, name, params });
  return {
    stage: (s) => (pending.reached!.has(s) ? Promise.resolve() : new Promise<void>((r) => pending.waiting!.set(s, r))),
    proceed: () => c.send({ type: 'proceed', id }),
    done,
  };
}

/** One-step attacks: start, wait for the facts. */
export function attackFromChild<N extends AttackName>(name: N, params: AttackParams[N]): Promise<AttackFacts[N]> {
  return runInAttacker(name, params).done;
}

/** Ends the attacker process (afterAll of a test file, end of the bench). */
export function stopAttacker(): void {
  child?.kill();
  child = undefined;
}
