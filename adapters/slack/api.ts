import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { SlackMessage } from './render.js';

/**
 * The few Slack calls the adapter makes, with Slack's rate limits honoured: on HTTP 429 Slack says how
 * long to wait (Retry-After) and we wait exactly that before trying again, up to a bound per call. The
 * WebClient is built with `rejectRateLimitedCalls: true` so the 429 reaches us instead of being retried
 * inside the client on its own schedule (which would also stall every other call queued behind it).
 */
export interface SlackApi {
  postMessage(
    target: { channel: string; threadTs?: string | undefined },
    message: SlackMessage,
    options?: CallOptions,
  ): Promise<{ ts: string }>;
  update(target: { channel: string; ts: string }, message: SlackMessage, options?: CallOptions): Promise<void>;
  /** POSTs to a slash command's or action's `response_url` (works where the bot is not a member). */
  respond(responseUrl: string, body: ResponseUrlBody, options?: CallOptions): Promise<void>;
}

export interface ResponseUrlBody extends SlackMessage {
  response_type?: 'ephemeral' | 'in_channel';
  replace_original?: boolean;
}

export interface CallOptions {
  /** Longest Retry-After we are willing to sit out; a progress update is worth less than a final answer. */
  maxRateLimitWaitMs?: number;
}

/** Error codes Slack returns in `{ok:false, error}`, or undefined for transport errors. */
export function slackErrorCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; data?: { error?: unknown } };
  if (e?.code === 'slack_webapi_platform_error' && typeof e.data?.error === 'string') return e.data.error;
  return undefined;
}

function retryAfterMs(err: unknown): number | undefined {
  const e = err as { code?: unknown; retryAfter?: unknown };
  if (e?.code === 'slack_webapi_rate_limited_error' && typeof e.retryAfter === 'number') return Math.max(0, e.retryAfter * 1000);
  if (err instanceof ResponseUrlRateLimited) return err.retryAfterMs;
  return undefined;
}

class ResponseUrlRateLimited extends Error {
  constructor(readonly retryAfterMs: number) {
    super(`response_url rate-limited, retry after ${retryAfterMs} ms`);
  }
}

const MAX_ATTEMPTS = 4;
const DEFAULT_MAX_WAIT_MS = 60_000;
const RESPONSE_URL_TIMEOUT_MS = 10_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A response_url arrives in a signed payload, but it is still a URL we are told to POST to: only Slack's
 * own hosts are accepted (and the configured SLACK_API_URL's origin, for GovSlack-style installs and
 * tests), so a payload can never turn the bot into a client of some other server.
 */
export function isSlackResponseUrl(url: string, apiUrl: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.origin === new URL(apiUrl).origin) return true;
  return u.protocol === 'https:' && /(^|\.)(slack\.com|slack-gov\.com)$/.test(u.hostname);
}

export class WebApiSlackApi implements SlackApi {
  constructor(
    private readonly client: webApi.WebClient,
    private readonly logger: Logger,
    private readonly apiUrl: string,
  ) {}

  async postMessage(
    target: { channel: string; threadTs?: string | undefined },
    message: SlackMessage,
    options: CallOptions = {},
  ): Promise<{ ts: string }> {
    const result = await this.withRetryAfter('chat.postMessage', options, () =>
      this.client.chat.postMessage({
        channel: target.channel,
        ...(target.threadTs ? { thread_ts: target.threadTs } : {}),
        text: message.text,
        ...(message.blocks.length > 0 ? { blocks: message.blocks } : {}),
        // Host names in answers must not unfurl into link previews of the customer's intranet.
        unfurl_links: false,
        unfurl_media: false,
      }),
    );
    if (typeof result.ts !== 'string') throw new Error('chat.postMessage returned no ts');
    return { ts: result.ts };
  }

  async update(target: { channel: string; ts: string }, message: SlackMessage, options: CallOptions = {}): Promise<void> {
    await this.withRetryAfter('chat.update', options, () =>
      // An empty `blocks` is sent on purpose: it clears the old blocks when the update is plain text.
      this.client.chat.update({ channel: target.channel, ts: target.ts, text: message.text, blocks: message.blocks }),
    );
  }

  async respond(responseUrl: string, body: ResponseUrlBody, options: CallOptions = {}): Promise<void> {
    if (!isSlackResponseUrl(responseUrl, this.apiUrl)) throw new Error(`not a Slack response_url: ${responseUrl.slice(0, 100)}`);
    await this.withRetryAfter('response_url', options, async () => {
      const res = await fetch(responseUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(RESPONSE_URL_TIMEOUT_MS),
        redirect: 'error',
      });
      if (res.status === 429) {
        const seconds = Number(res.headers.get('retry-after') ?? '1');
        throw new ResponseUrlRateLimited(Number.isFinite(seconds) ? seconds * 1000 : 1000);
      }
      const text = await res.text();
      if (!res.ok) throw new Error(`response_url answered HTTP ${res.status}: ${text.slice(0, 200)}`);
    });
  }

  private async withRetryAfter<T>(method: string, options: CallOptions, call: () => Promise<T>): Promise<T> {
    const maxWait = options.maxRateLimitWaitMs ?? DEFAULT_MAX_WAIT_MS;
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (err) {
        const wait = retryAfterMs(err);
        if (wait === undefined || attempt >= MAX_ATTEMPTS || wait > maxWait) throw err;
        this.logger.warn({ method, retryAfterMs: wait, attempt }, 'Slack rate limit: waiting as Retry-After asks before trying again');
        await sleep(wait);
      }
    }
  }
}
