import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { z } from 'zod';
import { HttpError } from './errors.js';
import type { Method } from './router.js';

/** The success response of a route: its schema is both what the document shows and what tests hold it to. */
export interface ResponseSpec<S extends z.ZodType> {
  /** 200 unless said otherwise. */
  status?: number;
  description: string;
  schema: S;
  /** Name of the schema in the document's components (named schemas are shared, others are inlined). */
  name?: string;
  /** application/json unless said otherwise (Prometheus metrics are text). */
  contentType?: string;
  /** Response headers the route sets, with what they mean. */
  headers?: Record<string, string>;
  /** Other statuses answered with the same schema, e.g. health's 503. */
  alsoStatus?: Record<number, string>;
}

export interface ApiContext<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  params: z.output<P>;
  query: z.output<Q>;
  body: z.output<B>;
  request: FastifyRequest;
  reply: FastifyReply;
  log: Logger;
  /** Aborted when the client hangs up before its response is written: long work should stop. */
  signal: AbortSignal;
}

/**
 * One API route, declared once: validation of its path, query and body, the OpenAPI document, and the
 * response check in tests all come from this declaration. Errors are thrown as HttpError and always have
 * the error body; `errors` lists the statuses a client should expect, for the document.
 */
export interface ApiRoute<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  S extends z.ZodType = z.ZodType,
> {
  method: Method;
  /** "/api/v1/agents/:name" (fastify syntax; the document shows "{name}"). */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  /** "api": Bearer VPN_DOCTOR_API_TOKEN required (checked before the body is read); "none": public. */
  auth: 'api' | 'none';
  params?: P;
  query?: Q;
  /** A JSON body (application/json); its schema's name in the document components. */
  body?: B;
  bodyName?: string;
  /** Largest body for this route in bytes (the server default otherwise); beyond it: 413. */
  bodyLimit?: number;
  response: ResponseSpec<S>;
  errors?: Record<number, string>;
  handler(ctx: ApiContext<P, Q, B>): z.input<S> | Promise<z.input<S>>;
}

/** Identity with inference: `defineRoute({...})` types the handler's params, query, body and result. */
export function defineRoute<
  P extends z.ZodType = z.ZodUndefined,
  Q extends z.ZodType = z.ZodUndefined,
  B extends z.ZodType = z.ZodUndefined,
  S extends z.ZodType = z.ZodType,
>(route: ApiRoute<P, Q, B, S>): ApiRoute<P, Q, B, S> {
  return route;
}

/** Validates one part of a request; a failure is a 400 that lists each problem. */
export function parsePart<S extends z.ZodType>(schema: S | undefined, value: unknown, part: 'params' | 'query' | 'body'): z.output<S> {
  if (!schema) return undefined as z.output<S>;
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((i) => ({
    path: [part === 'body' ? '' : part, ...i.path.map(String)].filter(Boolean).join('.'),
    message: i.message,
  }));
  throw new HttpError(400, 'invalid-request', details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; '), details);
}

export function isJson(request: FastifyRequest): boolean {
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'application/json';
}

/** Runs a declared route on a fastify request: validate in, run, check out (when asked), send. */
export async function runRoute(
  route: ApiRoute,
  request: FastifyRequest,
  reply: FastifyReply,
  log: Logger,
  checkResponse: boolean,
): Promise<unknown> {
  const params = parsePart(route.params, request.params, 'params');
  const query = parsePart(route.query, request.query, 'query');
  let body: unknown;
  if (route.body) {
    if (!isJson(request)) throw new HttpError(415, 'unsupported-media-type', 'send the body as application/json');
    body = parsePart(route.body, request.body, 'body');
  }
  const abort = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) abort.abort();
  });
  if (route.response.status) reply.code(route.response.status);
  const result: unknown = await route.handler({ params, query, body, request, reply, log, signal: abort.signal });
  if (checkResponse) {
    const parsed = route.response.schema.safeParse(result);
    if (!parsed.success) {
      log.error({ route: `${route.method} ${route.path}`, issues: parsed.error.issues }, 'response does not match its declared schema');
      throw new HttpError(
        500,
        'invalid-response',
        `response of ${route.operationId} does not match its schema: ${z.prettifyError(parsed.error)}`,
      );
    }
  }
  if (route.response.contentType) reply.type(route.response.contentType);
  return result;
}
