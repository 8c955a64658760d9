import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { isIPv6, type Socket } from 'node:net';
import type { Logger } from 'pino';

/**
 * Two caps per client address. Without them one address could open thousands of sockets and trickle their
 * headers (slowloris), or fire thousands of requests at once: Node takes them all, and each costs the event
 * loop its accept, parse and answer before /healthz, Slack or the agents get a turn.
 * - Open connections: beyond the cap a connection gets a fixed 429 with Retry-After at once, before a byte
 *   of it is read. Connections upgraded to WebSocket (probe agents, authenticated by the hub) stop counting
 *   once upgraded.
 * - HTTP requests in progress: beyond this (lower) cap a request is answered 429 as soon as its headers are
 *   read, before any routing, body or handler. WebSocket upgrades are not requests here: a thousand agents
 *   behind one NAT address reconnecting at once are held back only by the connection cap.
 * IPv6 clients count per /64 (one host usually owns the whole /64). Behind a reverse proxy every client has
 * the proxy's address: raise the caps or turn them off (0) and let the proxy limit clients.
 */
export interface AddressLimitsOptions {
  /** Open connections per client address (IPv6: per /64); 0 turns the cap off. */
  maxConnections: number;
  /** HTTP requests in progress per client address; 0 turns the cap off. */
  maxRequests: number;
  log: Logger;
  /** Called once per refused connection or request (metrics). */
  onRefused?: (what: 'connection' | 'request') => void;
  /** Least time between two "refused" log lines for one address (the lines would otherwise be the flood). */
  logEveryMs?: number;
}

const COUNTED = Symbol('vpn-doctor.address-limits.counted');
type Tracked = Socket & { [COUNTED]?: string };

const BODY = JSON.stringify({ error: { code: 'too-many-connections', message: 'too many connections from this address; retry later' } });
const BODY_REQUESTS = JSON.stringify({
  error: { code: 'too-many-requests', message: 'too many requests in progress from this address; retry later' },
});
const REFUSAL =
  'HTTP/1.1 429 Too Many Requests\r\nRetry-After: 1\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n' +
  `Cache-Control: no-store\r\nContent-Length: ${Buffer.byteLength(BODY)}\r\n\r\n${BODY}`;

export class AddressLimits {
  private readonly open = new Map<string, number>();
  private readonly inProgress = new Map<string, number>();
  /** Per refused address: when it was last logged and how many were refused since. */
  private readonly refusals = new Map<string, { loggedAt: number; refused: number }>();

  constructor(private readonly options: AddressLimitsOptions) {}

  /**
   * Puts the gate in front of `server`'s own connection handling: a refused socket never reaches the HTTP
   * parser (so a request already in its buffer is not served after all), an admitted one is handed on.
   */
  attach(server: Server): void {
    if (this.options.maxConnections > 0) {
      const handlers = server.listeners('connection') as ((socket: Socket) => void)[];
      server.removeAllListeners('connection');
      server.on('connection', (socket: Socket) => {
        if (!this.admit(socket as Tracked)) return;
        for (const handle of handlers) handle.call(server, socket);
      });
      server.prependListener('upgrade', (_req, socket: Socket) => this.release(socket as Tracked));
    }
    if (this.options.maxRequests > 0) {
      const handlers = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
      server.removeAllListeners('request');
      server.on('request', (req: IncomingMessage, res: ServerResponse) => {
        if (!this.start(req, res)) return;
        for (const handle of handlers) handle.call(server, req, res);
      });
    }
  }

  /** Counts a request until its response is done; false (and answered 429) beyond the cap. */
  private start(req: IncomingMessage, res: ServerResponse): boolean {
    const key = keyOf(req.socket.remoteAddress ?? '');
    const count = this.inProgress.get(key) ?? 0;
    if (count >= this.options.maxRequests) {
      this.noteRefusal(key, 'request');
      res.writeHead(429, {
        'retry-after': '1',
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(BODY_REQUESTS),
        'cache-control': 'no-store',
      });
      res.end(BODY_REQUESTS);
      return false;
    }
    this.inProgress.set(key, count + 1);
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      const left = (this.inProgress.get(key) ?? 1) - 1;
      if (left > 0) this.inProgress.set(key, left);
      else this.inProgress.delete(key);
    };
    res.once('finish', finish);
    res.once('close', finish);
    return true;
  }

  private admit(socket: Tracked): boolean {
    const key = keyOf(socket.remoteAddress ?? '');
    const count = this.open.get(key) ?? 0;
    if (count >= this.options.maxConnections) {
      this.refuse(socket, key);
      return false;
    }
    this.open.set(key, count + 1);
    socket[COUNTED] = key;
    socket.once('close', () => this.release(socket));
    return true;
  }

  private release(socket: Tracked): void {
    const key = socket[COUNTED];
    if (key === undefined) return;
    socket[COUNTED] = undefined;
    const left = (this.open.get(key) ?? 1) - 1;
    if (left > 0) this.open.set(key, left);
    else this.open.delete(key);
  }

  private refuse(socket: Socket, key: string): void {
    socket.on('error', () => {});
    // Destroyed once written: a peer that never reads nor closes must not keep the socket.
    socket.end(REFUSAL, () => socket.destroy());
    setTimeout(() => socket.destroy(), 1_000).unref();
    this.noteRefusal(key, 'connection');
  }

  /** Counts a refusal; logs at most one line per address per interval (the lines would otherwise be the flood). */
  private noteRefusal(key: string, what: 'connection' | 'request'): void {
    this.options.onRefused?.(what);
    const now = Date.now();
    if (this.refusals.size > 10_000) this.refusals.clear();
    const seen = this.refusals.get(key) ?? { loggedAt: 0, refused: 0 };
    seen.refused++;
    this.refusals.set(key, seen);
    if (now - seen.loggedAt < (this.options.logEveryMs ?? 10_000)) return;
    this.options.log.warn(
      { address: key, refused: seen.refused, maxConnections: this.options.maxConnections, maxRequests: this.options.maxRequests },
      'requests refused: too many from one address at once',
    );
    seen.loggedAt = now;
    seen.refused = 0;
  }
}

/** The address a connection counts against: IPv4 (also when IPv4-mapped), or the /64 of an IPv6 address. */
export function keyOf(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!isIPv6(address)) return address;
  return `${expandIPv6(address).slice(0, 4).join(':')}::/64`;
}

function expandIPv6(address: string): string[] {
  const [head = '', tail] = address.split('%')[0]!.split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''));
}
