import type { MonitorEvent } from '../../src/agents/protocol.js';

/** A keep-alive monitor event as an agent sends it: a down loses every ping, an up gets every reply. */
export function monitorEvent(id: string, kind: 'up' | 'down', at: number, idleBeforeMs: number | null = 5000): MonitorEvent {
  return {
    id,
    kind,
    target: '10.0.0.2',
    at,
    sent: 12,
    received: kind === 'up' ? 12 : 0,
    loss: kind === 'up' ? 0 : 1,
    rttMs: kind === 'up' ? 10 : null,
    idleBeforeMs,
  };
}
