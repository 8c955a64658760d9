import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { readBody } from '../../src/server/body.js';
import { HttpError } from '../../src/server/errors.js';
import { safeError } from './log-safe.js';

/**
 * The HTTP side of POST /api/messages on plain node:http: reads the body with a size and time limit,
 * refuses what is not a Bot Framework activity with 400 (botbuilder's `process()` would reject its
 * promise without answering on a body without `type`, leaving the request hanging), then hands a
 * minimal express-like request/response pair to the SDK. No framework, no SDK types: the same shim fits
 * the Microsoft 365 Agents SDK, whose CloudAdapter.process() takes the same shapes.
 */

/** What `CloudAdapter.process()` reads from a request (express- and restify-compatible). */
export interface ShimRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

/** What `CloudAdapter.process()` calls on a response. */
export interface ShimResponse {
  socket: unknown;
  status(code: number): unknown;
  header(name: string, value: unknown): unknown;
  send(body?: unknown): unknown;
  end(...args: unknown[]): unknown;
}

export type ProcessActivity = (req: ShimRequest, res: ShimResponse) => Promise<void>;

export interface MessagesHandlerOptions {
  process: ProcessActivity;
  logger: Logger;
  /** Largest accepted body; Teams activities are a few KB. */
  maxBodyBytes: number;
  /** Time allowed to receive the whole body. */
  bodyTimeoutMs: number;
  /** Check of the headers before the body is read (a missing token); returns a refusal or null. */
  precheck?: (headers: IncomingMessage['headers']) => Refusal | null;
  /** Extra admission check after parsing (dev mode: only loopback service URLs); returns a refusal or null. */
  admit?: (activity: Record<string, unknown>) => Refusal | null;
}

export interface Refusal {
  status: number;
  message: string;
}

export function createMessagesHandler(options: MessagesHandlerOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { logger } = options;
  return async (req, res) => {
    const started = Date.now();
    try {
      if (req.method !== 'POST') {
        res.setHeader('Allow', 'POST');
        throw new HttpError(405, 'method-not-allowed', 'use POST');
      }
      const early = options.precheck?.(req.headers);
      if (early) throw new HttpError(early.status, 'refused', early.message);
      const raw = await readBody(req, { limit: options.maxBodyBytes, timeoutMs: options.bodyTimeoutMs });
      const activity = parseActivity(raw);
      const refusal = options.admit?.(activity);
      if (refusal) throw new HttpError(refusal.status, 'refused', refusal.message);

      const shim = shimResponse(res);
      try {
        await options.process({ method: 'POST', headers: req.headers, body: activity }, shim);
      } catch (err) {
        if (err instanceof HttpError) throw err; // a refusal (401, 503) decided by the process step
        // process() rejects (instead of answering) on some malformed input; never leave the caller hanging.
        logger.error({ err: safeError(err) }, 'teams: the Bot Framework adapter failed on a request');
        if (!res.headersSent) sendPlain(res, 500, 'internal error');
      }
      if (!res.writableEnded) {
        if (!res.headersSent) res.statusCode = 200;
        res.end();
      }
      logger.debug({ type: activity.type, id: activity.id, status: res.statusCode, ms: Date.now() - started }, 'teams: activity handled');
    } catch (err) {
      const status = err instanceof HttpError ? err.status : 500;
      if (status === 500) logger.error({ err: safeError(err) }, 'teams: request failed');
      else logger.debug({ status, reason: (err as Error).message }, 'teams: request refused');
      if (!res.headersSent) {
        if (err instanceof HttpError) for (const [name, value] of Object.entries(err.headers)) res.setHeader(name, value);
        sendPlain(res, status, (err as Error).message);
      } else if (!res.writableEnded) res.end();
      // A body we stopped reading would otherwise keep the socket busy.
      if (status === 413 || status === 408) req.destroy();
      else if (!req.complete) req.resume();
    }
  };
}

/** A Bot Framework activity is a JSON object with a string `type`; anything else is a 400. */
export function parseActivity(raw: Buffer): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new HttpError(400, 'bad-request', 'body is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new HttpError(400, 'bad-request', 'body is not a JSON object');
  const activity = value as Record<string, unknown>;
  if (typeof activity.type !== 'string' || activity.type === '') throw new HttpError(400, 'bad-request', 'activity has no type');
  return activity;
}

function shimResponse(res: ServerResponse): ShimResponse {
  return {
    socket: res.socket,
    status(code: number) {
      if (!res.headersSent) res.statusCode = code;
      return this;
    },
    header(name: string, value: unknown) {
      if (!res.headersSent) res.setHeader(name, String(value));
      return this;
    },
    send(body?: unknown) {
      if (res.writableEnded || body === undefined || body === null) return this;
      if (typeof body === 'string' || Buffer.isBuffer(body)) {
        if (!res.headersSent && !res.hasHeader('content-type')) res.setHeader('Content-Type', 'text/plain; charset=utf-8');
        res.write(body);
      } else {
        if (!res.headersSent) res.setHeader('Content-Type', 'application/json; charset=utf-8');
        res.write(JSON.stringify(body));
      }
      return this;
    },
    end() {
      if (!res.writableEnded) res.end();
      return this;
    },
  };
}

function sendPlain(res: ServerResponse, status: number, message: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end(message);
}
