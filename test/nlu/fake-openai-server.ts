/**
 * A minimal OpenAI-compatible chat completions server on 127.0.0.1, for driving the real
 * @langchain/openai client in tests. It answers like the real API: with `tool_calls` when the request
 * carries tools (function calling), or with JSON message content when it asks for `response_format`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatRequest {
  model: string;
  messages: { role: string; content: unknown }[];
  tools?: { type: string; function: { name: string; parameters: unknown } }[];
  tool_choice?: unknown;
  response_format?: { type: string };
}

/** What the server should do with one request. */
export type Behaviour =
  | { kind: 'answer'; arguments: unknown } // structured answer (serialised as the API would)
  | { kind: 'raw-arguments'; text: string } // tool arguments / content verbatim (e.g. malformed JSON)
  | { kind: 'status'; status: number; body?: unknown }
  | { kind: 'slow'; delayMs: number; arguments: unknown };

export interface FakeOpenAiServer {
  baseUrl: string;
  requests: ChatRequest[];
  setBehaviour(b: Behaviour): void;
  close(): Promise<void>;
}

export async function startFakeOpenAiServer(initial: Behaviour): Promise<FakeOpenAiServer> {
  let behaviour = initial;
  const requests: ChatRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void handle(req, res);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      return send(res, 404, { error: { message: `no route ${req.method} ${req.url}`, type: 'invalid_request_error' } });
    }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatRequest;
    requests.push(body);
    const b = behaviour;
    if (b.kind === 'status') {
      return send(res, b.status, b.body ?? { error: { message: 'internal error', type: 'server_error' } });
    }
    if (b.kind === 'slow') await new Promise((r) => setTimeout(r, b.delayMs));
    if (res.destroyed) return;
    const text = b.kind === 'raw-arguments' ? b.text : JSON.stringify(b.arguments);
    send(res, 200, completion(body, text));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    setBehaviour(b) {
      behaviour = b;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function completion(req: ChatRequest, text: string): unknown {
  const base = { id: 'chatcmpl-fake', object: 'chat.completion', created: 1_700_000_000, model: req.model };
  const usage = { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 };
  const tool = req.tools?.[0];
  if (tool) {
    return {
      ...base,
      choices: [
        {
          index: 0,
          finish_reason: 'tool_calls',
          message: {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: 'call_fake_1', type: 'function', function: { name: tool.function.name, arguments: text } }],
          },
        },
      ],
      usage,
    };
  }
  return { ...base, choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: text } }], usage };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const data = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) });
  res.end(data);
}
