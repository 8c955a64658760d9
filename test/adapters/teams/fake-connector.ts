import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call the bot made to the Bot Framework connector. */
export interface ConnectorCall {
  method: string;
  /** 'send' (POST .../activities), 'reply' (POST .../activities/{id}), 'update' (PUT), 'create' (POST /v3/conversations). */
  kind: 'send' | 'reply' | 'update' | 'create';
  conversationId?: string;
  /** replyToId for 'reply', the updated activity id for 'update'. */
  activityId?: string;
  body: Record<string, unknown>;
  bytes: number;
  authorization: string | undefined;
  /** The activity id the connector answered with (what an update later refers to). */
  responseId?: string;
}

/**
 * A local stand-in for the Bot Framework connector service (the `serviceUrl` of Teams activities),
 * implementing the four calls the adapter makes and recording them. Serves under any path prefix, as
 * Teams service URLs have one ("https://smba.trafficmanager.net/amer/").
 */
export class FakeConnector {
  readonly calls: ConnectorCall[] = [];
  /** Status to answer POST /v3/conversations with (403 simulates a bot not allowed to start posts). */
  createStatus = 200;
  /** Status to answer PUT (updates) with (404 simulates a card someone deleted). */
  updateStatus = 200;
  private seq = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(prefix = '/amer/'): Promise<FakeConnector> {
    const ref: { self?: FakeConnector } = {};
    const server = createServer((req, res) => void ref.self!.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    ref.self = new FakeConnector(server, `http://127.0.0.1:${port}${prefix}`);
    return ref.self;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  reset(): void {
    this.calls.length = 0;
  }

  /** Polls until `pick` finds a call (or the timeout passes). */
  async waitFor(pick: (calls: ConnectorCall[]) => ConnectorCall | undefined, timeoutMs = 5000): Promise<ConnectorCall> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const found = pick(this.calls);
      if (found) return found;
      if (Date.now() > until)
        throw new Error(`no matching connector call within ${timeoutMs} ms; calls: ${JSON.stringify(this.calls.map(summary))}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    let body: Record<string, unknown>;
    try {
      body = raw.length > 0 ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : {};
    } catch {
      res.writeHead(400).end();
      return;
    }
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const v3 = path.slice(path.indexOf('/v3/'));
    const base = { body, bytes: raw.length, authorization: req.headers.authorization };
    const id = `bot-activity-${++this.seq}`;
    let m: RegExpExecArray | null;

    if (req.method === 'POST' && v3 === '/v3/conversations') {
      this.calls.push({ method: 'POST', kind: 'create', responseId: id, ...base });
      if (this.createStatus !== 200) return json(res, this.createStatus, { error: { code: 'Forbidden', message: 'not allowed' } });
      const channel = (body.channelData as { channel?: { id?: string } } | undefined)?.channel?.id ?? 'conversation';
      return json(res, 200, { id: `${channel};messageid=${id}`, activityId: id });
    }
    if ((m = /^\/v3\/conversations\/([^/]+)\/activities$/.exec(v3)) && req.method === 'POST') {
      this.calls.push({ method: 'POST', kind: 'send', conversationId: decodeURIComponent(m[1]!), responseId: id, ...base });
      return json(res, 200, { id });
    }
    if ((m = /^\/v3\/conversations\/([^/]+)\/activities\/([^/]+)$/.exec(v3))) {
      const conversationId = decodeURIComponent(m[1]!);
      const activityId = decodeURIComponent(m[2]!);
      if (req.method === 'POST') {
        this.calls.push({ method: 'POST', kind: 'reply', conversationId, activityId, responseId: id, ...base });
        return json(res, 200, { id });
      }
      if (req.method === 'PUT') {
        this.calls.push({ method: 'PUT', kind: 'update', conversationId, activityId, responseId: activityId, ...base });
        if (this.updateStatus !== 200) return json(res, this.updateStatus, { error: { code: 'NotFound', message: 'no such activity' } });
        return json(res, 200, { id: activityId });
      }
    }
    json(res, 404, { error: { code: 'NotFound', message: `${req.method} ${v3}` } });
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

function summary(c: ConnectorCall): string {
  return `${c.method} ${c.kind} ${c.conversationId ?? ''} ${c.activityId ?? ''}`;
}

/** The Adaptive Card of a posted activity. */
export function cardOf(call: ConnectorCall): { body: Record<string, unknown>[]; actions?: Record<string, unknown>[] } {
  const attachments = call.body.attachments as { contentType: string; content: { body: Record<string, unknown>[] } }[] | undefined;
  const card = attachments?.[0];
  if (!card || card.contentType !== 'application/vnd.microsoft.card.adaptive')
    throw new Error('no adaptive card in ' + JSON.stringify(call.body).slice(0, 300));
  return card.content;
}

/** All the text a card shows (TextBlocks, TextRuns, facts, table cells, button titles), for assertions. */
export function cardText(call: ConnectorCall): string {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (typeof v !== 'object' || v === null) return;
    const o = v as Record<string, unknown>;
    if (typeof o.text === 'string') out.push(o.text);
    if (typeof o.title === 'string') out.push(o.title);
    if (typeof o.value === 'string' && o.type === undefined) out.push(o.value);
    for (const [k, x] of Object.entries(o)) if (k !== 'data') walk(x);
  };
  walk(cardOf(call));
  return out.join('\n');
}

/** The Action.Submit / Action.Execute buttons of a card, with their data. */
export function buttonsOf(call: ConnectorCall): { title: string; data: Record<string, unknown>; type: string }[] {
  const out: { title: string; data: Record<string, unknown>; type: string }[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (typeof v !== 'object' || v === null) return;
    const o = v as Record<string, unknown>;
    if ((o.type === 'Action.Submit' || o.type === 'Action.Execute') && typeof o.title === 'string') {
      out.push({ title: o.title, data: o.data as Record<string, unknown>, type: o.type });
    }
    for (const x of Object.values(o)) walk(x);
  };
  walk(cardOf(call));
  return out;
}
