import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AgentUnavailableError, type JobOutcome, type JobRequest } from '../../src/agents/hub/types.js';
import { HUB_RESULT_GRACE_MS, REPLICA_RELAY_MS } from '../../src/probes/deadlines.js';
import { NOTIFY_PAYLOAD_LIMIT, Replicas } from '../../src/replicas/index.js';
import { captureLogger, waitFor } from '../agents/helpers.js';
import { createTestDatabase, hasPostgres } from '../support/postgres-db.js';

/**
 * Two replicas in one process, each with its own connections to one real PostgreSQL: presence, the
 * LISTEN/NOTIFY bus (large messages through a row) and jobs relayed to the replica holding the agent.
 */
describe.skipIf(!hasPostgres())('replicas over PostgreSQL', () => {
  let url: string;
  let admin: pg.Pool;
  const started: Replicas[] = [];
  beforeAll(() => {
    url = createTestDatabase('replicas');
    admin = new pg.Pool({ connectionString: url, max: 2 });
  });
  afterEach(async () => {
    for (const r of started.splice(0)) await r.stop();
  });
  afterAll(() => admin.end());

  async function replica(
    label: string,
    dispatch?: (agent: string, req: JobRequest) => Promise<JobOutcome>,
    timing: { beatMs: number; expiryMs: number } = { beatMs: 100, expiryMs: 1000 },
  ) {
    const { log, lines } = captureLogger();
    const r = await Replicas.start({ connectionString: url, label, log, ...timing, watchMs: 50 });
    if (dispatch) r.serve(dispatch);
    started.push(r);
    return { r, lines };
  }

  const request = (over: Partial<JobRequest> = {}): JobRequest => ({
    probe: 'tcp',
    params: { host: '10.0.0.2', port: 443 },
    deadlineMs: 2000,
    target: '10.0.0.2:443',
    requestedBy: { user: 'u1', platform: 'slack', channel: 'C1' },
    checkId: 'check-1',
    ...over,
  });

  const ok = (agent: string, req: JobRequest, result: unknown = { echo: req.params }): JobOutcome => ({
    jobId: 'job-on-a',
    agent,
    probe: req.probe,
    status: 'ok',
    result,
    durationMs: 3,
  });

  it('presence: a claim is seen by the other replica, a release or a newer claim replaces it', async () => {
    const { r: a } = await replica('a');
    const { r: b } = await replica('b');
    await a.presence.claim('lan-1');
    expect(await b.remoteHolder('lan-1')).toBe(a.id);
    expect(await a.remoteHolder('lan-1')).toBeNull(); // its own
    await b.presence.claim('lan-1');
    await a.presence.release('lan-1'); // a's late release must not undo b's newer claim
    expect(await a.remoteHolder('lan-1')).toBe(b.id);
    expect((await a.presence.agents()).map((x) => [x.agent, x.label])).toEqual([['lan-1', 'b']]);
  });

  it('a replica whose connection dies is dead at once, and back once its bus reconnected', async () => {
    const { r: a } = await replica('a');
    const { r: b } = await replica('b');
    await a.presence.claim('lan-1');
    expect(await b.remoteHolder('lan-1')).toBe(a.id);
    // What kill -9 does to the replica's sessions: PostgreSQL sees the socket close (waits up to 2 s for the exit).
    await admin.query(`SELECT pg_terminate_backend(pid, 2000) FROM pg_stat_activity WHERE application_name = $1`, [
      `vpn-doctor vpnd_${a.id}`,
    ]);
    expect(await b.remoteHolder('lan-1')).toBeNull();
    let back = false;
    for (let i = 0; i < 100 && !back; i++) {
      back = (await b.remoteHolder('lan-1')) === a.id;
      if (!back) await new Promise((res) => setTimeout(res, 50));
    }
    expect(back).toBe(true);
  });

  it('a replica that stops beating (hung, connection still open) is dead at expiry', async () => {
    const { r: a } = await replica('a', undefined, { beatMs: 60_000, expiryMs: 2000 });
    const { r: b } = await replica('b');
    await a.presence.claim('lan-1');
    expect(await b.remoteHolder('lan-1')).toBe(a.id);
    await new Promise((res) => setTimeout(res, 2100));
    expect(await b.remoteHolder('lan-1')).toBeNull();
    expect((await b.presence.replicas()).map((x) => x.label)).toEqual(['b']);
  });

  it('relays a job and its progress, and a result larger than a notification', async () => {
    const big = { text: 'x'.repeat(NOTIFY_PAYLOAD_LIMIT * 3) };
    const { r: a } = await replica('a', async (agent, req) => {
      req.onProgress?.('step 1');
      await new Promise((res) => setTimeout(res, 30));
      return ok(agent, req, big);
    });
    const { r: b } = await replica('b');
    const progress: string[] = [];
    const outcome = await b.forward(a.id, 'lan-1', request({ onProgress: (t) => progress.push(t) }));
    expect(outcome).toMatchObject({ status: 'ok', jobId: 'job-on-a', agent: 'lan-1', probe: 'tcp', result: big });
    expect(progress).toEqual(['step 1']);
    // The large message's row was read once and deleted.
    expect((await admin.query('SELECT count(*)::int AS n FROM replica_payloads')).rows[0].n).toBe(0);
  });

  it('the holder passes on the request unchanged (deadline, requester, check) and a refusal as AgentUnavailableError', async () => {
    const seen: JobRequest[] = [];
    const { r: a } = await replica('a', (agent, req) => {
      seen.push(req);
      if (req.probe === 'dns') throw new AgentUnavailableError(`agent "${agent}" is busy: 4 jobs running`, 'busy', agent);
      return Promise.resolve(ok(agent, req));
    });
    const { r: b } = await replica('b');
    await b.forward(a.id, 'lan-1', request());
    expect(seen[0]).toMatchObject({
      deadlineMs: 2000,
      target: '10.0.0.2:443',
      requestedBy: { user: 'u1', platform: 'slack', channel: 'C1' },
      checkId: 'check-1',
    });
    const refused = b.forward(a.id, 'lan-1', request({ probe: 'dns' }));
    await expect(refused).rejects.toBeInstanceOf(AgentUnavailableError);
    await expect(refused).rejects.toMatchObject({ reason: 'busy', agent: 'lan-1', message: expect.stringContaining('busy') });
  });

  it('a job whose holder dies fails as disconnected at once, saying which replica went away', async () => {
    const ids: (string | undefined)[] = [];
    const { r: a } = await replica('a', (_agent, req) => {
      ids.push(req.jobId);
      return new Promise(() => {});
    });
    const { r: b } = await replica('b');
    const t0 = Date.now();
    const pending = b.forward(a.id, 'lan-1', request({ deadlineMs: 10_000 }));
    await new Promise((res) => setTimeout(res, 100));
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE $1`, [`vpn-doctor %${a.id}`]);
    await a.stop();
    started.splice(started.indexOf(a), 1);
    const outcome = await pending;
    expect(outcome.status).toBe('disconnected');
    expect(outcome.error?.message).toContain(`replica ${a.id}`);
    // The holder ran it under the relay's id: the requester knows which audit row to close.
    expect(ids).toEqual([outcome.jobId]);
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('a holder that never answers: the job times out just after the hub would have, and is cancelled there', async () => {
    let cancelled = false;
    const { r: a } = await replica('a', (_agent, req) => {
      req.signal?.addEventListener('abort', () => (cancelled = true));
      return new Promise(() => {});
    });
    const { r: b } = await replica('b');
    const t0 = Date.now();
    const outcome = await b.forward(a.id, 'lan-1', request({ deadlineMs: 200 }));
    const waited = Date.now() - t0;
    expect(outcome.status).toBe('timeout');
    expect(waited).toBeGreaterThanOrEqual(200 + HUB_RESULT_GRACE_MS + REPLICA_RELAY_MS - 20);
    expect(waited).toBeLessThan(200 + HUB_RESULT_GRACE_MS + REPLICA_RELAY_MS + 500);
    await waitFor(() => cancelled, 2000, 'cancel on the holder');
  });

  it('the requester cancelling reaches the holder', async () => {
    let cancelled = false;
    const { r: a } = await replica('a', (agent, req) => {
      return new Promise((resolve) => {
        req.signal?.addEventListener('abort', () => {
          cancelled = true;
          resolve({ ...ok(agent, req), status: 'cancelled' });
        });
      });
    });
    const { r: b } = await replica('b');
    const abort = new AbortController();
    const pending = b.forward(a.id, 'lan-1', request({ signal: abort.signal }));
    setTimeout(() => abort.abort(), 100);
    expect((await pending).status).toBe('cancelled');
    await waitFor(() => cancelled, 2000, 'cancel on the holder');
  });

  it('ignores malformed notifications', async () => {
    const { r: a, lines } = await replica('a', (agent, req) => Promise.resolve(ok(agent, req)));
    await admin.query('SELECT pg_notify($1, $2)', [`vpnd_${a.id}`, '{"type":"job","id":"../x"}']);
    await admin.query('SELECT pg_notify($1, $2)', [`vpnd_${a.id}`, 'not json']);
    await waitFor(() => lines.filter((l) => String(l.msg).includes('ignored')).length === 2, 2000, 'two ignored');
  });
});
