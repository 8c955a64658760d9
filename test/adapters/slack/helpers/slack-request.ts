import { createHmac } from 'node:crypto';
import { request } from 'node:http';

export const SIGNING_SECRET = 'f1e2d3c4b5a69788f1e2d3c4b5a69788';

/** Slack's request signature: v0=HMAC-SHA256(signing secret, "v0:{timestamp}:{raw body}"), hex. */
export function slackSignature(body: string, timestamp: number, secret = SIGNING_SECRET): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SendOptions {
  contentType?: string;
  /** Seconds since the epoch; default now. */
  timestamp?: number;
  secret?: string;
  /** Replace or drop (undefined) headers after signing. */
  headers?: Record<string, string | undefined>;
  sign?: boolean;
}

export interface SlackResponse {
  status: number;
  body: string;
  ms: number;
}

/** POSTs a body to the receiver the way Slack does: signed, with Slack's headers, over loopback HTTP. */
export function postToSlackEndpoint(url: string, body: string, options: SendOptions = {}): Promise<SlackResponse> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': options.contentType ?? 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
  };
  if (options.sign !== false) {
    headers['x-slack-request-timestamp'] = String(timestamp);
    headers['x-slack-signature'] = slackSignature(body, timestamp, options.secret);
  }
  for (const [k, v] of Object.entries(options.headers ?? {})) {
    if (v === undefined) delete headers[k];
    else headers[k] = v;
  }
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Slash commands and interactivity come as forms, with exactly this content type (Bolt compares it as is). */
export const FORM = 'application/x-www-form-urlencoded';

export function formBody(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}
