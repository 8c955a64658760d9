import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { runRoute, type ApiRoute } from './api-route.js';
import { bearerAuth } from './auth.js';
import { AddressLimits } from './address-limits.js';
import { HttpError, toHttpError } from './errors.js';
import type { Metrics } from './metrics.js';
import { Router, type Method, type Route } from './router.js';

export interface HttpLimits {
  /** Largest JSON body of an API route unless the route says otherwise (bytes). */
  bodyLimit: number;
  /** Largest declared body let through to a raw route unless the route says otherwise (bytes). */
  rawBodyLimit: number;
  /** Slow clients must not hold sockets forever (slowloris): time to send the request headers... */
  headersTimeoutMs: number;
  /** ...and the whole request. */
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  /** How often Node looks for connections past those timeouts. */
  timeoutCheckIntervalMs: number;
  /** Open HTTP connections one client address may hold (IPv6: per /64); 0: no cap (src/server/address-limits.ts). */
  maxConnectionsPerAddress: number;
  /** HTTP requests in progress per client address (WebSocket upgrades aside); 0: no cap. */
  maxRequestsPerAddress: number;
}

export const DEFAULT_LIMITS: HttpLimits = {
  bodyLimit: 64 * 1024,
  rawBodyLimit: 1024 * 1024,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  timeoutCheckIntervalMs: 1_000,
  maxConnectionsPerAddress: 256,
  maxRequestsPerAddress: 32,
};

export interface HttpAppOptions {
  log: Logger;
  metrics: Metrics;
  apiToken: string | undefined;
  limits?: Partial<HttpLimits>;
  /** Check every API response against its declared schema (a mismatch is a 500 and an error log); for tests. */
  checkResponses?: boolean;
}

/** What the route table holds: every route's method and path; raw routes also their handler. */
interface TableEntry {
  method: Method;
  path: string;
  raw?: Route;
}

/**
 * The one HTTP layer of `vpn-doctor serve`, on fastify: limits, bearer authentication of /api/v1, one error
 * body and one error handler, 404 and 405 (with Allow), per-route metrics. Two kinds of routes:
 * - declared API routes (`api(...)`, before `listen`): zod-validated, and the source of the OpenAPI document;
 * - raw routes (`route(...)`, any time, also after `listen`): chat adapters get Node's request with the body
 *   unread and answer on Node's response (the reply is hijacked, fastify stays out of the way).
 * `server` is the node http.Server, for the agent hub's WebSocket upgrades.
 */
export class HttpApp {
  readonly fastify: FastifyInstance;
  readonly limits: HttpLimits;
  private readonly table = new Router<TableEntry>();
  private readonly declared: ApiRoute[] = [];
  private readonly requireApiToken: (authorization: string | undefined) => void;
  private readonly log: Logger;

  constructor(private readonly options: HttpAppOptions) {
    this.log = options.log;
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.requireApiToken = bearerAuth(options.apiToken);
    const limits = this.limits;
    this.fastify = Fastify({
      loggerInstance: options.log as FastifyBaseLogger,
      // Access logs would repeat every request; metrics count them and failures are logged once, below.
      logController: new LogController({ disableRequestLogging: true }),
      bodyLimit: limits.bodyLimit,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      http: { headersTimeout: limits.headersTimeoutMs, connectionsCheckingInterval: limits.timeoutCheckIntervalMs },
      routerOptions: { ignoreTrailingSlash: true },
      // Malformed URLs are refused before routing; they get the same error body as everything else.
      frameworkErrors: (err, request, reply) => void this.respond(err, request, reply as FastifyReply),
    });
    new AddressLimits({
      maxConnections: limits.maxConnectionsPerAddress,
      maxRequests: limits.maxRequestsPerAddress,
      log: options.log,
      onRefused: (what) => options.metrics.httpRefused(what),
    }).attach(this.fastify.server);
    // JSON only: a body in any other type is a 415 before a handler runs.
    this.fastify.removeContentTypeParser(['text/plain']);
    this.fastify.addHook('onRequest', (request, reply, done) => {
      this.count(request, reply);
      done();
    });
    this.fastify.addHook('onRequest', async (request, reply) => this.unmatched(request, reply));
    this.fastify.addHook('onSend', async (_request, reply, payload) => {
      reply.header('cache-control', 'no-store');
      reply.header('x-content-type-options', 'nosniff');
      return payload;
    });
    this.fastify.setErrorHandler((err, request, reply) => this.respond(err, request, reply));
    // Reached only if the onRequest hook let an unmatched request through (it does not): the same answer.
    this.fastify.setNotFoundHandler(async (request) => {
      throw new HttpError(404, 'not-found', `no route for ${request.method} ${pathOf(request.url)}`);
    });
  }

  /** The node http.Server (the agent hub attaches its WebSocket upgrade handler to it). */
  get server(): Server {
    return this.fastify.server;
  }

  /** The declared API routes, in the order they were added (the OpenAPI document is built from them). */
  get apiRoutes(): readonly ApiRoute[] {
    return this.declared;
  }

  /** Adds a declared API route; before `listen` only. */
  api(route: ApiRoute): void {
    this.table.add({ method: route.method, path: route.path });
    this.declared.push(route);
    this.fastify.route({
      method: route.method,
      url: route.path,
      ...(route.bodyLimit ? { bodyLimit: route.bodyLimit } : {}),
      ...(route.auth === 'api'
        ? { onRequest: async (request: FastifyRequest) => this.requireApiToken(request.headers.authorization) }
        : {}),
      handler: (request, reply) => runRoute(route, request, reply, this.log, this.options.checkResponses ?? false),
    });
  }

  /** Mounts a raw route (chat adapters: `POST /slack/events`, `POST /api/messages`); also after `listen`. */
  route(route: Route): void {
    this.table.add({ method: route.method, path: route.path, raw: route });
  }

  /** Per-route request count and duration, by the route's pattern (never the raw path: label cardinality). */
  private count(request: FastifyRequest, reply: FastifyReply): void {
    const started = process.hrtime.bigint();
    reply.raw.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const label = request.is404 ? (this.rawMatch(request)?.path ?? 'unmatched') : (request.routeOptions.url ?? 'unmatched');
      this.options.metrics.httpRequest(request.method, label, reply.raw.statusCode, seconds);
    });
  }

  private rawMatch(request: FastifyRequest): Route | undefined {
    const m = this.table.match(request.method, pathOf(request.url));
    return m && 'route' in m ? m.route.raw : undefined;
  }

  /**
   * Requests no fastify route matched: a raw route (dispatched here, before any body parsing, so the
   * handler reads the stream itself), a 405 with Allow when the path exists with other methods, else 404.
   */
  private async unmatched(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (!request.is404) return;
    const path = pathOf(request.url);
    const m = this.table.match(request.method, path);
    if (m && 'route' in m && m.route.raw) {
      reply.hijack();
      void this.dispatchRaw(m.route.raw, m.params, request, reply);
      return;
    }
    if (m && 'allowed' in m) {
      const allow = m.allowed.includes('GET') ? [...m.allowed, 'HEAD'] : m.allowed;
      throw new HttpError(405, 'method-not-allowed', `use ${m.allowed.join(', ')}`, undefined, { allow: allow.join(', ') });
    }
    throw new HttpError(404, 'not-found', `no route for ${request.method} ${path}`);
  }

  /** Runs a raw route on Node's request and response; failures get the same error body as everywhere else. */
  private async dispatchRaw(route: Route, params: Record<string, string>, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const req = request.raw;
    const res = reply.raw;
    try {
      const limit = route.bodyLimit ?? this.limits.rawBodyLimit;
      const declared = Number(req.headers['content-length'] ?? NaN);
      if (Number.isFinite(declared) && declared > limit)
        throw new HttpError(413, 'payload-too-large', `request body larger than ${limit} bytes`);
      if (route.auth === 'api') this.requireApiToken(req.headers.authorization);
      await route.handler({ req, res, url: new URL(req.url ?? '/', 'http://localhost'), params, log: this.log });
    } catch (err) {
      const http = this.failure(err, request.method, request.url);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const text = JSON.stringify(http.body);
      res.writeHead(http.status, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(text),
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        ...http.headers,
      });
      res.end(text);
    }
  }

  /** The one error handler: every failure of a fastify-handled request becomes the error body. */
  private respond(err: unknown, request: { method: string; url: string }, reply: FastifyReply): FastifyReply {
    const http = this.failure(err, request.method, request.url);
    return reply.code(http.status).headers(http.headers).send(http.body);
  }

  /** Logs a failure once (5xx only: client errors are the client's business) and returns its response. */
  private failure(err: unknown, method: string, url: string): HttpError {
    const http = toHttpError(err);
    if (!(err instanceof HttpError) && http.status >= 500) this.log.error({ err, method, url }, 'request failed');
    else if (http.status >= 500) this.log.warn({ method, url, code: http.code }, http.message);
    return http;
  }

  async listen(port: number, host: string): Promise<AddressInfo> {
    await this.fastify.ready();
    // Listening on the node server directly: fastify's listen() would log a second "listening" line.
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve(this.server.address() as AddressInfo);
      });
    });
  }

  /** Stops accepting connections and waits for requests in flight (bounded), closing idle keep-alives at once. */
  async close(timeoutMs = 10_000): Promise<void> {
    const server = this.server;
    if (server.listening) {
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), timeoutMs);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      });
    }
    await this.fastify.close();
  }
}

function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}
