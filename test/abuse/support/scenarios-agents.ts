import { runInAttacker } from './attacker-process.js';
import { scenario, legitimateJobs } from './scenario.js';
import { LEGIT_AGENT } from './target.js';

/**
 * A hub restart with a fleet connected: every agent is told to come back later and does, all at once but
 * for its backoff's jitter. The server must stay responsive while they pour back in, and the legitimate
 * agent must be back and working. The fleet runs in the attacker's process (real ProbeAgent clients).
 */
export const reconnectStormScenario = scenario(
  'reconnect-storm',
  {
    full: { describe: '1,000 agents reconnecting after a hub restart', agents: 1000 },
    test: { describe: '100 agents reconnecting after a hub restart', agents: 100 },
  },
  {},
  async (t, s, control) => {
    const agents = await Promise.all(
      Array.from({ length: s.agents }, async (_, i) => ({ name: `fleet-${i}`, token: await t.token(`fleet-${i}`) })),
    );
    const storm = runInAttacker('reconnect-storm', { wsUrl: t.wsUrl, agents, timeoutMs: 60_000 });
    await storm.stage('connected');
    const before = t.server.hub.onlineCount;
    // Down on purpose: /healthz is not sampled while no server listens.
    control.pauseHealthz();
    await t.restart();
    control.resumeHealthz();
    const restartedAt = performance.now();
    storm.proceed();
    // The on-call engineer's jobs, as soon as the legitimate agent is back, until the fleet is.
    let fleetBack = false;
    const legit = (async () => {
      while (!t.server.hub.isOnline(LEGIT_AGENT) && !fleetBack) await new Promise((r) => setTimeout(r, 20));
      return legitimateJobs(t, () => fleetBack);
    })();
    // Counted on the hub, while the child keeps its agents connected.
    await storm.stage('back');
    while (t.server.hub.onlineCount < before && performance.now() - restartedAt < 10_000) await new Promise((r) => setTimeout(r, 20));
    const allBackMs = performance.now() - restartedAt;
    const after = t.server.hub.onlineCount;
    fleetBack = true;
    storm.proceed();
    const [f, tally] = await Promise.all([storm.done, legit]);
    return {
      facts: { ...f, onlineBefore: before, onlineAfter: after, allBackMs },
      legit: tally,
      note: `${before} online before, ${after} after, all back ${Math.round(allBackMs)} ms after the restart (agents saw first ${Math.round(f.firstBackMs)}, last ${Math.round(f.lastBackMs)} ms)`,
    };
  },
  { legitJobs: false },
);
