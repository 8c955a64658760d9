import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { isValidSlackRequest } from '@slack/bolt';
import type { Logger } from 'pino';
import { LocalMemory, type SharedMemory } from '../../src/chat/shared-memory.js';
import { readBody } from '../../src/server/body.js';
import { HttpError } from '../../src/server/errors.js';

/**
 * One HTTP route the server mounts for Slack. Shaped like the server's `Route` (src/server/router.ts), so
 * `httpApp.route(route)` mounts it as is: `auth: 'none'` because Slack's signature is the authentication.
 */
export interface SlackRoute {
  method: 'POST';
  path: string;
  auth: 'none';
  /** Must get the request with its body unread: the signature covers the raw bytes. */
  handler(ctx: { req: IncomingMessage; res: ServerResponse }): Promise<void>;
}

export interface SlackRouteOptions {
  path: string;
  signingSecret: string;
  /** Bolt's HTTPReceiver request listener: verifies the signature (401), parses, acks, dispatches. */
  requestListener: (req: IncomingMessage, res: ServerResponse) => void;
  /** False before start() and after stop(): Slack gets 503 and retries later. */
  accepting: () => boolean;
  bodyLimitBytes: number;
  logger: Logger;
  /** Told of every request as it arrives, so answer work can step aside for acks (see answer-pacer.ts). */
  onArrival?: () => void;
  /** Where signed requests are remembered (the database with replicas: a replay to another replica is refused too). */
  memory?: SharedMemory;
}

/** Slack's replay window: a signed request older (or newer) than this is refused. */
const MAX_CLOCK_SKEW_S = 5 * 60;
/**
 * Signed requests remembered to refuse a replay: enough for the busiest workspace's ten minutes (the window
 * either side of now). Only requests whose signature verified are remembered, so forged ones cannot evict
 * real ones; at about 150 bytes an entry the memory stays under 10 MB.
 */
const MAX_REMEMBERED_SIGNATURES = 50_000;

/**
 * Wraps Bolt's request listener with what it leaves out:
 * - a timestamp from the future is refused too (Bolt only refuses old ones);
 * - the body is read here, bounded, and must be a JSON object (or a form): Bolt would otherwise crash
 *   outside its error handling on a signed body such as `null` (an unhandled rejection that can take the
 *   whole server down). It then gets the buffered body as `req.rawBody`, which it uses as is.
 * - nothing reaches Bolt while the adapter is not running;
 * - a signed request seen before (same timestamp and signature) is a replay: a captured slash command
 *   would otherwise run again each time within Slack's five minutes. An identical retry (X-Slack-Retry-Num)
 *   is acknowledged without running again.
 */
export function slackEventsRoute(options: SlackRouteOptions): SlackRoute {
  const { logger } = options;
  const memory = options.memory ?? new LocalMemory({ max: MAX_REMEMBERED_SIGNATURES });
  const firstTime = async (key: string): Promise<boolean> => {
    try {
      return await memory.rememberOnce(`slack:request:${key}`, 2 * MAX_CLOCK_SKEW_S * 1000);
    } catch (err) {
      // The shared memory is down: the request is still answered (a replay check lost for that moment).
      logger.warn({ err }, 'Slack request memory unavailable: replay check skipped');
      return true;
    }
  };
  return {
    method: 'POST',
    path: options.path,
    auth: 'none',
    async handler({ req, res }) {
      options.onArrival?.();
      if (!options.accepting()) return refuse(req, res, 503, 'Slack request refused: the Slack adapter is not running');
      const ts = header(req, 'x-slack-request-timestamp');
      if (ts !== undefined && /^\d+$/.test(ts) && Number(ts) - Date.now() / 1000 > MAX_CLOCK_SKEW_S) {
        return refuse(req, res, 401, "Slack request refused: timestamp is in the future (check this server's clock)");
      }
      let raw: Buffer;
      try {
        raw = await readBody(req, { limit: options.bodyLimitBytes });
      } catch (err) {
        if (err instanceof HttpError && err.status === 413) return refuse(req, res, 413, 'Slack request refused: body too large');
        logger.warn({ err }, 'Slack request body could not be read');
        if (!res.headersSent) res.writeHead(err instanceof HttpError ? err.status : 400).end();
        return;
      }
      if (!isObjectBody(raw, header(req, 'content-type'))) {
        const signed = isValidSlackRequest({
          signingSecret: options.signingSecret,
          body: raw.toString('utf8'),
          headers: { 'x-slack-signature': header(req, 'x-slack-signature') ?? '', 'x-slack-request-timestamp': Number(ts) },
        });
        return refuse(req, res, signed ? 400 : 401, 'Slack request refused: body is not an object');
      }
      const signature = header(req, 'x-slack-signature');
      if (ts !== undefined && signature !== undefined) {
        const signed = isValidSlackRequest({
          signingSecret: options.signingSecret,
          body: raw.toString('utf8'),
          headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': Number(ts) },
        });
        // Only requests whose signature verified are remembered, so forged ones cannot fill the memory.
        if (signed && !(await firstTime(`${ts}:${signature}`))) {
          if (header(req, 'x-slack-retry-num') !== undefined) {
            logger.info({ url: req.url }, 'Slack retry of a request already received: acknowledged, not run again');
            res.writeHead(200).end();
            return;
          }
          return refuse(req, res, 401, 'Slack request refused: replay of a signed request already received');
        }
      }
      (req as IncomingMessage & { rawBody?: Buffer }).rawBody = raw;
      try {
        options.requestListener(req, res);
      } catch (err) {
        logger.error({ err }, 'Slack request failed before Bolt could handle it');
        if (!res.headersSent) res.writeHead(500).end();
      }
    },
  };

  function refuse(req: IncomingMessage, res: ServerResponse, status: number, why: string): void {
    logger.warn({ status, url: req.url }, why);
    res.writeHead(status, status === 503 ? { 'retry-after': '5' } : {});
    res.end();
    if (!req.complete) req.resume(); // drain what is left so the connection can be reused
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return typeof v === 'string' ? v : undefined;
}

/** How Bolt will read the body: a form (with an optional JSON `payload` field), or else JSON. */
function isObjectBody(raw: Buffer, contentType: string | undefined): boolean {
  const text = raw.toString('utf8');
  try {
    if (contentType === 'application/x-www-form-urlencoded') {
      const payload = parseQuery(text).payload;
      return typeof payload !== 'string' || isPlainObject(JSON.parse(payload));
    }
    return isPlainObject(JSON.parse(text));
  } catch {
    return true; // not JSON at all: Bolt answers 401 (unsigned) or 400 (malformed) itself
  }
}

function isPlainObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
