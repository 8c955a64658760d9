import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentHub } from '../../src/agents/hub.js';
import { Replicas } from '../../src/replicas/index.js';
import { Store } from '../../src/store/index.js';
import { captureLogger, waitFor } from '../agents/helpers.js';
import { createTestDatabase, hasPostgres } from '../support/postgres-db.js';

/**
 * Audit rows a replica's hub wrote for jobs still running when the replica died: two surviving replicas (real
 * hubs, real PostgreSQL) find it dead and close them once, as interrupted, naming it. The dead replica is the
 * state kill -9 leaves in the database: its node row with an old beat and a listening session that is gone.
 */
describe.skipIf(!hasPostgres())('jobs of a dead replica', () => {
  let url: string;
  let admin: pg.Pool;
  beforeAll(() => {
    url = createTestDatabase('deadreplica');
    admin = new pg.Pool({ connectionString: url, max: 2 });
  });
  afterAll(() => admin.end());

  const job = (id: string, replica: string | null) => ({
    id,
    requestedAt: Date.now(),
    requestedBy: 'u1',
    platform: 'slack',
    channel: 'C1',
    agent: 'lan-1',
    probe: 'tcp',
    target: '10.0.0.2:443',
    params: { host: '10.0.0.2', port: 443 },
    replica,
  });

  it('are interrupted by exactly one survivor, while a replica that still beats keeps its jobs', async () => {
    const survivors: { replicas: Replicas; hub: AgentHub; store: Store; lines: Record<string, unknown>[] }[] = [];
    for (const label of ['b:1', 'c:1']) {
      const { log, lines } = captureLogger();
      const store = await Store.open(url, { postgres: { max: 2 } });
      const replicas = await Replicas.start({ connectionString: url, label, log, beatMs: 50, expiryMs: 1000 });
      const hub = new AgentHub({ store, log, replicas });
      await hub.ready;
      survivors.push({ replicas, hub, store, lines });
    }
    const [b, c] = survivors as [(typeof survivors)[0], (typeof survivors)[0]];
    try {
      // Rows written while the replicas lived (the rows come first, as they do in life).
      await b.store.audit.start(job('on-dead-1', 'dead01'));
      await b.store.audit.start(job('on-dead-2', 'dead01'));
      await b.store.audit.start(job('on-dead-done', 'dead01'));
      await b.store.audit.finish('on-dead-done', { status: 'ok', durationMs: 4 }, 123);
      await b.store.audit.start(job('on-busy', 'busy01'));
      await b.store.audit.start(job('on-b', b.replicas.id));

      // Dead (kill -9): silent for 10 s, its listening session gone. Reconnecting: beats, but no listener yet.
      await admin.query(
        `INSERT INTO replica_nodes (id, label, listener_pid, listener_started, expiry_ms, beat_at) VALUES
           ('dead01', 'a:1', 0, now(), 1000, now() - interval '10 seconds'),
           ('busy01', 'd:1', 0, now(), 60000, now())`,
      );

      const nodes = async () => (await admin.query<{ id: string }>('SELECT id FROM replica_nodes ORDER BY id')).rows.map((r) => r.id);
      await waitFor(async () => !(await nodes()).includes('dead01'), 3000, 'the dead replica to be reaped');

      for (const id of ['on-dead-1', 'on-dead-2'])
        expect(await b.store.audit.get(id)).toMatchObject({
          status: 'interrupted',
          detail: 'replica a:1 went away before the job finished',
        });
      expect(await b.store.audit.get('on-dead-done')).toMatchObject({ status: 'ok', finishedAt: 123 });
      expect((await b.store.audit.get('on-busy'))?.status).toBe('running');
      expect((await b.store.audit.get('on-b'))?.status).toBe('running');
      expect(await nodes()).toContain('busy01');

      // Both survivors tried; each row was closed by one of them, and one forgot the replica.
      const lines = [...b.lines, ...c.lines];
      const closed = lines.filter((l) => l.msg === 'jobs left running by a dead replica marked interrupted');
      expect(closed.every((l) => l.replica === 'dead01')).toBe(true);
      expect(closed.reduce((n, l) => n + (l.jobs as number), 0)).toBe(2);
      expect(lines.filter((l) => l.msg === 'replica went away').map((l) => l.label)).toEqual(['a:1']);
      // The agent reconnects elsewhere and reports late: the interrupted row is still completed.
      expect(await c.store.audit.finish('on-dead-1', { status: 'ok', detail: 'late', durationMs: 900 })).toBe(true);
    } finally {
      for (const s of survivors) {
        await s.hub.close();
        await s.replicas.stop();
        await s.store.close();
      }
    }
  });
});
