import { fork } from 'node:child_process';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { AttackName, AttackParams, AttackFacts } from './attacker.js';

/**
 * Runs an attack in a child process. The attackers' own work (thousands of sockets, request building,
 * response parsing) would otherwise share the server's event loop and be measured as the server's latency;
 * in a child at the lowest priority they barely compete for the CPU either. The
 * child runs TypeScript through tsx, as this process does under vitest or `tsx bench/...`.
 */
export interface AttackerRun<N extends AttackName> {
  /** Resolves when the child reports `stage` (multi-step attacks: the hub restart waits for "connected"). */
  stage(name: string): Promise<void>;
  /** Tells a waiting child to go on to its next step. */
  proceed(): void;
  done: Promise<AttackFacts[N]>;
}

export function runInAttacker<N extends AttackName>(name: N, params: AttackParams[N]): AttackerRun<N> {
  const child = fork(fileURLToPath(new URL('./attacker.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  // Lowest priority: a real attacker's CPU is on another machine; here the server must not have to share its
  // cores with the attacker's request building, or the bench measures the attacker's load, not the server's.
  try {
    if (child.pid !== undefined) setPriority(child.pid, 19);
  } catch {
    // not permitted here: the figures then include the attacker's own CPU use
  }
  const stages = new Map<string, () => void>();
  const reached = new Set<string>();
  const done = new Promise<AttackFacts[N]>((resolve, reject) => {
    child.on('message', (m: { type: 'stage'; stage: string } | { type: 'done'; facts: AttackFacts[N] } | { type: 'failed'; error: string }) => {
      if (m.type === 'stage') {
        reached.add(m.stage);
        stages.get(m.stage)?.();
      } else if (m.type === 'done') resolve(m.facts);
      else reject(new Error(`attacker ${name} failed: ${m.error}`));
    });
    child.on('exit', (code) => reject(new Error(`attacker ${name} exited with ${code} before reporting`)));
  });
  child.send({ type: 'run', name, params });
  return {
    stage: (s) => (reached.has(s) ? Promise.resolve() : new Promise<void>((r) => stages.set(s, r))),
    proceed: () => child.send({ type: 'proceed' }),
    done: done.finally(() => {
      if (child.exitCode === null) child.kill();
    }),
  };
}

/** One-step attacks: start, wait for the facts. */
export function attackFromChild<N extends AttackName>(name: N, params: AttackParams[N]): Promise<AttackFacts[N]> {
  return runInAttacker(name, params).done;
}
