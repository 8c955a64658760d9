import { afterEach, describe, expect, it } from 'vitest';
import { AgentUnavailableError } from '../../../src/agents/hub.js';
import { registerAgent, requester, startAgent, startHub, waitFor } from '../helpers.js';

/**
 * The registry is the one place that decides whether an agent may take jobs, revocation included. A token
 * revoked by `agents revoke` (another process: here, straight in the store) must stop jobs at once, not
 * at the next heartbeat, whichever way the hub is asked.
 */
describe('agent registry: revocation takes effect wherever the hub looks', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function connected(name: string) {
    // A long heartbeat, so only the registry's own check can notice the revocation during the test.
    const h = await startHub({ heartbeatMs: 60_000 });
    cleanups.push(() => h.close());
    const { agent } = startAgent(h.url, await registerAgent(h.store, name), name);
    cleanups.push(() => agent.stop({ timeoutMs: 100 }));
    await agent.whenOnline();
    return h;
  }

  it('a job for an agent revoked while connected is refused before its audit row, and the agent is dropped', async () => {
    const h = await connected('lan-1');
    await h.store.agents.revoke('lan-1');
    let err: unknown;
    try {
      await h.hub.dispatch('lan-1', {
        probe: 'tcp',
        params: { target: '127.0.0.1', port: 1 },
        deadlineMs: 500,
        target: '127.0.0.1:1',
        requestedBy: requester,
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AgentUnavailableError);
    expect(err).toMatchObject({ reason: 'revoked', agent: 'lan-1' });
    expect(await h.store.audit.recent()).toEqual([]);
    await waitFor(() => h.hub.onlineCount === 0, 2000, 'revoked agent dropped');
  });

  it('a revoked agent is not offered as online, and is dropped when the list is asked for', async () => {
    const h = await connected('lan-2');
    expect(await h.hub.onlineNames()).toEqual(['lan-2']);
    await h.store.agents.revoke('lan-2');
    expect(await h.hub.onlineNames()).toEqual([]);
    await waitFor(() => h.hub.onlineCount === 0, 2000, 'revoked agent dropped');
    await expect(h.hub.assertAvailable('lan-2')).rejects.toThrow(/revoked/);
  });
});
