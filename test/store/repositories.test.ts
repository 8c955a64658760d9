import { afterEach, describe, expect, it } from 'vitest';
import { AgentExistsError, type Store } from '../../src/store/index.js';
import { ENGINES } from '../support/store-engines.js';

const open: Store[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

const job = {
  requestedAt: 1,
  requestedBy: 'u',
  platform: 'slack',
  channel: 'C1',
  agent: 'lan-1',
  probe: 'tcp',
  target: '10.0.0.1:443',
  params: { target: '10.0.0.1', port: 443 },
};

const event = {
  agent: 'lan-1',
  eventId: 'b-1',
  kind: 'down' as const,
  target: '10.0.0.2',
  at: 10,
  sent: 12,
  received: 0,
  loss: 0.25,
  rttMs: 12.5,
  idleBeforeMs: 5000,
  topic: null,
  receivedAt: 11,
};

describe.each(ENGINES)('repositories on $name', (engine) => {
  describe.skipIf(engine.skip)('', () => {
    const store = async () => {
      const s = await engine.store();
      open.push(s);
      return s;
    };

    it('agents: one active token per name, revoke, re-add with a new token', async () => {
      const s = await store();
      const a = await s.agents.add('lan-1', 'hash-1', 1000);
      expect(await s.agents.byTokenHash('hash-1')).toMatchObject({ name: 'lan-1', createdAt: 1000, online: false });
      await expect(s.agents.add('lan-1', 'hash-2')).rejects.toThrow(AgentExistsError);
      expect(await s.agents.revoke('lan-1', 2000)).toBe(true);
      expect(await s.agents.revoke('lan-1')).toBe(false);
      expect(await s.agents.byTokenHash('hash-1')).toBeUndefined();
      expect(await s.agents.isActive(a.id)).toBe(false);
      await s.agents.add('lan-1', 'hash-2', 3000);
      expect(await s.agents.byTokenHash('hash-1')).toBeUndefined();
      expect((await s.agents.byTokenHash('hash-2'))?.id).toBe(a.id);
      expect(await s.agents.isActiveToken(a.id, 'hash-1')).toBe(false);
      expect(await s.agents.isActiveToken(a.id, 'hash-2')).toBe(true);
      await s.agents.registered(a.id, { version: '1.2.3', capabilities: { icmp: 'system' }, address: '10.0.0.9' }, 4000);
      expect(await s.agents.byName('lan-1')).toMatchObject({
        online: true,
        version: '1.2.3',
        capabilities: { icmp: 'system' },
        lastSeen: 4000,
        lastAddress: '10.0.0.9',
      });
      await s.agents.seen(a.id, 5000);
      await s.agents.add('lan-2', 'hash-3', 5000);
      expect((await s.agents.list()).map((x) => [x.name, x.online, x.lastSeen])).toEqual([
        ['lan-1', true, 5000],
        ['lan-2', false, null],
      ]);
      await s.agents.allOffline();
      expect((await s.agents.byName('lan-1'))?.online).toBe(false);
      await s.agents.registered(a.id, { version: '1.2.4', capabilities: {}, address: null }, 6000);
      await s.agents.disconnected(a.id, 7000);
      expect(await s.agents.byName('lan-1')).toMatchObject({ online: false, lastSeen: 7000, version: '1.2.4' });
    });

    it('agents: two adds of one name at once register it once', async () => {
      const s = await store();
      const results = await Promise.allSettled([s.agents.add('lan-1', 'h-a'), s.agents.add('lan-1', 'h-b')]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect(await s.agents.list()).toHaveLength(1);
    });

    it('audit: a row exists from dispatch on, a final outcome is never overwritten, leftovers become interrupted', async () => {
      const s = await store();
      await s.audit.start({ id: 'j1', ...job });
      await s.audit.start({ id: 'j2', ...job, checkId: 'c1' });
      expect(await s.audit.get('j1')).toMatchObject({ status: 'running', params: { port: 443 }, channel: 'C1', checkId: null });
      expect(await s.audit.finish('j1', { status: 'ok', durationMs: 12 }, 50)).toBe(true);
      expect(await s.audit.finish('j1', { status: 'failed', durationMs: 99 })).toBe(false);
      expect(await s.audit.get('j1')).toMatchObject({ status: 'ok', durationMs: 12, finishedAt: 50 });
      expect(await s.audit.interruptRunning()).toBe(1);
      expect((await s.audit.get('j2'))?.status).toBe('interrupted');
      // A late result may still complete an interrupted job.
      expect(await s.audit.finish('j2', { status: 'ok', detail: 'late', durationMs: 5 })).toBe(true);
      expect(await s.audit.get('j2')).toMatchObject({ status: 'ok', detail: 'late', checkId: 'c1' });
      expect(await s.audit.count()).toBe(2);
    });

    it("audit: a dead replica's running rows are interrupted once, naming it; other rows are left alone", async () => {
      const s = await store();
      await s.audit.start({ id: 'a1', ...job, replica: 'aaa' });
      await s.audit.start({ id: 'a2', ...job, replica: 'aaa' });
      await s.audit.start({ id: 'b1', ...job, replica: 'bbb' });
      await s.audit.start({ id: 'n1', ...job });
      await s.audit.finish('a2', { status: 'ok', durationMs: 3 }, 20);
      expect(await s.audit.interruptReplica('aaa', 'replica a:1 went away', 40)).toBe(1);
      expect(await s.audit.interruptReplica('aaa', 'replica a:1 went away', 41)).toBe(0); // a second survivor
      expect(await s.audit.get('a1')).toMatchObject({
        status: 'interrupted',
        detail: 'replica a:1 went away',
        finishedAt: 40,
        replica: 'aaa',
      });
      expect(await s.audit.get('a2')).toMatchObject({ status: 'ok', finishedAt: 20 });
      expect((await s.audit.get('b1'))?.status).toBe('running');
      expect(await s.audit.get('n1')).toMatchObject({ status: 'running', replica: null });
    });

    it('audit: newest first, ties in insertion order reversed, per agent, pruned in chunks', async () => {
      const s = await store();
      for (const [i, id] of ['a', 'b', 'c', 'd'].entries()) {
        await s.audit.start({ id, ...job, requestedAt: i < 2 ? 100 : 200, agent: i === 3 ? 'lan-2' : 'lan-1' });
      }
      expect((await s.audit.recent()).map((j) => j.id)).toEqual(['d', 'c', 'b', 'a']);
      expect((await s.audit.recent({ agent: 'lan-1', limit: 2 })).map((j) => j.id)).toEqual(['c', 'b']);
      for (const [i, id] of ['a', 'b', 'c'].entries()) await s.audit.finish(id, { status: 'ok', durationMs: 1 }, 1000 + i);
      // Running 'd' is never pruned, whatever its age.
      expect(await s.audit.prune(5000, 2)).toBe(2);
      expect(await s.audit.prune(5000, 2)).toBe(1);
      expect((await s.audit.recent()).map((j) => j.id)).toEqual(['d']);
    });

    it('monitor events are stored once per agent event id, and read back exactly', async () => {
      const s = await store();
      expect(await s.monitor.insert(event)).toBe(true);
      expect(await s.monitor.insert(event)).toBe(false);
      await s.monitor.setTopic('lan-1', 'b-1', 'keep-traffic-flowing');
      expect(await s.monitor.since('lan-1', 0)).toEqual([{ ...event, topic: 'keep-traffic-flowing' }]);
    });

    it('monitor events: the last ones of a kind before a time, recent, pruned by arrival', async () => {
      const s = await store();
      for (let i = 0; i < 6; i++) {
        await s.monitor.insert({ ...event, eventId: `e${i}`, kind: i % 2 ? 'up' : 'down', at: 100 + i, receivedAt: 1000 + i });
      }
      expect((await s.monitor.lastBefore('lan-1', 'down', 104, 'e4', 5)).map((e) => e.eventId)).toEqual(['e2', 'e0']);
      expect((await s.monitor.recent('lan-1', 2)).map((e) => e.eventId)).toEqual(['e5', 'e4']);
      expect(await s.monitor.count()).toBe(6);
      expect(await s.monitor.prune(1003, 2)).toBe(2);
      expect(await s.monitor.prune(1003, 2)).toBe(1);
      expect((await s.monitor.since('lan-1', 0)).map((e) => e.eventId)).toEqual(['e3', 'e4', 'e5']);
    });

    it('keep-alive subscriptions are idempotent per conversation, removed per channel', async () => {
      const s = await store();
      const sub = {
        agent: 'lan-1',
        conversationKey: 'slack:C1:-',
        platform: 'slack',
        reference: { channel: 'C1' },
        createdBy: 'u',
        createdAt: 1,
      };
      await s.subscriptions.upsert(sub);
      await s.subscriptions.upsert({ ...sub, reference: { channel: 'C1', thread: 't' } });
      expect(await s.subscriptions.forAgent('lan-1')).toEqual([{ ...sub, reference: { channel: 'C1', thread: 't' } }]);
      expect(await s.subscriptions.remove('lan-1', 'slack:C1:-')).toBe(true);
      expect(await s.subscriptions.forAgent('lan-1')).toEqual([]);

      for (const key of ['slack:C1:-', 'slack:C1:171.2', 'slack:C2:-', 'teams:C1:-']) {
        await s.subscriptions.upsert({ ...sub, conversationKey: key, platform: key.split(':')[0]! });
      }
      expect(await s.subscriptions.removeInChannel('lan-1', 'slack', 'C1')).toBe(2);
      expect((await s.subscriptions.forAgent('lan-1')).map((x) => x.conversationKey).sort()).toEqual(['slack:C2:-', 'teams:C1:-']);
      expect(await s.subscriptions.removeAll('lan-1')).toBe(2);
    });

    it('feedback rows are summarised per topic', async () => {
      const s = await store();
      await s.feedback.insert({ at: 5, platform: 'teams', channel: 'C', user: 'u', topic: 'keep-traffic-flowing', fixed: true });
      await s.feedback.insert({ at: 6, platform: 'teams', channel: 'C', user: 'u', topic: 'keep-traffic-flowing', fixed: false });
      await s.feedback.insert({ at: 7, platform: 'slack', channel: 'C', user: 'v', topic: null, fixed: true });
      expect(await s.feedback.summary()).toEqual([
        { topic: null, fixed: 1, notFixed: 0 },
        { topic: 'keep-traffic-flowing', fixed: 1, notFixed: 1 },
      ]);
    });

    it('answers a health ping and names its engine', async () => {
      const s = await store();
      await expect(s.ping()).resolves.toBeUndefined();
      expect(s.engine).toBe(engine.name);
    });
  });
});
