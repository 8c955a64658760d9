import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProbeAgent } from '../../src/agents/agent.js';
import { Allowlist } from '../../src/agents/allowlist.js';
import { CatalogueExecutor } from '../../src/agents/catalogue-executor.js';
import { AgentUnavailableError } from '../../src/agents/hub.js';
import type { Pinger } from '../../src/agents/keepalive-monitor.js';
import { MAX_MESSAGE_BYTES, PROTOCOL_VERSION } from '../../src/agents/protocol.js';
import { Store } from '../../src/store/index.js';
import { FakeExecutor, registerAgent, requester, startAgent, startHub, waitFor, type TestHub } from './helpers.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function hubWithAgents(names: string[], options: Parameters<typeof startHub>[0] = {}) {
  const h = await startHub(options);
  cleanups.push(() => h.close());
  const agents: ProbeAgent[] = [];
  for (const name of names) {
    const { agent } = startAgent(h.url, await registerAgent(h.store, name), name);
    cleanups.push(() => agent.stop({ timeoutMs: 500 }));
    agents.push(agent);
  }
  await Promise.all(agents.map((a) => a.whenOnline()));
  return { h, agents };
}

const job = (overrides: Record<string, unknown> = {}) => ({
  probe: 'tcp',
  params: { target: '127.0.0.1', port: 9 },
  deadlineMs: 2000,
  target: '127.0.0.1:9',
  requestedBy: requester,
  ...overrides,
});

function rawSocket(
  h: TestHub,
  token: string | null,
): Promise<{ ws: WebSocket; closed: Promise<{ code: number; reason: string }>; status?: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(h.url, token ? { headers: { Authorization: `Bearer ${token}` } } : {});
    const closed = new Promise<{ code: number; reason: string }>((r) =>
      ws.on('close', (code, reason) => r({ code, reason: reason.toString() })),
    );
    ws.on('open', () => resolve({ ws, closed }));
    ws.on('unexpected-response', (_req, res) => {
      resolve({ ws, closed, status: res.statusCode! });
      ws.terminate();
    });
    ws.on('error', (e) => reject(e));
  });
}

const hello = (name: string) =>
  JSON.stringify({
    type: 'hello',
    protocol: PROTOCOL_VERSION,
    name,
    version: 'test',
    bootId: 'boot-1',
    capabilities: { icmp: 'none', traceroute: false, probes: ['tcp'], allow: [], maxConcurrency: 1, keepalive: null, platform: 'test' },
  });

describe('hub with several agents', () => {
  it('registers each agent with its capabilities and runs jobs on the right one', async () => {
    const { h } = await hubWithAgents(['lan-1', 'lan-2', 'lan-3']);
    expect(await h.hub.onlineNames()).toEqual(['lan-1', 'lan-2', 'lan-3']);
    const list = await h.hub.list();
    expect(list.every((a) => a.online && a.capabilities?.icmp === 'system' && a.version)).toBe(true);
    expect(list[0]!.capabilities?.allow).toEqual(['127.0.0.0/8']);

    const outcomes = await Promise.all(
      ['lan-1', 'lan-2', 'lan-3', 'lan-2'].map((n, i) => h.hub.dispatch(n, job({ params: { target: '127.0.0.1', port: i + 1 } }))),
    );
    expect(outcomes.map((o) => [o.agent, o.status, (o.result as { echo: { port: number } }).echo.port])).toEqual([
      ['lan-1', 'ok', 1],
      ['lan-2', 'ok', 2],
      ['lan-3', 'ok', 3],
      ['lan-2', 'ok', 4],
    ]);
    const rows = await h.store.audit.recent();
    expect(rows).toHaveLength(4);
    expect(
      rows.every(
        (r) => r.status === 'ok' && r.requestedBy === 'tester' && r.platform === 'test' && r.channel === 'c1' && r.durationMs !== null,
      ),
    ).toBe(true);
    expect((await h.store.agents.byName('lan-1'))?.online).toBe(true);
  });

  it('refuses jobs for unknown, offline and revoked agents without writing audit rows', async () => {
    const { h } = await hubWithAgents(['lan-1']);
    await registerAgent(h.store, 'sleeping');
    await registerAgent(h.store, 'gone');
    await h.store.agents.revoke('gone');
    await expect(h.hub.dispatch('nope', job())).rejects.toThrow(AgentUnavailableError);
    await expect(h.hub.dispatch('sleeping', job())).rejects.toThrow(/offline/);
    await expect(h.hub.dispatch('gone', job())).rejects.toThrow(/revoked/);
    await expect(h.hub.dispatch('lan-1', job({ probe: 'nmap' }))).rejects.toThrow(/does not run nmap/);
    expect(await h.store.audit.count()).toBe(0);
  });
});

describe('authentication', () => {
  it('refuses a missing, malformed, wrong or revoked token at the upgrade with 401', async () => {
    const h = await startHub();
    cleanups.push(() => h.close());
    const revoked = await registerAgent(h.store, 'old');
    await h.store.agents.revoke('old');
    for (const token of [null, 'garbage', 'vpd_' + 'A'.repeat(43), revoked]) {
      const s = await rawSocket(h, token);
      expect(s.status, String(token)).toBe(401);
    }
    expect(h.lines.filter((l) => l.msg === 'agent connection refused')).toHaveLength(4);
  });

  it('the agent keeps retrying (with backoff) after a refused token and never comes online', async () => {
    const h = await startHub();
    cleanups.push(() => h.close());
    const { agent, lines } = startAgent(h.url, 'vpd_' + 'B'.repeat(43), 'lan-1');
    cleanups.push(() => agent.stop());
    await waitFor(() => lines.some((l) => String(l.reason).includes('refused the token')), 3000, 'refusal logged');
    expect(agent.state).not.toBe('online');
    expect(h.hub.onlineCount).toBe(0);
  });

  it('a token only works for its own agent name', async () => {
    const h = await startHub();
    cleanups.push(() => h.close());
    const token = await registerAgent(h.store, 'lan-1');
    const s = await rawSocket(h, token);
    s.ws.send(hello('lan-2'));
    expect((await s.closed).code).toBe(4010); // CloseCode.nameMismatch: permanent, the agent stops
    expect(h.lines.some((l) => String(l.reason).includes('belongs to agent "lan-1"'))).toBe(true);
  });

  it('revoking a connected agent drops it at its next heartbeat', async () => {
    const { h, agents } = await hubWithAgents(['lan-1'], { heartbeatMs: 100 });
    await h.store.agents.revoke('lan-1');
    await waitFor(() => h.hub.onlineCount === 0, 3000, 'revoked agent dropped');
    expect(h.lines.some((l) => l.reason === 'agent token revoked')).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.hub.onlineCount).toBe(0);
    expect(agents[0]!.state).not.toBe('online');
  });

  it('a job for an agent revoked a moment ago is refused at dispatch, before its next heartbeat, and the agent is dropped', async () => {
    // Heartbeats far apart: only the dispatch-time check can notice the revocation.
    const { h } = await hubWithAgents(['lan-1', 'lan-2'], { heartbeatMs: 60_000 });
    await h.store.agents.revoke('lan-1'); // as `vpn-doctor agents revoke` does, from another process
    await expect(h.hub.assertAvailable('lan-1')).rejects.toThrow(/revoked/);
    await expect(h.hub.dispatch('lan-1', job())).rejects.toThrow(AgentUnavailableError);
    expect(await h.store.audit.count()).toBe(0);
    expect(h.hub.isOnline('lan-1')).toBe(false);
    expect(h.lines.some((l) => l.agent === 'lan-1' && l.reason === 'agent token revoked')).toBe(true);
    // Revoked and re-added (a new token): the connection with the old token still does not get jobs.
    await h.store.agents.revoke('lan-2');
    await registerAgent(h.store, 'lan-2');
    await expect(h.hub.dispatch('lan-2', job())).rejects.toThrow(/revoked/);
    expect(await h.store.audit.count()).toBe(0);
  });

  it('a revoked agent is never offered as "the only agent online"', async () => {
    const { h } = await hubWithAgents(['lan-1', 'lan-2'], { heartbeatMs: 60_000 });
    expect(await h.hub.onlineNames()).toEqual(['lan-1', 'lan-2']);
    await h.store.agents.revoke('lan-2');
    expect(await h.hub.onlineNames()).toEqual(['lan-1']);
    expect(h.hub.isOnline('lan-2')).toBe(false);
  });
});

describe('the agent enforces its own allowlist', () => {
  it('refuses a job outside its allowlist even though the hub sent it', async () => {
    const h = await startHub();
    cleanups.push(() => h.close());
    const allowlist = Allowlist.parse(['10.0.0.0/8:443']);
    const { agent } = startAgent(h.url, await registerAgent(h.store, 'lan-1'), 'lan-1', {
      allowlist,
      executor: new CatalogueExecutor(allowlist),
    });
    cleanups.push(() => agent.stop());
    await agent.whenOnline();
    for (const [params, why] of [
      [{ target: '192.168.1.1', port: 443 }, 'outside'],
      [{ target: '10.0.0.1', port: 22 }, 'outside'],
      [{ target: '127.0.0.1', port: 443 }, 'loopback'],
      [{ target: '$(id)', port: 443 }, 'not an IP address or host name'],
    ] as const) {
      const out = await h.hub.dispatch('lan-1', job({ params }));
      expect(out.status).toBe('refused');
      expect(out.error?.message).toContain(why);
    }
    expect((await h.store.audit.recent()).map((r) => r.status)).toEqual(['refused', 'refused', 'refused', 'refused']);
  });
});

describe('deadlines and disconnects', () => {
  it('an agent killed mid-job fails the job at once with "agent disconnected", well within its deadline', async () => {
    const h = await startHub();
    cleanups.push(() => h.close());
    const token = await registerAgent(h.store, 'lan-kill');
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./fixtures/agent-process.ts', import.meta.url))], {
      env: {
        ...process.env,
        VPN_DOCTOR_HUB: h.url,
        VPN_DOCTOR_AGENT_TOKEN: token,
        VPN_DOCTOR_AGENT_NAME: 'lan-kill',
        FAKE_JOB_MS: '60000',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    cleanups.push(() => child.kill('SIGKILL'));
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => d.toString().includes('online') && resolve());
      child.on('exit', () => reject(new Error('agent process exited')));
    });
    const started = Date.now();
    const pending = h.hub.dispatch('lan-kill', job({ deadlineMs: 20_000 }));
    await waitFor(async () => (await h.hub.list())[0]!.runningJobs === 1, 3000, 'job running');
    await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGKILL');
    const out = await pending;
    expect(out).toMatchObject({ status: 'disconnected', error: { message: 'agent disconnected' } });
    expect(Date.now() - started).toBeLessThan(5000);
    expect((await h.store.audit.recent())[0]).toMatchObject({ status: 'disconnected', detail: 'agent disconnected' });
  });

  it('an agent that acknowledges and never answers: the job times out at its deadline and is cancelled', async () => {
    const h = await startHub({ deadlineGraceMs: 100 });
    cleanups.push(() => h.close());
    const executor = new FakeExecutor({ hang: true });
    const { agent } = startAgent(h.url, await registerAgent(h.store, 'lan-1'), 'lan-1', { executor });
    cleanups.push(() => agent.stop({ timeoutMs: 100 }));
    await agent.whenOnline();
    const started = Date.now();
    const out = await h.hub.dispatch('lan-1', job({ deadlineMs: 300 }));
    const took = Date.now() - started;
    expect(out.status).toBe('timeout');
    expect(took).toBeGreaterThanOrEqual(390);
    expect(took).toBeLessThan(1500);
    // The agent also gave the slot back at its own deadline.
    await waitFor(() => agent.runningJobs === 0, 2000, 'agent slot freed');
    expect((await h.store.audit.recent())[0]?.status).toBe('timeout');
  });

  it('a silent connection (no heartbeats) is dropped and its jobs fail', async () => {
    const h = await startHub({ heartbeatMs: 100 });
    cleanups.push(() => h.close());
    const s = await rawSocket(h, await registerAgent(h.store, 'mute'));
    s.ws.send(hello('mute'));
    await waitFor(() => h.hub.isOnline('mute'), 2000, 'online');
    const out = await h.hub.dispatch('mute', job({ deadlineMs: 10_000 }));
    expect(out.status).toBe('disconnected');
    expect((await s.closed).code).toBe(4009);
  });

  it('sends an agent no more than its advertised concurrency, queues as many, and refuses beyond as busy', async () => {
    const h = await startHub();
    cleanups.push(() => h.close());
    const executor = new FakeExecutor({ delayMs: 100 });
    const { agent } = startAgent(h.url, await registerAgent(h.store, 'lan-1'), 'lan-1', { executor, maxConcurrency: 2, maxQueued: 0 });
    cleanups.push(() => agent.stop());
    await agent.whenOnline();
    const started = Date.now();
    const other = { ...requester, user: 'someone-else' };
    // Two run, one of the same caller waits (a caller may hold half of the waiting places), another caller's waits.
    const running = [
      ...Array.from({ length: 3 }, () => h.hub.dispatch('lan-1', job())),
      h.hub.dispatch('lan-1', job({ requestedBy: other })),
    ];
    // Beyond: the queue is full for everyone.
    await expect(h.hub.dispatch('lan-1', job())).rejects.toThrow(expect.objectContaining({ reason: 'busy' }));
    await expect(h.hub.dispatch('lan-1', job({ requestedBy: other }))).rejects.toThrow(expect.objectContaining({ reason: 'busy' }));
    const outs = await Promise.all(running);
    // The agent (which queues nothing itself here) never had to refuse: the hub held the extra two.
    expect(outs.map((o) => o.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
    // 4 jobs of 100 ms, 2 at a time: about 200 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });
});

describe('malformed and oversized agent messages', () => {
  it.each([
    ['not JSON', '{"type":', 4002, 'not JSON'],
    ['unknown type', JSON.stringify({ type: 'exec', cmd: 'id' }), 4002, 'malformed message'],
    ['bad field', JSON.stringify({ type: 'ack', jobId: '../../etc' }), 4002, 'jobId'],
    ['binary', Buffer.from([1, 2, 3]), 1003, 'binary'],
  ] as const)('%s: only that connection is closed, with a logged reason', async (_what, payload, code, reason) => {
    const { h } = await hubWithAgents(['good']);
    const s = await rawSocket(h, await registerAgent(h.store, 'bad'));
    s.ws.send(hello('bad'));
    await waitFor(() => h.hub.isOnline('bad'), 2000, 'bad online');
    s.ws.send(payload, { binary: Buffer.isBuffer(payload) });
    expect((await s.closed).code).toBe(code);
    expect(h.lines.some((l) => l.agent === 'bad' && String(l.reason).includes(reason))).toBe(true);
    expect(await h.hub.onlineNames()).toEqual(['good']);
    expect((await h.hub.dispatch('good', job())).status).toBe('ok');
  });

  it('a message before hello closes the connection', async () => {
    const h = await startHub();
    cleanups.push(() => h.close());
    const s = await rawSocket(h, await registerAgent(h.store, 'rude'));
    s.ws.send(JSON.stringify({ type: 'heartbeat', running: 0, monitor: 'off' }));
    expect((await s.closed).code).toBe(4002);
  });

  it('an oversized frame is cut off by the size limit (1009) and logged; the hub carries on', async () => {
    const { h } = await hubWithAgents(['good']);
    const s = await rawSocket(h, await registerAgent(h.store, 'big'));
    s.ws.send(hello('big'));
    await waitFor(() => h.hub.isOnline('big'), 2000, 'big online');
    s.ws.send(JSON.stringify({ type: 'progress', jobId: 'j', text: 'x'.repeat(MAX_MESSAGE_BYTES) }));
    expect((await s.closed).code).toBe(1009);
    await waitFor(
      () => h.lines.some((l) => l.agent === 'big' && /payload length|Max payload/i.test(String(l.reason))),
      2000,
      'size reason logged',
    );
    expect(await h.hub.onlineNames()).toEqual(['good']);
    expect((await h.hub.dispatch('good', job())).status).toBe('ok');
  });

  it('a flood of messages is cut off by the rate limit', async () => {
    const { h } = await hubWithAgents([], { maxMessagesPerSecond: 50 });
    const s = await rawSocket(h, await registerAgent(h.store, 'flood'));
    s.ws.send(hello('flood'));
    for (let i = 0; i < 500; i++) s.ws.send(JSON.stringify({ type: 'heartbeat', running: 0, monitor: 'off' }));
    expect((await s.closed).code).toBe(4008);
  });

  it('a second connection of the same agent replaces the first', async () => {
    const { h } = await hubWithAgents([]);
    const token = await registerAgent(h.store, 'twin');
    const a = await rawSocket(h, token);
    a.ws.send(hello('twin'));
    await waitFor(() => h.hub.isOnline('twin'), 2000, 'first online');
    const b = await rawSocket(h, token);
    b.ws.send(hello('twin'));
    expect((await a.closed).code).toBe(4004);
    expect(h.hub.onlineCount).toBe(1);
    b.ws.close();
  });
});

describe('hub restart', () => {
  it('agents reconnect, no audit row is lost, and a job that finished meanwhile is completed late', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vpn-doctor-hub-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const dbPath = join(dir, 'hub.db');
    let store = await Store.open(dbPath);
    let h = await startHub({ store });
    const port = h.port;
    const tokens = await Promise.all(['lan-1', 'lan-2'].map((n) => registerAgent(store, n)));
    const fast = startAgent(h.url, tokens[0]!, 'lan-1').agent;
    const slow = startAgent(h.url, tokens[1]!, 'lan-2', { executor: new FakeExecutor({ delayMs: 400 }) }).agent;
    cleanups.push(
      () => fast.stop({ timeoutMs: 200 }),
      () => slow.stop({ timeoutMs: 1000 }),
    );
    await Promise.all([fast.whenOnline(), slow.whenOnline()]);

    await Promise.all([h.hub.dispatch('lan-1', job()), h.hub.dispatch('lan-2', job())]);
    const inflight = h.hub.dispatch('lan-2', job({ deadlineMs: 5000 }));
    await waitFor(async () => (await h.hub.list()).some((a) => a.runningJobs === 1), 2000, 'job in flight');
    await h.close();
    await store.close();
    expect((await inflight).status).toBe('interrupted');

    store = await Store.open(dbPath);
    h = await startHub({ store, port });
    cleanups.push(
      () => h.close(),
      () => store.close(),
    );
    await waitFor(() => h.hub.onlineCount === 2, 5000, 'both agents back');
    await Promise.all([h.hub.dispatch('lan-1', job()), h.hub.dispatch('lan-2', job())]);

    const rows = await store.audit.recent();
    expect(rows).toHaveLength(5);
    // The job cut by the restart finished on the agent; its result came with the reconnect.
    await waitFor(async () => (await store.audit.recent()).every((r) => r.status === 'ok'), 3000, 'late result recorded');
    const late = (await store.audit.recent()).find((r) => r.detail?.includes('after a reconnect'));
    expect(late).toBeDefined();
  });
});

describe('buffering while the hub is unreachable', () => {
  it('monitor events are kept (bounded) while the hub is down and flushed on reconnect', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vpn-doctor-buf-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const dbPath = join(dir, 'hub.db');
    let store = await Store.open(dbPath);
    const ingested: string[] = [];
    const sink = { ingest: (agent: string, events: { kind: string }[]) => void ingested.push(...events.map((e) => `${agent}:${e.kind}`)) };
    let h = await startHub({ store, monitor: sink });
    const port = h.port;
    let reply = true;
    const ping: Pinger = async () => ({ ok: reply, rttMs: reply ? 1 : null });
    const { agent } = startAgent(h.url, await registerAgent(store, 'lan-1'), 'lan-1', {
      keepalive: { target: '127.0.0.2', intervalMs: 20, ping, downAfter: 2, upAfter: 2 },
      eventBuffer: 3,
    });
    cleanups.push(() => agent.stop({ timeoutMs: 100 }));
    await agent.whenOnline();
    await waitFor(() => ingested.includes('lan-1:up'), 2000, 'first up delivered');

    await h.close();
    await store.close();
    await waitFor(() => agent.state !== 'online', 2000, 'agent noticed');
    // Flap the tunnel while the hub is away: more transitions than the buffer holds.
    for (let i = 0; i < 3; i++) {
      reply = false;
      await waitFor(() => agent.tunnelState === 'down', 2000, 'down');
      reply = true;
      await waitFor(() => agent.tunnelState === 'up', 2000, 'up');
    }
    expect(agent.buffered.events).toBe(3);
    expect(agent.buffered.droppedEvents).toBe(3);

    store = await Store.open(dbPath);
    const before = ingested.length;
    h = await startHub({ store, port, monitor: sink });
    cleanups.push(
      () => h.close(),
      () => store.close(),
    );
    await waitFor(() => ingested.length >= before + 3, 5000, 'buffer flushed');
    expect(agent.buffered.events).toBe(0);
    // The newest transitions survive: down, up, down... ending with the current state.
    expect(ingested.slice(before).at(-1)).toBe('lan-1:up');
  });
});

describe('draining on SIGTERM', () => {
  it('finishes running jobs and delivers their results, refusing new ones', async () => {
    const h = await startHub();
    cleanups.push(() => h.close());
    const { agent } = startAgent(h.url, await registerAgent(h.store, 'lan-1'), 'lan-1', { executor: new FakeExecutor({ delayMs: 300 }) });
    await agent.whenOnline();
    const running = h.hub.dispatch('lan-1', job());
    await waitFor(() => agent.runningJobs === 1, 2000, 'running');
    const stopping = agent.stop({ timeoutMs: 5000 });
    await waitFor(() => !h.hub.isOnline('lan-1'), 2000, 'hub saw bye');
    await expect(h.hub.dispatch('lan-1', job())).rejects.toThrow(/shutting down/);
    expect((await running).status).toBe('ok');
    await stopping;
    await waitFor(() => h.hub.onlineCount === 0, 2000, 'closed');
  });
});
