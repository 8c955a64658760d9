import type { IncomingMessage, ServerResponse } from 'node:http';
import FindMyWay from 'find-my-way';
import type { Logger } from 'pino';

export const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type Method = (typeof METHODS)[number];

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** Values of `:name` segments of the route path. */
  params: Record<string, string>;
  log: Logger;
}

/**
 * A raw route: the handler gets Node's request with its body unread and answers on Node's response.
 * Chat adapters mount theirs this way (`POST /slack/events`, `POST /api/messages`): Slack verifies its
 * signature over the raw bytes, and the Bot Framework SDK drives the response itself.
 */
export interface Route {
  method: Method;
  /** "/slack/events", or with parameters "/things/:name". */
  path: string;
  /**
   * "api": Bearer VPN_DOCTOR_API_TOKEN is required before the handler runs. "none": the handler
   * authenticates itself (Slack signatures, Bot Framework JWTs) or the route is public.
   */
  auth: 'api' | 'none';
  /** Largest body (by its declared length) let through to the handler; the server's default otherwise. */
  bodyLimit?: number;
  handler: (ctx: RouteContext) => void | Promise<void>;
}

export interface RouteKey {
  method: Method;
  path: string;
}

export type Match<R extends RouteKey> = { route: R; params: Record<string, string> } | { allowed: Method[] } | null;

/**
 * A table of routes by method and path on find-my-way (the matcher fastify itself uses, so paths and
 * `:param` segments mean the same in both). The HTTP app keeps every route in one, its own and the raw
 * ones, to answer 405 with the Allow header and to dispatch raw routes mounted after the server started.
 */
export class Router<R extends RouteKey = Route> {
  private readonly table = FindMyWay({ ignoreTrailingSlash: true });
  private readonly routes: R[] = [];

  add(route: R): void {
    if (this.has(route.method, route.path)) throw new Error(`route ${route.method} ${route.path} is already registered`);
    this.table.on(route.method, route.path, () => {}, { route });
    this.routes.push(route);
  }

  has(method: Method, path: string): boolean {
    return this.table.hasRoute(method, path);
  }

  /** The route for a request (HEAD finds GET routes), else the methods the path has, else null. */
  match(method: string, pathname: string): Match<R> {
    const lookup = method === 'HEAD' ? 'GET' : method;
    const found = (METHODS as readonly string[]).includes(lookup) ? this.table.find(lookup as Method, pathname) : null;
    if (found) return { route: (found.store as { route: R }).route, params: stringParams(found.params) };
    const allowed = METHODS.filter((m) => this.table.find(m, pathname) !== null);
    return allowed.length > 0 ? { allowed } : null;
  }

  list(): R[] {
    return [...this.routes];
  }
}

function stringParams(params: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) if (v !== undefined) out[k] = v;
  return out;
}
