import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { MonitorService } from '../../src/agents/monitor-service.js';
import type { TunnelNotification } from '../../src/agents/notifier.js';
import { tunnelReply } from '../../src/conversation/tunnel-alert.js';
import { Store } from '../../src/store/index.js';
import { monitorEvent } from '../agents/monitor-events.js';
import { createTestDatabase, hasPostgres } from '../support/postgres-db.js';

/**
 * Keep-alive alerts with two replicas: an agent that fails over re-sends the monitor events the first
 * replica may already have stored, so the same event can reach both replicas, even at the same moment.
 * The event's row is inserted once (ON CONFLICT on agent + event id) and only the insert that created it
 * alerts: one alert per tunnel transition, not one per replica.
 */
describe.skipIf(!hasPostgres())('keep-alive alerts go out once across replicas', () => {
  const stores: Store[] = [];
  afterAll(async () => {
    for (const s of stores) await s.close();
  });

  it('the same events ingested by two replicas at once, then again, are alerted once each', async () => {
    const url = createTestDatabase('alerts');
    const got: TunnelNotification[] = [];
    const log = pino({ level: 'silent' });
    const replica = async () => {
      const store = await Store.open(url);
      stores.push(store);
      return new MonitorService({ store, notifier: { notify: (n) => void got.push(n) }, alertReply: tunnelReply, log });
    };
    const [a, b] = [await replica(), await replica()];
    const now = Date.now();
    const events = Array.from({ length: 20 }, (_, i) => monitorEvent(`boot1-${i + 1}`, i % 2 ? 'up' : 'down', now - 60_000 + i * 1000));
    await Promise.all([a.ingest('lan-1', events), b.ingest('lan-1', events)]);
    await Promise.all([b.ingest('lan-1', events), a.ingest('lan-1', events.slice(5))]);
    expect(got.map((n) => n.event.eventId).sort()).toEqual(events.map((e) => e.id).sort());
    expect(got.filter((n) => n.event.kind === 'down')).toHaveLength(10);
  });
});
