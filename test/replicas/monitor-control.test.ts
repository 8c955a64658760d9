import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Pinger } from '../../src/agents/keepalive-monitor.js';
import { Replicas } from '../../src/replicas/index.js';
import { MONITOR_CONTROL_WAIT_MS } from '../../src/replicas/remote-jobs.js';
import { Store } from '../../src/store/index.js';
import { captureLogger, registerAgent, startAgent, startHub, waitFor, type TestHub } from '../agents/helpers.js';
import { createTestDatabase, hasPostgres } from '../support/postgres-db.js';

/**
 * Keep-alive start/stop asked on replica B for an agent whose socket replica A holds: relayed over the
 * replicas' bus like a job, and it reaches the agent. Real hubs, a real agent over WebSocket, real PostgreSQL.
 */
describe.skipIf(!hasPostgres())('keep-alive control across replicas', () => {
  let url: string;
  const cleanups: (() => Promise<unknown>)[] = [];
  beforeAll(() => {
    url = createTestDatabase('monitorctl');
  });
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function replica(label: string): Promise<TestHub & { replicas: Replicas }> {
    const store = await Store.open(url, { postgres: { max: 2 } });
    const replicas = await Replicas.start({ connectionString: url, label, log: captureLogger().log, beatMs: 100, expiryMs: 1000 });
    const h = await startHub({ store, replicas });
    cleanups.push(
      () => store.close(),
      () => replicas.stop(),
      () => h.close(),
    );
    return { ...h, replicas };
  }

  it('reaches an agent held by the other replica; false for one without a monitor, or held by nobody', async () => {
    const a = await replica('a:1');
    const b = await replica('b:1');
    const ping: Pinger = async () => ({ ok: true, rttMs: 1 });
    const withMonitor = startAgent(a.url, await registerAgent(a.store, 'lan-1'), 'lan-1', {
      keepalive: { target: '127.0.0.2', intervalMs: 50, ping },
    });
    const without = startAgent(a.url, await registerAgent(a.store, 'lan-2'), 'lan-2');
    cleanups.push(
      () => withMonitor.agent.stop({ timeoutMs: 100 }),
      () => without.agent.stop({ timeoutMs: 100 }),
    );
    await Promise.all([withMonitor.agent.whenOnline(), without.agent.whenOnline()]);
    for (const agent of ['lan-1', 'lan-2'])
      await waitFor(async () => (await b.replicas.remoteHolder(agent)) === a.replicas.id, 3000, `${agent} seen on b`);

    const switched = () => withMonitor.lines.filter((l) => l.msg === 'keep-alive monitor switched by the hub').map((l) => l.action);
    expect(await b.hub.controlMonitor('lan-1', 'stop')).toBe(true);
    await waitFor(() => switched().length === 1, 2000, 'the stop to reach the agent');
    expect(await b.hub.controlMonitor('lan-1', 'start')).toBe(true);
    await waitFor(() => switched().length === 2, 2000, 'the start to reach the agent');
    expect(switched()).toEqual(['stop', 'start']);

    expect(await b.hub.controlMonitor('lan-2', 'start')).toBe(false); // no keep-alive configured there
    expect(await b.hub.controlMonitor('nobody', 'start')).toBe(false);
    expect(switched()).toHaveLength(2);

    // Relayed to a replica that is not alive: false once the liveness watch sees it, well before the wait ends.
    const asked = Date.now();
    expect(await b.replicas.controlMonitor('gone01', 'lan-1', 'stop')).toBe(false);
    expect(Date.now() - asked).toBeLessThan(MONITOR_CONTROL_WAIT_MS);
  });
});
