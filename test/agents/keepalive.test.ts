import { describe, expect, it, vi } from 'vitest';
import { HOURLY_TOPIC, IDLE_TOPIC, analyzeDrop } from '../../src/agents/keepalive-analysis.js';
import { KeepaliveMonitor, type PingResult } from '../../src/agents/keepalive-monitor.js';
import { MonitorService } from '../../src/agents/monitor-service.js';
import type { Notifier, TunnelNotification } from '../../src/agents/notifier.js';
import type { MonitorEvent } from '../../src/agents/protocol.js';
import { tunnelReply } from '../../src/conversation/tunnel-alert.js';
import { Store } from '../../src/store/index.js';
import { captureLogger } from './helpers.js';
import { monitorEvent } from './monitor-events.js';

const OK: PingResult = { ok: true, rttMs: 12 };
const LOST: PingResult = { ok: false, rttMs: null };
const MIN = 60_000;

function monitor(options: Partial<ConstructorParameters<typeof KeepaliveMonitor>[0]> = {}) {
  let n = 0;
  const events: MonitorEvent[] = [];
  const m = new KeepaliveMonitor({
    target: '10.0.0.2',
    ping: async () => OK,
    onEvent: (e) => events.push(e),
    newId: () => `e-${++n}`,
    ...options,
  });
  return { m, events };
}

describe('keep-alive monitor transitions (injected clock and results)', () => {
  it('reports up after 2 replies, down after 3 losses in a row, with loss over the window', () => {
    const { m } = monitor();
    const seq: [PingResult, number][] = [
      [OK, 0],
      [OK, 5000],
      [OK, 10000],
      [LOST, 15000],
      [LOST, 20000],
      [LOST, 25000],
      [LOST, 30000],
      [OK, 35000],
      [OK, 40000],
    ];
    const out = seq.map(([r, at]) => m.observe(r, at));
    expect(out[0]).toBeNull();
    expect(out[1]).toMatchObject({ kind: 'up', at: 5000, rttMs: 12, loss: 0, sent: 2, received: 2 });
    expect(out.slice(2, 5).every((e) => e === null)).toBe(true);
    // Last reply at 10 s, first loss at 15 s: the tunnel had been idle 5 s, which is fine.
    expect(out[5]).toMatchObject({ kind: 'down', at: 25000, idleBeforeMs: 5000, sent: 6, received: 3, loss: 0.5 });
    expect(out[6]).toBeNull();
    expect(out[7]).toBeNull();
    expect(out[8]).toMatchObject({ kind: 'up', at: 40000 });
    expect(m.state).toBe('up');
  });

  it('one lost echo is not an outage', () => {
    const { m } = monitor();
    const got = [OK, OK, LOST, OK, LOST, LOST, OK].map((r, i) => m.observe(r, i * 5000));
    expect(got.filter(Boolean).map((e) => e!.kind)).toEqual(['up']);
  });

  it('a monitor that starts on a dead tunnel reports down with unknown idle time', () => {
    const { m } = monitor();
    const got = [LOST, LOST, LOST].map((r, i) => m.observe(r, i * 5000));
    expect(got[2]).toMatchObject({ kind: 'down', idleBeforeMs: null, loss: 1 });
  });

  it('pings that cannot be sent are errors, never drops', () => {
    const errors: string[] = [];
    const { m } = monitor({ onError: (e) => errors.push(e) });
    const bad = { ok: false, rttMs: null, error: 'not permitted' };
    expect([bad, bad, bad, bad].map((r, i) => m.observe(r, i))).toEqual([null, null, null, null]);
    expect(errors).toHaveLength(1);
    expect(m.state).toBe('unknown');
  });

  it('runs on its own timer without overlapping pings', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const results = [OK, OK, LOST, LOST, LOST];
    const { m, events } = monitor({
      intervalMs: 20,
      ping: async () => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
        return results.shift() ?? LOST;
      },
    });
    m.start();
    // Waits for the state changes rather than a fixed time: a loaded machine runs the 20 ms timer late.
    await vi.waitFor(() => expect(events).toHaveLength(2), { timeout: 10_000, interval: 20 });
    m.stop();
    expect(maxInFlight).toBe(1);
    expect(events.map((e) => e.kind)).toEqual(['up', 'down']);
  });
});

describe('drop pattern analysis', () => {
  const down = (at: number, idleBeforeMs: number | null = 5000) => ({ kind: 'down' as const, at, idleBeforeMs });
  const up = (at: number) => ({ kind: 'up' as const, at, idleBeforeMs: null });

  it('recognises drops about every 60 minutes (IKEv2 phase 2 lifetime)', () => {
    const t0 = 1_000_000;
    const history = [down(t0), up(t0 + MIN), down(t0 + 61 * MIN), up(t0 + 62 * MIN)];
    expect(analyzeDrop(down(t0 + 120 * MIN), history)).toMatchObject({
      topic: HOURLY_TOPIC,
      reason: expect.stringContaining('61 min, 59 min'),
    });
  });

  it('needs three drops: two an hour apart may be chance', () => {
    expect(analyzeDrop(down(60 * MIN), [down(0)])).toBeNull();
  });

  it('irregular drops are not hourly', () => {
    expect(analyzeDrop(down(200 * MIN), [down(0), down(95 * MIN)])).toBeNull();
    expect(analyzeDrop(down(120 * MIN), [down(0), down(40 * MIN)])).toBeNull();
  });

  it('drops after an idle period (or on a tunnel found down) point to keeping traffic flowing', () => {
    expect(analyzeDrop(down(0, 30_000), [])).toMatchObject({ topic: IDLE_TOPIC, reason: expect.stringContaining('30 s') });
    expect(analyzeDrop(down(0, null), [])).toMatchObject({ topic: IDLE_TOPIC });
    expect(analyzeDrop(down(0, 5_000), [])).toBeNull();
  });

  it('the hourly pattern wins over idleness', () => {
    expect(analyzeDrop(down(120 * MIN, 60_000), [down(0), down(60 * MIN)])?.topic).toBe(HOURLY_TOPIC);
  });

  it('ignores `up` events and later events', () => {
    expect(analyzeDrop(up(0), [])).toBeNull();
    expect(analyzeDrop(down(0), [down(60 * MIN), down(120 * MIN)])).toBeNull();
  });
});

describe('monitor service (hub side)', () => {
  async function setup(now: () => number) {
    const store = await Store.open(':memory:');
    const got: TunnelNotification[] = [];
    const notifier: Notifier = { notify: (n) => void got.push(n) };
    const { log } = captureLogger();
    await store.subscriptions.upsert({
      agent: 'lan-1',
      conversationKey: 'slack:C1:-',
      platform: 'slack',
      reference: { channel: 'C1' },
      createdBy: 'u',
      createdAt: 0,
    });
    return { store, got, service: new MonitorService({ store, notifier, alertReply: tunnelReply, log, now }) };
  }
  const ev = monitorEvent;

  it('stores, diagnoses and notifies each transition once, with the subscribers', async () => {
    let now = 0;
    const { store, got, service } = await setup(() => now);
    const t0 = Date.UTC(2025, 0, 1);
    const events = [
      ev('a-1', 'down', t0),
      ev('a-2', 'up', t0 + MIN),
      ev('a-3', 'down', t0 + 60 * MIN),
      ev('a-4', 'up', t0 + 61 * MIN),
      ev('a-5', 'down', t0 + 120 * MIN),
    ];
    for (const e of events) {
      now = e.at + 100;
      await service.ingest('lan-1', [e]);
    }
    // Re-sent after a reconnect: no duplicate rows, no duplicate alerts.
    await service.ingest('lan-1', events);
    expect(await store.monitor.since('lan-1', 0)).toHaveLength(5);
    expect(got).toHaveLength(5);
    expect(got[4]).toMatchObject({
      agent: 'lan-1',
      diagnosis: { topic: HOURLY_TOPIC },
      delayed: false,
      subscriptions: [{ conversationKey: 'slack:C1:-' }],
    });
    expect(got[4]!.reply).toMatchObject({
      kind: 'check',
      verdict: 'down',
      topic: HOURLY_TOPIC,
      actions: [{ command: `topic ${HOURLY_TOPIC}` }],
    });
    expect(got[1]).toMatchObject({ outageMs: MIN, reply: { verdict: 'healthy', summary: expect.stringContaining('after 60 s down') } });
    expect((await store.monitor.recent('lan-1', 1))[0]?.topic).toBe(HOURLY_TOPIC);
  });

  it('marks events that arrive long after they happened (buffered by the agent)', async () => {
    const { got, service } = await setup(() => 10 * MIN);
    await service.ingest('lan-1', [ev('b-1', 'down', 0, 30_000)]);
    expect(got[0]).toMatchObject({ delayed: true, diagnosis: { topic: IDLE_TOPIC } });
    expect(got[0]!.reply.summary).toContain('reported late');
  });
});
