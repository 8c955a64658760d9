import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { AgentHub } from '../agents/hub.js';
import type { Store } from '../store/index.js';
import { VERSION } from '../version.js';
import { bearerAuth } from './auth.js';
import { HttpError, sendError, sendJson } from './http.js';
import type { Metrics } from './metrics.js';
import { Router, type Route } from './router.js';

export interface HttpAppOptions {
  log: Logger;
  store: Store;
  hub: AgentHub;
  metrics: Metrics;
  apiToken: string | undefined;
}

/**
 * The one HTTP server of `vpn-doctor serve`: the agent hub (WebSocket upgrade at /agents), the runbook API,
 * health and metrics, and whatever routes the chat adapters mount (`app.route(...)`).
 */
export class HttpApp {
  readonly server: Server;
  readonly router = new Router();
  private readonly requireApiToken: (req: IncomingMessage) => void;

  constructor(private readonly options: HttpAppOptions) {
    this.requireApiToken = bearerAuth(options.apiToken);
    this.server = createServer((req, res) => void this.handle(req, res));
    // Slow clients must not hold sockets forever (slowloris); checks answer well within these.
    this.server.headersTimeout = 10_000;
    this.server.requestTimeout = 30_000;
    this.server.keepAliveTimeout = 5_000;
    options.hub.attach(this.server, '/agents');

    this.route({
      method: 'GET',
      path: '/healthz',
      auth: 'none',
      handler: ({ res }) => {
        let db = 'ok';
        try {
          options.store.db.prepare('SELECT 1').get();
        } catch (err) {
          db = (err as Error).message;
        }
        sendJson(res, db === 'ok' ? 200 : 503, { status: db === 'ok' ? 'ok' : 'unhealthy', version: VERSION, agentsOnline: options.hub.onlineCount, db });
      },
    });
    this.route({
      method: 'GET',
      path: '/metrics',
      auth: 'none',
      handler: async ({ res }) => {
        const text = await options.metrics.registry.metrics();
        res.writeHead(200, { 'content-type': options.metrics.registry.contentType });
        res.end(text);
      },
    });
  }

  /** Mounts a route on this server (chat adapters: `POST /slack/events`, `POST /api/messages`). */
  route(route: Route): void {
    this.router.add(route);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = process.hrtime.bigint();
    const method = req.method ?? 'GET';
    let routeLabel = 'unmatched';
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.options.metrics.httpRequest(method, routeLabel, res.statusCode, seconds);
    });
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const match = this.router.match(method, url.pathname);
      if (!match) throw new HttpError(404, 'not-found', `no route for ${method} ${url.pathname}`);
      if ('allowed' in match) throw new HttpError(405, 'method-not-allowed', `use ${match.allowed.join(', ')}`, undefined, { allow: match.allowed.join(', ') });
      routeLabel = match.route.path;
      if (match.route.auth === 'api') this.requireApiToken(req);
      await match.route.handler({ req, res, url, params: match.params, log: this.options.log });
    } catch (err) {
      if (res.headersSent) {
        this.options.log.error({ err, method, url: req.url }, 'request failed after the response started');
        res.destroy();
        return;
      }
      if (err instanceof HttpError) {
        if (err.status >= 500) this.options.log.warn({ method, url: req.url, code: err.code }, err.message);
        sendError(res, err);
        return;
      }
      if (err instanceof URIError) {
        sendError(res, new HttpError(400, 'bad-request', 'malformed URL'));
        return;
      }
      this.options.log.error({ err, method, url: req.url }, 'request failed');
      sendError(res, new HttpError(500, 'internal', 'internal error (see the server log)'));
    }
  }

  listen(port: number, host: string): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve(this.server.address() as AddressInfo);
      });
    });
  }

  /** Stops accepting connections and waits for requests in flight (bounded), closing idle keep-alives at once. */
  close(timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve) => {
      if (!this.server.listening) return resolve();
      const force = setTimeout(() => this.server.closeAllConnections(), timeoutMs);
      force.unref();
      this.server.close(() => {
        clearTimeout(force);
        resolve();
      });
      this.server.closeIdleConnections();
    });
  }
}
