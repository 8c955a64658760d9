import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQuery } from 'node:querystring';
import { blockKitViolations } from './block-kit-check.js';

export const BOT_USER_ID = 'UBOTVPN01';
export const BOT_ID = 'BBOTVPN01';
export const TEAM_ID = 'TTEAM0001';

export interface ApiCall {
  method: string;
  params: Record<string, unknown>;
  /** Bearer token the call was made with. */
  token: string | undefined;
  at: number;
}

export interface ResponseUrlCall {
  path: string;
  body: Record<string, unknown>;
  at: number;
}

/** A file the fake serves at its url_private_download, and how. */
export interface FakeFile {
  body: Buffer | string;
  status?: number;
  contentType?: string;
  headers?: Record<string, string>;
  /** Wait this long before answering (to exceed a download timeout). */
  delayMs?: number;
}

export interface FileDownload {
  path: string;
  /** Bearer token the download was made with. */
  token: string | undefined;
}

interface Scripted {
  status?: number;
  headers?: Record<string, string>;
  body: Record<string, unknown>;
}

/**
 * A local stand-in for the Slack Web API (https://slack.com/api/METHOD) and for response_url endpoints,
 * on 127.0.0.1. Records every call; answers like Slack (ok/ts/error); refuses messages that break Block
 * Kit limits with `invalid_blocks` as Slack would; can be told to rate-limit (429 + Retry-After) or fail.
 */
export class FakeSlackApi {
  readonly calls: ApiCall[] = [];
  readonly responseUrlCalls: ResponseUrlCall[] = [];
  readonly blockViolations: string[] = [];
  /** Channels the bot is not a member of: chat.postMessage answers not_in_channel there. */
  readonly notMemberOf = new Set<string>();
  /** What apps.connections.open hands out (Socket Mode): a fresh WebSocket URL per call. */
  socketUrl: (() => string) | undefined;
  /** Files served under /files-pri/ (as files.slack.com serves url_private_download), by path. */
  readonly files = new Map<string, FakeFile>();
  readonly fileDownloads: FileDownload[] = [];
  private readonly scripted = new Map<string, Scripted[]>();
  private server: Server | undefined;
  private tsCounter = 0;
  private port = 0;

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Base URL for SLACK_API_URL. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  responseUrl(id: string): string {
    return `http://127.0.0.1:${this.port}/response/${id}`;
  }

  /** Serves `file` and returns its url_private_download. */
  serveFile(id: string, name: string, file: FakeFile): string {
    const path = `/files-pri/${TEAM_ID}-${id}/download/${encodeURIComponent(name)}`;
    this.files.set(path, file);
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** The next call(s) of `method` get this answer instead of the normal one. */
  script(method: string, ...answers: Scripted[]): void {
    this.scripted.set(method, [...(this.scripted.get(method) ?? []), ...answers]);
  }

  rateLimitNext(method: string, retryAfterSeconds: number): void {
    this.script(method, { status: 429, headers: { 'retry-after': String(retryAfterSeconds) }, body: { ok: false, error: 'ratelimited' } });
  }

  callsOf(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Messages the bot posted or updated, as Slack would show them now (chat.update applied). */
  messages(): { channel: string; ts: string; thread_ts?: string; text: string; blocks: unknown[] }[] {
    const byTs = new Map<string, { channel: string; ts: string; thread_ts?: string; text: string; blocks: unknown[] }>();
    for (const c of this.calls) {
      if (c.method === 'chat.postMessage' && c.params.__ts) {
        byTs.set(String(c.params.__ts), {
          channel: String(c.params.channel),
          ts: String(c.params.__ts),
          ...(c.params.thread_ts ? { thread_ts: String(c.params.thread_ts) } : {}),
          text: String(c.params.text ?? ''),
          blocks: (c.params.blocks as unknown[]) ?? [],
        });
      }
      if (c.method === 'chat.update' && c.params.__ok) {
        const m = byTs.get(String(c.params.ts));
        if (m) {
          m.text = String(c.params.text ?? '');
          m.blocks = (c.params.blocks as unknown[]) ?? [];
        }
      }
    }
    return [...byTs.values()];
  }

  async waitFor<T>(probe: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = probe();
      if (v) return v;
      if (Date.now() > deadline) throw new Error('timed out waiting for the fake Slack API');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://localhost');

    if (url.pathname.startsWith('/files-pri/')) {
      this.fileDownloads.push({ path: url.pathname, token: req.headers.authorization?.replace(/^Bearer /, '') });
      const file = this.files.get(url.pathname);
      // Like files.slack.com: without the right token, a sign-in page (HTML) instead of the file.
      if (!file || req.headers.authorization === undefined) return send(res, 404, 'file_not_found');
      if (file.delayMs) await new Promise((r) => setTimeout(r, file.delayMs));
      if (res.destroyed) return;
      res.writeHead(file.status ?? 200, { 'content-type': file.contentType ?? 'application/octet-stream', ...file.headers });
      res.end(file.body);
      return;
    }

    if (url.pathname.startsWith('/response/')) {
      const body = JSON.parse(raw || '{}') as Record<string, unknown>;
      this.responseUrlCalls.push({ path: url.pathname, body, at: Date.now() });
      const problems = blockKitViolations(body);
      this.blockViolations.push(...problems);
      return send(res, problems.length > 0 ? 400 : 200, problems.length > 0 ? 'invalid_blocks' : 'ok');
    }

    const method = url.pathname.replace(/^\/api\//, '');
    const params = parseParams(raw, req.headers['content-type']);
    const auth = req.headers.authorization;
    const call: ApiCall = { method, params, token: auth?.replace(/^Bearer /, ''), at: Date.now() };
    this.calls.push(call);

    const scripted = this.scripted.get(method)?.shift();
    if (scripted) return sendJson(res, scripted.status ?? 200, scripted.body, scripted.headers);
    const answer = this.answer(method, params);
    if (answer.ok && method === 'chat.postMessage') params.__ts = answer.ts;
    if (answer.ok && method === 'chat.update') params.__ok = true;
    sendJson(res, 200, answer);
  }

  private answer(method: string, params: Record<string, unknown>): Record<string, unknown> & { ok: boolean } {
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://example.slack.com/',
          team: 'Example',
          user: 'vpn-doctor',
          team_id: TEAM_ID,
          user_id: BOT_USER_ID,
          bot_id: BOT_ID,
        };
      case 'apps.connections.open':
        return this.socketUrl ? { ok: true, url: this.socketUrl() } : { ok: false, error: 'invalid_auth' };
      case 'chat.postMessage':
      case 'chat.postEphemeral':
      case 'chat.update': {
        const channel = String(params.channel ?? '');
        if (!channel) return { ok: false, error: 'channel_not_found' };
        if (method === 'chat.postMessage' && this.notMemberOf.has(channel)) return { ok: false, error: 'not_in_channel' };
        const problems = blockKitViolations(params);
        if (problems.length > 0) {
          this.blockViolations.push(...problems);
          return { ok: false, error: 'invalid_blocks', errors: problems };
        }
        if (method === 'chat.update') return { ok: true, channel, ts: params.ts, text: params.text };
        const ts = `1700000000.${String(++this.tsCounter).padStart(6, '0')}`;
        return method === 'chat.postEphemeral' ? { ok: true, message_ts: ts } : { ok: true, channel, ts };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }
}

/** The WebClient posts form fields, with objects and arrays (blocks) as JSON strings. */
function parseParams(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.startsWith('application/json')) return JSON.parse(raw || '{}') as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(parseQuery(raw))) {
    const value = Array.isArray(v) ? v[0] : v;
    if (value === undefined) continue;
    out[k] = k === 'blocks' || k === 'attachments' ? JSON.parse(value) : value;
  }
  return out;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

function send(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain' });
  res.end(text);
}
