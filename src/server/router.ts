import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** Values of `:name` segments of the route path. */
  params: Record<string, string>;
  log: Logger;
}

export interface Route {
  method: Method;
  /** "/api/v1/agents" or with parameters "/api/v1/agents/:name/events". */
  path: string;
  /**
   * "api": Bearer VPN_DOCTOR_API_TOKEN is required before the handler runs. "none": the handler
   * authenticates itself (Slack signatures, Bot Framework JWTs) or the route is public (health, metrics).
   */
  auth: 'api' | 'none';
  handler: (ctx: RouteContext) => void | Promise<void>;
}

interface Compiled {
  route: Route;
  pattern: RegExp;
  keys: string[];
}

export type Match = { route: Route; params: Record<string, string> } | { allowed: Method[] } | null;

/**
 * A deliberately small router: exact paths and `:param` segments, method matching with 405 + Allow.
 * Chat adapters mount their endpoints here (`POST /slack/events`, `POST /api/messages`) so one server
 * and one port carry everything.
 */
export class Router {
  private readonly routes: Compiled[] = [];

  add(route: Route): void {
    if (this.routes.some((r) => r.route.method === route.method && r.route.path === route.path)) {
      throw new Error(`route ${route.method} ${route.path} is already registered`);
    }
    const keys: string[] = [];
    const source = route.path
      .split('/')
      .map((seg) => {
        if (seg.startsWith(':')) {
          keys.push(seg.slice(1));
          return '([^/]+)';
        }
        return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('/');
    this.routes.push({ route, pattern: new RegExp(`^${source}/?$`), keys });
  }

  match(method: string, pathname: string): Match {
    const allowed: Method[] = [];
    for (const c of this.routes) {
      const m = c.pattern.exec(pathname);
      if (!m) continue;
      if (c.route.method !== method && !(method === 'HEAD' && c.route.method === 'GET')) {
        allowed.push(c.route.method);
        continue;
      }
      const params: Record<string, string> = {};
      c.keys.forEach((k, i) => {
        params[k] = decodeURIComponent(m[i + 1]!);
      });
      return { route: c.route, params };
    }
    return allowed.length > 0 ? { allowed } : null;
  }

  list(): Route[] {
    return this.routes.map((c) => c.route);
  }
}
