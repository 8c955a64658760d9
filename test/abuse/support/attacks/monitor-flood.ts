import WebSocket from 'ws';
import { PROTOCOL_VERSION } from '../../../../src/agents/protocol.js';

/** Capabilities of an agent that announces nothing it could be asked to do. */
export const NO_CAPABILITIES = {
  icmp: 'none',
  traceroute: false,
  probes: [],
  allow: [],
  maxConcurrency: 1,
  keepalive: null,
  platform: 'x',
};

/** An agent connection under the attacker's control (a stolen token), past the hello and the hub's welcome. */
export async function rogueAgent(wsUrl: string, token: string, name: string): Promise<WebSocket> {
  const ws = new WebSocket(wsUrl, { headers: { Authorization: `Bearer ${token}` } });
  ws.on('error', () => {});
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('unexpected-response', () => reject(new Error('rogue agent refused')));
  });
  const welcome = new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('rogue agent not welcomed within 30 s')), 30_000);
    ws.on('message', (data: Buffer) => {
      if ((JSON.parse(data.toString('utf8')) as { type?: string }).type === 'welcome') {
        clearTimeout(t);
        resolve();
      }
    });
  });
  ws.send(JSON.stringify({ type: 'hello', protocol: PROTOCOL_VERSION, name, version: 'x', bootId: 'b', capabilities: NO_CAPABILITIES }));
  await welcome;
  return ws;
}

export interface MonitorFloodParams {
  wsUrl: string;
  token: string;
  name: string;
  messages: number;
  perMessage: number;
  settleMs?: number;
}

/**
 * Issue 16, case 1: one agent token sends `messages` monitor messages of `perMessage` events each, three hours
 * old, as fast as the socket takes them (before the fix 10,000 events froze the server for minutes).
 */
export async function monitorFlood(p: MonitorFloodParams): Promise<{ sent: number; closedByHub: boolean }> {
  const ws = await rogueAgent(p.wsUrl, p.token, p.name);
  let closedByHub = false;
  ws.on('close', () => (closedByHub = true));
  const base = Date.now() - 3 * 3600_000;
  for (let m = 0; m < p.messages; m++) {
    const events = Array.from({ length: p.perMessage }, (_, i) => ({
      id: `f-${m}-${i}`,
      kind: i % 2 ? 'up' : 'down',
      target: '10.0.0.2',
      at: base + (m * p.perMessage + i) * 1000,
      sent: 12,
      received: 0,
      loss: 1,
      rttMs: null,
      idleBeforeMs: 5000,
    }));
    ws.send(JSON.stringify({ type: 'monitor', events }));
  }
  await new Promise((r) => setTimeout(r, p.settleMs ?? 1500));
  ws.terminate();
  return { sent: p.messages * p.perMessage, closedByHub };
}
