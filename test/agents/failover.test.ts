import { afterEach, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/index.js';
import { registerAgent, requester, startAgent, startHub, waitFor, type TestHub } from './helpers.js';

/**
 * An agent given several hub URLs (the replicas of one hub) fails over between them: a dead URL is skipped,
 * and when the hub it is on goes away it comes back on another one, with the usual jittered backoff.
 */
describe('agent failover between hub URLs', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function twoHubs(): Promise<{ store: Store; a: TestHub; b: TestHub; token: string }> {
    const store = await Store.open(':memory:');
    const a = await startHub({ store });
    const b = await startHub({ store });
    cleanups.push(
      () => store.close(),
      () => a.close(),
      () => b.close(),
    );
    return { store, a, b, token: await registerAgent(store, 'lan-1') };
  }

  it('skips a URL nothing listens on and connects to the next', async () => {
    const { b, token } = await twoHubs();
    // A port that was just closed: connection refused.
    const dead = await startHub();
    const deadUrl = dead.url;
    await dead.close();
    const { agent, lines } = startAgent([deadUrl, b.url], token, 'lan-1');
    cleanups.push(() => agent.stop({ timeoutMs: 200 }));
    await agent.whenOnline();
    expect(agent.hubUrl).toBe(b.url);
    expect(b.hub.isOnline('lan-1')).toBe(true);
    expect(lines.some((l) => l.msg === 'disconnected from the hub' && l.hub === deadUrl && l.next === b.url)).toBe(true);
  });

  it('moves to the other hub when its hub stops, and takes jobs there', async () => {
    const { a, b, token } = await twoHubs();
    const { agent } = startAgent([a.url, b.url], token, 'lan-1');
    cleanups.push(() => agent.stop({ timeoutMs: 200 }));
    await agent.whenOnline();
    expect(agent.hubUrl).toBe(a.url);
    const stoppedAt = Date.now();
    await a.close();
    await waitFor(() => b.hub.isOnline('lan-1'), 5000, 'agent on the second hub');
    // Backoff of the helpers: 50 ms doubling, capped at 200 ms; the first retry goes to the other URL.
    expect(Date.now() - stoppedAt).toBeLessThan(2000);
    const outcome = await b.hub.dispatch('lan-1', {
      probe: 'tcp',
      params: { host: '127.0.0.1', port: 1 },
      deadlineMs: 2000,
      target: '127.0.0.1:1',
      requestedBy: requester,
    });
    expect(outcome.status).toBe('ok');
  });

  it('one URL (a load balancer) keeps reconnecting to that URL', async () => {
    const { a, token } = await twoHubs();
    const port = a.port;
    const { agent } = startAgent(a.url, token, 'lan-1');
    cleanups.push(() => agent.stop({ timeoutMs: 200 }));
    await agent.whenOnline();
    await a.close();
    const again = await startHub({ store: a.store, port });
    cleanups.push(() => again.close());
    await waitFor(() => again.hub.isOnline('lan-1'), 5000, 'agent back on the same URL');
    expect(agent.hubUrl).toBe(a.url);
  });
});
