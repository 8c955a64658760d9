import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProbeAgent } from '../../src/agents/agent.js';
import { answerDocument } from '../../src/conversation/answer-document.js';
import type { RunningServer } from '../../src/server/start.js';
import { API_TOKEN, api, bodyOf, connectAgent, fixedClassifier, kb, startTestServer } from './helpers.js';

let server: RunningServer & { lines: Record<string, unknown>[] };
const agents: ProbeAgent[] = [];

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop({ timeoutMs: 200 })));
  await server.close();
});

describe('authentication of the runbook API', () => {
  it.each([
    ['no header', null, undefined],
    ['wrong token', 'not-the-token-0123456789abcdef', undefined],
    ['shorter token', 'x', undefined],
    ['right token, wrong scheme', undefined, `Basic ${API_TOKEN}`],
  ])('401 with %s', async (_what, token, authorization) => {
    for (const [path, init] of [
      ['/api/v1/agents', {}],
      ['/api/v1/ask', { json: { text: 'hi' } }],
      ['/api/v1/checks', { json: { host: 'acme.outsystemsenterprise.com', dnsServers: ['10.0.0.2'] } }],
      ['/api/v1/jobs', {}],
    ] as const) {
      const res = await api(server, path, {
        ...init,
        token: authorization ? null : token,
        ...(authorization ? { headers: { authorization } } : {}),
      });
      expect(res.status, path).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('Bearer');
      expect(await bodyOf(res)).toMatchObject({ error: { code: 'unauthorized' } });
    }
  });

  it('refuses everyone when no API token is configured (fail closed)', async () => {
    const open = await startTestServer({ apiToken: undefined });
    try {
      const res = await api(open, '/api/v1/agents', { token: 'anything-anything-anything' });
      expect(res.status).toBe(401);
      expect((await bodyOf(res)).error.message).toContain('VPN_DOCTOR_API_TOKEN');
    } finally {
      await open.close();
    }
  });
});

describe('public endpoints', () => {
  it('GET /healthz', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await bodyOf(res)).toMatchObject({ status: 'ok', db: 'ok', agentsOnline: expect.any(Number) });
  });

  it('GET /api/v1/openapi.json is an OpenAPI 3.1 document of every route', async () => {
    const res = await fetch(`${server.url}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    const doc = await bodyOf(res);
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/checks', '/api/v1/agents', '/api/v1/ask', '/healthz', '/metrics']),
    );
    expect(doc.components.schemas.CheckReport.properties.verdict.enum).toEqual(['healthy', 'degraded', 'down']);
    expect(doc.components.schemas.CheckRequest.properties.dnsServers.type).toBe('array');
    expect(doc.components.securitySchemes.bearer.scheme).toBe('bearer');
  });

  it('GET /metrics exposes agents, jobs and HTTP metrics', async () => {
    await fetch(`${server.url}/healthz`);
    const text = await (await fetch(`${server.url}/metrics`)).text();
    for (const name of [
      'vpn_doctor_agents_online',
      'vpn_doctor_jobs_total',
      'vpn_doctor_job_duration_seconds',
      'vpn_doctor_http_requests_total',
    ])
      expect(text).toContain(name);
    expect(text).toMatch(/vpn_doctor_http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/);
  });

  it('404 for unknown routes, 405 with Allow for wrong methods', async () => {
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
    const res = await fetch(`${server.url}/api/v1/checks`, { method: 'GET', headers: { authorization: `Bearer ${API_TOKEN}` } });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
  });
});

describe('POST /api/v1/ask', () => {
  it('returns the `ask --json` document', async () => {
    const res = await api(server, '/api/v1/ask', { json: { text: 'tunnel goes down when idle' } });
    expect(res.status).toBe(200);
    expect(await bodyOf(res)).toEqual(await answerDocument(kb, fixedClassifier, 'tunnel goes down when idle'));
  });

  it.each([
    ['missing text', { json: {} }, 400, 'invalid-request'],
    ['empty text', { json: { text: '   ' } }, 400, 'invalid-request'],
    ['extra field', { json: { text: 'x', admin: true } }, 400, 'invalid-request'],
    ['not JSON', { method: 'POST', body: '{"text":', headers: { 'content-type': 'application/json' } }, 400, 'invalid-json'],
    [
      'wrong content type',
      { method: 'POST', body: 'text=hi', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      415,
      'unsupported-media-type',
    ],
    ['too large', { json: { text: 'x'.repeat(70_000) } }, 413, 'payload-too-large'],
  ] as const)('%s -> %i', async (_what, init, status, code) => {
    const res = await api(server, '/api/v1/ask', init as never);
    expect(res.status).toBe(status);
    expect(await bodyOf(res)).toMatchObject({ error: { code } });
  });
});

describe('POST /api/v1/checks: validation and agent choice', () => {
  const body = { host: 'acme.outsystemsenterprise.com', dnsServers: ['127.0.0.1'] };

  it.each([
    ['injection host', { ...body, host: '$(id).outsystemsenterprise.com' }],
    ['option-like host', { ...body, host: '-oProxyCommand=x' }],
    ['shell host', { ...body, host: ';id' }],
    ['300-char host', { ...body, host: `${'a'.repeat(300)}.com` }],
    ['bad DNS server', { ...body, dnsServers: ['10.0.0.2; id'] }],
    ['no host', { dnsServers: ['10.0.0.2'] }],
    ['no DNS server', { host: body.host, dnsServers: [] }],
    ['bad agent name', { ...body, agent: '../etc' }],
    ['unknown field', { ...body, command: 'id' }],
  ])('400 for %s, before any agent is asked', async (_what, json) => {
    const jobs = await server.store.audit.count();
    const res = await api(server, '/api/v1/checks', { json });
    expect(res.status).toBe(400);
    expect((await bodyOf(res)).error.code).toBe('invalid-request');
    expect(await server.store.audit.count()).toBe(jobs);
  });

  it('503 when no agent is online, 404 for an unknown agent', async () => {
    expect((await api(server, '/api/v1/checks', { json: body })).status).toBe(503);
    const res = await api(server, '/api/v1/checks', { json: { ...body, agent: 'nobody' } });
    expect(res.status).toBe(404);
    expect((await bodyOf(res)).error.code).toBe('agent-unknown');
  });

  it('409 when several agents are online and none is named; GET /api/v1/agents lists them', async () => {
    agents.push(await connectAgent(server, 'site-a'), await connectAgent(server, 'site-b'));
    const res = await api(server, '/api/v1/checks', { json: body });
    expect(res.status).toBe(409);
    expect((await bodyOf(res)).error.details.online).toEqual(['site-a', 'site-b']);

    const list = await bodyOf(api(server, '/api/v1/agents'));
    expect(list.agents.map((a: { name: string; online: boolean }) => [a.name, a.online])).toEqual([
      ['site-a', true],
      ['site-b', true],
    ]);
    expect(list.agents[0].capabilities.allow).toEqual(['127.0.0.0/8']);
    expect((await api(server, '/api/v1/agents/site-a')).status).toBe(200);
    expect((await api(server, '/api/v1/agents/zzz')).status).toBe(404);
    expect((await bodyOf(api(server, '/api/v1/agents/site-a/events'))).events).toEqual([]);
  });
});
