import { createHash } from 'node:crypto';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineRoute } from '../../src/server/api-route.js';
import { HttpApp } from '../../src/server/app.js';
import { readBody } from '../../src/server/body.js';
import { HttpError } from '../../src/server/errors.js';
import { Metrics } from '../../src/server/metrics.js';
import { captureLogger } from '../agents/helpers.js';

/**
 * The HTTP layer on its own: a real server on loopback with a few declared routes and raw routes, the
 * way `serve` builds it, with short slow-client timeouts so the slowloris defence can be watched.
 */

const TOKEN = 'layer-test-token-0123456789';
const ANALYZE_LIMIT = 2048;
let app: HttpApp;
let base: string;
let metrics: Metrics;
let lines: Record<string, unknown>[];

const EchoSchema = z.strictObject({ text: z.string().min(1), n: z.number().int().optional() });

beforeAll(async () => {
  const captured = captureLogger();
  lines = captured.lines;
  metrics = new Metrics();
  app = new HttpApp({
    log: captured.log,
    metrics,
    apiToken: TOKEN,
    limits: { bodyLimit: 4096, rawBodyLimit: 8192, headersTimeoutMs: 300, requestTimeoutMs: 2000, timeoutCheckIntervalMs: 100 },
    checkResponses: true,
  });
  app.api(
    defineRoute({
      method: 'POST',
      path: '/api/v1/echo',
      operationId: 'echo',
      summary: 'echo',
      auth: 'api',
      body: EchoSchema,
      response: { description: 'the text', schema: z.strictObject({ text: z.string(), length: z.number() }) },
      handler: ({ body }) => ({ text: body.text, length: body.text.length }),
    }),
  );
  // The shape the integrator's POST /api/v1/analyze will have: a body limit of its own, 413 beyond it.
  app.api(
    defineRoute({
      method: 'POST',
      path: '/api/v1/analyze-like',
      operationId: 'analyzeLike',
      summary: 'text in, document out',
      auth: 'api',
      body: z.strictObject({ text: z.string() }),
      bodyLimit: ANALYZE_LIMIT,
      response: { description: 'size', schema: z.strictObject({ bytes: z.number() }) },
      handler: ({ body }) => ({ bytes: body.text.length }),
    }),
  );
  app.api(
    defineRoute({
      method: 'GET',
      path: '/things/:id',
      operationId: 'thing',
      summary: 'a thing',
      auth: 'none',
      params: z.object({ id: z.string().regex(/^\d+$/) }),
      query: z.object({ verbose: z.enum(['yes', 'no']).default('no') }),
      response: { description: 'the thing', schema: z.strictObject({ id: z.string(), verbose: z.boolean() }) },
      handler: ({ params, query }) => ({ id: params.id, verbose: query.verbose === 'yes' }),
    }),
  );
  app.api(
    defineRoute({
      method: 'GET',
      path: '/broken',
      operationId: 'broken',
      summary: 'answers outside its schema',
      auth: 'none',
      response: { description: 'never', schema: z.strictObject({ ok: z.boolean() }) },
      handler: () => ({ ok: 'yes' }) as unknown as { ok: boolean },
    }),
  );
  app.api(
    defineRoute({
      method: 'GET',
      path: '/crash',
      operationId: 'crash',
      summary: 'throws a plain error',
      auth: 'none',
      response: { description: 'never', schema: z.strictObject({}) },
      handler: () => {
        throw new Error('boom with a secret inside');
      },
    }),
  );
  const { port } = await app.listen(0, '127.0.0.1');
  base = `http://127.0.0.1:${port}`;

  // Raw routes mounted after listen, as `serve` mounts the chat adapters.
  app.route({
    method: 'POST',
    path: '/raw/sha',
    auth: 'none',
    handler: async ({ req, res }) => {
      const body = await readBody(req, { limit: 8192 });
      res.writeHead(200, { 'content-type': 'text/plain' }).end(createHash('sha256').update(body).digest('hex'));
    },
  });
  app.route({ method: 'POST', path: '/raw/private', auth: 'api', handler: ({ res }) => void res.writeHead(204).end() });
  app.route({
    method: 'POST',
    path: '/raw/teapot/:kind',
    auth: 'none',
    handler: ({ params }) => {
      if (params.kind === 'http') throw new HttpError(418, 'teapot', 'short and stout', { kind: params.kind });
      throw new Error('raw handler crashed');
    },
  });
});

afterAll(async () => {
  await app.close();
});

const post = (
  path: string,
  body: string | Buffer,
  headers: Record<string, string> = { 'content-type': 'application/json' },
  token: string | null = TOKEN,
) => fetch(`${base}${path}`, { method: 'POST', body, headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) } });

async function errorOf(res: Response): Promise<{ code: string; message: string; details?: unknown }> {
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const body = (await res.json()) as { error: { code: string; message: string; details?: unknown } };
  expect(Object.keys(body)).toEqual(['error']);
  return body.error;
}

describe('routing answers in the one error shape', () => {
  it('404 for an unknown path, any method', async () => {
    for (const method of ['GET', 'POST', 'DELETE']) {
      const res = await fetch(`${base}/nowhere/at/all`, { method });
      expect(res.status).toBe(404);
      expect(await errorOf(res)).toEqual({ code: 'not-found', message: `no route for ${method} /nowhere/at/all` });
    }
  });

  it('405 with Allow for a known path and another method, for declared and raw routes', async () => {
    const declared = await fetch(`${base}/things/1`, { method: 'DELETE' });
    expect(declared.status).toBe(405);
    expect(declared.headers.get('allow')).toBe('GET, HEAD');
    expect((await errorOf(declared)).code).toBe('method-not-allowed');

    const raw = await fetch(`${base}/raw/sha`);
    expect(raw.status).toBe(405);
    expect(raw.headers.get('allow')).toBe('POST');
  });

  it('path and query parameters are validated from the declaration', async () => {
    expect(await (await fetch(`${base}/things/42?verbose=yes`)).json()).toEqual({ id: '42', verbose: true });
    expect(await (await fetch(`${base}/things/42/`)).json()).toEqual({ id: '42', verbose: false });
    const badParam = await fetch(`${base}/things/abc`);
    expect(badParam.status).toBe(400);
    expect(await errorOf(badParam)).toMatchObject({ code: 'invalid-request', details: [{ path: 'params.id' }] });
    const badQuery = await fetch(`${base}/things/1?verbose=maybe`);
    expect(await errorOf(badQuery)).toMatchObject({ code: 'invalid-request', details: [{ path: 'query.verbose' }] });
  });

  it('a malformed URL is a 400 and an unknown method a 405, in the same shape', async () => {
    const bad = await fetch(`${base}/things/%E0%A4%A`);
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).code).toBe('bad-request');
    const options = await fetch(`${base}/things/1`, { method: 'OPTIONS' });
    expect(options.status).toBe(405);
    expect(options.headers.get('allow')).toBe('GET, HEAD');
  });

  it('HEAD is answered for GET routes, without a body', async () => {
    const res = await fetch(`${base}/things/7`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });
});

describe('bodies of declared routes', () => {
  it('valid JSON reaches the handler; the answer carries the no-store headers', async () => {
    const res = await post('/api/v1/echo', JSON.stringify({ text: 'hello' }));
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.json()).toEqual({ text: 'hello', length: 5 });
  });

  it.each([
    ['invalid JSON', '{"text":', 'application/json', 400, 'invalid-json'],
    ['empty JSON body', '', 'application/json', 400, 'invalid-json'],
    ['JSON of the wrong shape', '{"text":""}', 'application/json', 400, 'invalid-request'],
    ['an unknown field', '{"text":"x","admin":true}', 'application/json', 400, 'invalid-request'],
    ['text/plain', 'hello', 'text/plain', 415, 'unsupported-media-type'],
    ['a form', 'text=hello', 'application/x-www-form-urlencoded', 415, 'unsupported-media-type'],
  ])('%s -> %i %s', async (_what, body, type, status, code) => {
    const res = await post('/api/v1/echo', body, { 'content-type': type });
    expect(res.status).toBe(status);
    expect((await errorOf(res)).code).toBe(code);
  });

  it('a body without a content type is a 415', async () => {
    const res = await post('/api/v1/echo', Buffer.from('{"text":"x"}'), {});
    expect(res.status).toBe(415);
  });

  it('413 beyond the server limit, declared or streamed', async () => {
    const big = JSON.stringify({ text: 'x'.repeat(5000) });
    const declared = await post('/api/v1/echo', big);
    expect(declared.status).toBe(413);
    expect((await errorOf(declared)).code).toBe('payload-too-large');

    // Without a content-length (chunked), the limit is enforced while reading.
    const stream = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode(big));
        c.close();
      },
    });
    const streamed = await fetch(`${base}/api/v1/echo`, {
      method: 'POST',
      body: stream,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect((await errorOf(streamed)).code).toBe('payload-too-large');
  });

  it('a route with its own body limit answers 413 beyond it, below the server limit', async () => {
    const ok = await post('/api/v1/analyze-like', JSON.stringify({ text: 'x'.repeat(ANALYZE_LIMIT - 20) }));
    expect(ok.status).toBe(200);
    const tooBig = await post('/api/v1/analyze-like', JSON.stringify({ text: 'x'.repeat(ANALYZE_LIMIT) }));
    expect(tooBig.status).toBe(413);
    expect(await errorOf(tooBig)).toMatchObject({ code: 'payload-too-large' });
  });
});

describe('authentication', () => {
  it('401 with a Bearer challenge before the body is even read', async () => {
    for (const token of [null, 'wrong-token']) {
      // Larger than the limit: a 401 (not a 413) shows auth ran first.
      const res = await post('/api/v1/echo', 'x'.repeat(10_000), { 'content-type': 'application/json' }, token);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('Bearer');
      expect((await errorOf(res)).code).toBe('unauthorized');
    }
  });

  it('raw routes with auth "api" need the token too', async () => {
    expect((await post('/raw/private', '{}', {}, null)).status).toBe(401);
    expect((await post('/raw/private', '{}', {}, TOKEN)).status).toBe(204);
  });
});

describe('raw routes (chat adapters)', () => {
  it('get the body exactly as sent, unparsed, even when it is not JSON', async () => {
    for (const body of [
      Buffer.from('{"type":"message"}'),
      Buffer.from('payload=%7B%22a%22%3A1%7D'),
      Buffer.from([0, 255, 10, 13, 1, 2, 3]),
    ]) {
      const res = await post('/raw/sha', body, { 'content-type': 'application/octet-stream' }, null);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(createHash('sha256').update(body).digest('hex'));
    }
  });

  it('a declared body beyond the raw limit is a 413 before the handler runs', async () => {
    const res = await post('/raw/sha', Buffer.alloc(9000, 1), { 'content-type': 'application/octet-stream' }, null);
    expect(res.status).toBe(413);
    expect((await errorOf(res)).code).toBe('payload-too-large');
  });

  it('cannot be mounted twice, nor over a declared route', () => {
    expect(() => app.route({ method: 'POST', path: '/raw/sha', auth: 'none', handler: () => {} })).toThrow(/already registered/);
    expect(() => app.route({ method: 'POST', path: '/api/v1/echo', auth: 'none', handler: () => {} })).toThrow(/already registered/);
  });

  it('errors thrown by a raw handler get the error body; a crash is a 500 logged once, without its message', async () => {
    const teapot = await post('/raw/teapot/http', '', {}, null);
    expect(teapot.status).toBe(418);
    expect(await errorOf(teapot)).toEqual({ code: 'teapot', message: 'short and stout', details: { kind: 'http' } });

    const before = lines.length;
    const crash = await post('/raw/teapot/js', '', {}, null);
    expect(crash.status).toBe(500);
    expect(await errorOf(crash)).toEqual({ code: 'internal', message: 'internal error (see the server log)' });
    const logged = lines.slice(before).filter((l) => l.level === 50);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ msg: 'request failed', method: 'POST', url: '/raw/teapot/js' });
  });
});

describe('failures of declared routes', () => {
  it('a response outside its declared schema is a 500 (the check tests run with)', async () => {
    const res = await fetch(`${base}/broken`);
    expect(res.status).toBe(500);
    expect((await errorOf(res)).code).toBe('invalid-response');
  });

  it('a crash is a 500 that does not leak the error message', async () => {
    const res = await fetch(`${base}/crash`);
    expect(res.status).toBe(500);
    const error = await errorOf(res);
    expect(error.message).not.toContain('secret');
  });
});

describe('slow clients (slowloris)', () => {
  it('a connection that never finishes its headers is closed after headersTimeout', async () => {
    const socket = connect(Number(new URL(base).port), '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const started = Date.now();
    socket.write('GET /things/1 HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    let received = '';
    socket.on('data', (d: Buffer) => (received += d.toString('latin1')));
    const closedAfter = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('socket still open after 5 s')), 5000);
      socket.once('close', () => {
        clearTimeout(timer);
        resolve(Date.now() - started);
      });
    });
    expect(closedAfter).toBeGreaterThanOrEqual(250);
    expect(closedAfter).toBeLessThan(2000);
    expect(received).toMatch(/^HTTP\/1\.1 408/);
  });

  it('the server still answers after that', async () => {
    expect((await fetch(`${base}/things/3`)).status).toBe(200);
  });
});

describe('observability', () => {
  it('counts requests per route pattern (never the raw path), raw routes and unmatched ones included', async () => {
    await fetch(`${base}/things/99`);
    await fetch(`${base}/no/such/path/123`);
    await post('/raw/sha', 'x', { 'content-type': 'text/plain' }, null);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/vpn_doctor_http_requests_total\{method="GET",route="\/things\/:id",status="200"\} \d+/);
    expect(text).toMatch(/vpn_doctor_http_requests_total\{method="GET",route="unmatched",status="404"\} \d+/);
    expect(text).toMatch(/vpn_doctor_http_requests_total\{method="POST",route="\/raw\/sha",status="200"\} \d+/);
    expect(text).not.toContain('/things/99');
  });

  it('writes no access log: successful and client-error requests leave the log empty', async () => {
    const before = lines.length;
    await fetch(`${base}/things/5`);
    await fetch(`${base}/nope`);
    await post('/api/v1/echo', '{', { 'content-type': 'application/json' });
    expect(lines.slice(before)).toEqual([]);
  });
});

describe('the one body reader', () => {
  it('stops buffering a streamed body at the limit, and the connection can still be answered', async () => {
    app.route({
      method: 'POST',
      path: '/raw/small',
      auth: 'none',
      handler: async ({ req, res }) => {
        try {
          const body = await readBody(req, { limit: 100 });
          res.writeHead(200).end(String(body.length));
        } catch (err) {
          res.writeHead((err as HttpError).status).end((err as HttpError).code);
        }
      },
    });
    const chunked = (size: number) =>
      fetch(`${base}/raw/small`, {
        method: 'POST',
        body: new ReadableStream({
          start(c) {
            for (let sent = 0; sent < size; sent += 50) c.enqueue(new Uint8Array(50));
            c.close();
          },
        }),
        duplex: 'half',
      } as RequestInit);
    const small = await chunked(100);
    expect([small.status, await small.text()]).toEqual([200, '100']);
    const big = await chunked(5000);
    expect([big.status, await big.text()]).toEqual([413, 'payload-too-large']);
  });

  it('rejects a body that arrives too slowly with 408', async () => {
    app.route({
      method: 'POST',
      path: '/raw/slow-body',
      auth: 'none',
      handler: async ({ req, res }) => {
        try {
          await readBody(req, { limit: 1000, timeoutMs: 200 });
          res.writeHead(200).end();
        } catch (err) {
          res.writeHead((err as HttpError).status).end((err as HttpError).code);
          req.destroy();
        }
      },
    });
    const socket = connect(Number(new URL(base).port), '127.0.0.1');
    let received = '';
    socket.on('data', (d: Buffer) => (received += d.toString('latin1')));
    socket.write('POST /raw/slow-body HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly-part');
    await new Promise<void>((resolve) => socket.once('close', () => resolve()));
    expect(received).toMatch(/^HTTP\/1\.1 408/);
    expect(received).toContain('request-timeout');
  });
});
