import { pino } from 'pino';
import { ProbeAgent } from '../../../../src/agents/agent.js';
import { Allowlist } from '../../../../src/agents/allowlist.js';
import type { AttackControl } from '../attacker.js';
import { QuickExecutor } from '../quick-executor.js';

export interface StormFacts {
  agents: number;
  /** Time for all of them to come online the first time, and again after the hub restarted. */
  firstOnlineMs: number;
  backOnlineMs: number;
  /** How spread the reconnections were: when the first and the last came back, after the restart. */
  firstBackMs: number;
  lastBackMs: number;
  stillOffline: number;
}

/**
 * `agents` real probe agents (the agent's own client code, its reconnect backoff with jitter) connect; once
 * all are online the child says "connected" and waits; the parent restarts the hub and says go; the child
 * measures how long the whole fleet takes to come back, says "back", and stops the fleet at the parent's go.
 */
export async function reconnectStorm(
  p: { wsUrl: string; agents: { name: string; token: string }[]; timeoutMs: number },
  control: AttackControl,
): Promise<StormFacts> {
  const log = pino({ level: 'silent' });
  const fleet = p.agents.map(
    ({ name, token }) =>
      new ProbeAgent({
        hubUrl: p.wsUrl,
        token,
        name,
        allowlist: Allowlist.parse(['127.0.0.0/8']),
        executor: new QuickExecutor(),
        selfTest: { icmp: 'system', traceroute: false },
        log,
        maxConcurrency: 2,
      }),
  );
  const t0 = performance.now();
  for (const a of fleet) a.start();
  await Promise.all(fleet.map((a) => a.whenOnline()));
  const firstOnlineMs = performance.now() - t0;
  control.stage('connected');
  await control.proceed();
  // The hub is back: from now on, when does each agent get its welcome again?
  const t1 = performance.now();
  const back: number[] = [];
  await Promise.race([
    Promise.all(fleet.map((a) => a.whenOnline().then(() => back.push(performance.now() - t1)))),
    new Promise((r) => setTimeout(r, p.timeoutMs)),
  ]);
  // Stay connected until the parent has counted the fleet on the hub (it says when).
  control.stage('back');
  await control.proceed();
  const facts: StormFacts = {
    agents: fleet.length,
    firstOnlineMs,
    backOnlineMs: performance.now() - t1,
    firstBackMs: Math.min(...back),
    lastBackMs: Math.max(...back),
    stillOffline: fleet.length - back.length,
  };
  await Promise.all(fleet.map((a) => a.stop({ timeoutMs: 200 })));
  return facts;
}
