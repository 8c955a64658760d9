import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface Envelope {
  envelope_id: string;
  type: 'slash_commands' | 'events_api' | 'interactive' | string;
  payload: Record<string, unknown>;
  accepts_response_payload?: boolean;
  retry_attempt?: number;
  retry_reason?: string;
}

/**
 * A local stand-in for Slack's Socket Mode WebSocket endpoint (wss://wss-primary.slack.com/link), on
 * 127.0.0.1: says hello on connect, sends envelopes, records the client's acks, and can ask the client to
 * reconnect the way Slack does before recycling a connection ({"type":"disconnect"}).
 */
export class FakeSocketModeServer {
  readonly acks: { envelope_id: string; payload?: unknown }[] = [];
  readonly connections: WebSocket[] = [];
  private http: Server | undefined;
  private wss: WebSocketServer | undefined;
  private port = 0;
  private tickets = 0;

  async start(): Promise<this> {
    this.http = createServer((_req, res) => res.writeHead(426).end());
    this.wss = new WebSocketServer({ server: this.http, path: '/link/' });
    this.wss.on('connection', (ws) => {
      this.connections.push(ws);
      ws.on('message', (data) => {
        const msg = JSON.parse(String(data)) as { envelope_id?: string; payload?: unknown };
        if (msg.envelope_id) this.acks.push({ envelope_id: msg.envelope_id, payload: msg.payload });
      });
      ws.send(
        JSON.stringify({
          type: 'hello',
          num_connections: this.connections.filter((c) => c.readyState === c.OPEN).length,
          debug_info: { host: 'applink-fake', build_number: 1, approximate_connection_time: 18060 },
          connection_info: { app_id: 'A0VPNDOCTR' },
        }),
      );
    });
    await new Promise<void>((resolve) => this.http!.listen(0, '127.0.0.1', resolve));
    this.port = (this.http.address() as AddressInfo).port;
    return this;
  }

  /** A fresh URL per apps.connections.open, as Slack hands out (the ticket is ignored here). */
  nextUrl(): string {
    return `ws://127.0.0.1:${this.port}/link/?ticket=t${++this.tickets}&app_id=A0VPNDOCTR`;
  }

  get current(): WebSocket | undefined {
    return [...this.connections].reverse().find((c) => c.readyState === c.OPEN);
  }

  send(envelope: Envelope): void {
    const ws = this.current;
    if (!ws) throw new Error('no open Socket Mode connection');
    ws.send(JSON.stringify(envelope));
  }

  /** Slack's "refresh_requested": the client must open a new connection. */
  requestReconnect(): void {
    this.current?.send(JSON.stringify({ type: 'disconnect', reason: 'refresh_requested', debug_info: { host: 'applink-fake' } }));
  }

  async waitFor<T>(probe: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = probe();
      if (v) return v;
      if (Date.now() > deadline) throw new Error('timed out waiting for the Socket Mode client');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async close(): Promise<void> {
    for (const ws of this.connections) ws.terminate();
    await new Promise<void>((resolve) => (this.wss ? this.wss.close(() => resolve()) : resolve()));
    this.http?.closeAllConnections();
    await new Promise<void>((resolve) => (this.http ? this.http.close(() => resolve()) : resolve()));
  }
}
