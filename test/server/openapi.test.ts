import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProbeAgent } from '../../src/agents/agent.js';
import type { JobStatus } from '../../src/store/index.js';
import { registerAgent, startAgent } from '../agents/helpers.js';
import { api, startTestServer } from './helpers.js';

/**
 * The OpenAPI document is generated from the route declarations. It must be a valid OpenAPI 3.1
 * document, describe every route, resolve every reference, and describe what the server really sends:
 * real responses (from a server with a real agent and real audit rows) are validated against the
 * document's own JSON Schemas, independently of the zod check the server runs in tests.
 */

let server: Awaited<ReturnType<typeof startTestServer>>;
let agent: ProbeAgent;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let doc: any;
let ajv: Ajv2020;

beforeAll(async () => {
  server = await startTestServer();
  let ok = true;
  ({ agent } = startAgent(`${server.url.replace('http', 'ws')}/agents`, await registerAgent(server.store, 'doc-agent'), 'doc-agent', {
    keepalive: { target: '127.0.0.2', intervalMs: 20, ping: async () => ({ ok, rttMs: ok ? 1.5 : null }), downAfter: 2, upAfter: 2 },
  }));
  await agent.whenOnline();
  await new Promise((r) => setTimeout(r, 100));
  ok = false;
  await new Promise((r) => setTimeout(r, 150));
  const res = await fetch(`${server.url}/api/v1/openapi.json`);
  expect(res.status).toBe(200);
  doc = await res.json();
  ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
  ajv.addSchema(doc, 'openapi.json');
});

afterAll(async () => {
  await agent?.stop({ timeoutMs: 200 });
  await server?.close();
});

const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/** Validates a real response body against the schema the document declares for it. */
async function matchesDocument(res: Response, path: string, method: string): Promise<unknown> {
  const body: unknown = await res.json();
  const declared = doc.paths[path]?.[method]?.responses?.[String(res.status)];
  expect(declared, `${method} ${path} ${res.status} is in the document`).toBeDefined();
  const validate = ajv.compile({
    $ref: `openapi.json#/${pointer('paths', path, method, 'responses', String(res.status), 'content', 'application/json', 'schema')}`,
  });
  const valid = validate(body);
  expect(validate.errors ?? [], `${method} ${path} ${res.status}`).toEqual([]);
  expect(valid).toBe(true);
  return body;
}

describe('the generated OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(structuredClone(doc));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe('3.1.0');
  });

  it('describes exactly the declared routes, with the layer answers (400, 401, 413, 415) where they apply', () => {
    const declared = server.app.apiRoutes.map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, '{$1}')}`).sort();
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`))
      .sort();
    expect(documented).toEqual(declared);
    expect(declared).toEqual(
      expect.arrayContaining([
        'post /api/v1/checks',
        'post /api/v1/ask',
        'get /api/v1/agents',
        'get /api/v1/agents/{name}',
        'get /api/v1/agents/{name}/events',
        'get /api/v1/jobs',
        'get /healthz',
        'get /metrics',
        'get /api/v1/openapi.json',
      ]),
    );
    const ask = doc.paths['/api/v1/ask'].post;
    expect(Object.keys(ask.responses)).toEqual(['200', '400', '401', '413', '415']);
    expect(ask.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/AskRequest' });
    expect(doc.paths['/healthz'].get.security).toEqual([]);
    expect(doc.paths['/healthz'].get.responses['401']).toBeUndefined();
    expect(
      doc.paths['/api/v1/jobs'].get.parameters.map((p: { name: string; in: string; required: boolean }) => [p.name, p.in, p.required]),
    ).toEqual([
      ['limit', 'query', false],
      ['agent', 'query', false],
    ]);
    expect(doc.paths['/api/v1/checks'].post.responses['200'].headers).toHaveProperty('X-Vpn-Doctor-Check-Id');
  });

  it('resolves every $ref and compiles every component schema', () => {
    const refs: string[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          if (k === '$ref' && typeof x === 'string') refs.push(x);
          else walk(x);
        }
      }
    };
    walk(doc);
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of new Set(refs)) {
      expect(ref).toMatch(/^#\/components\/schemas\/\w+$/);
      expect(doc.components.schemas[ref.split('/').pop()!], ref).toBeDefined();
    }
    for (const name of Object.keys(doc.components.schemas))
      expect(() => ajv.compile({ $ref: `openapi.json#/components/schemas/${name}` }), name).not.toThrow();
  });

  it('takes enums from the code: report verdicts, and job statuses the store accepts', () => {
    expect(doc.components.schemas.CheckReport.properties.verdict.enum).toEqual(['healthy', 'degraded', 'down']);
    expect(doc.components.schemas.CheckRequest.properties.dnsServers.type).toBe('array');
    expect(doc.components.schemas.Job.properties.status).toEqual({ $ref: '#/components/schemas/JobStatus' });
    const statuses: JobStatus[] = doc.components.schemas.JobStatus.enum;
    expect(new Set(statuses)).toEqual(
      new Set(['running', 'ok', 'failed', 'refused', 'timeout', 'cancelled', 'disconnected', 'interrupted']),
    );
  });
});

describe('real responses match the document', () => {
  it('agents, one agent, its monitor events', async () => {
    const list = (await matchesDocument(await api(server, '/api/v1/agents'), '/api/v1/agents', 'get')) as {
      agents: { name: string; capabilities: unknown }[];
    };
    expect(list.agents.map((a) => a.name)).toEqual(['doc-agent']);
    expect(list.agents[0]!.capabilities).not.toBeNull();
    await matchesDocument(await api(server, '/api/v1/agents/doc-agent'), '/api/v1/agents/{name}', 'get');
    const events = (await matchesDocument(
      await api(server, '/api/v1/agents/doc-agent/events?limit=5'),
      '/api/v1/agents/{name}/events',
      'get',
    )) as { events: { kind: string }[] };
    expect(events.events.map((e) => e.kind)).toEqual(['down', 'up']);
  });

  it('the audit log, with a job in every status the store can hold', async () => {
    const finished: Exclude<JobStatus, 'running'>[] = ['ok', 'failed', 'refused', 'timeout', 'cancelled', 'disconnected', 'interrupted'];
    const now = Date.now();
    for (const [i, status] of [...finished, 'running' as const].entries()) {
      await server.store.audit.start({
        id: `job-${i}`,
        checkId: 'chk-1',
        requestedAt: now + i,
        requestedBy: 'api',
        platform: 'api',
        channel: null,
        agent: 'doc-agent',
        probe: 'tcp',
        target: '127.0.0.1:443',
        params: {},
      });
      if (status !== 'running')
        await server.store.audit.finish(
          `job-${i}`,
          { status, detail: status === 'ok' ? null : `${status} detail`, durationMs: 12 },
          now + i + 5,
        );
    }
    const jobs = (await matchesDocument(await api(server, '/api/v1/jobs?agent=doc-agent'), '/api/v1/jobs', 'get')) as {
      jobs: { status: string }[];
    };
    expect(new Set(jobs.jobs.map((j) => j.status))).toEqual(new Set([...finished, 'running']));
  });

  it('health, ask, and error bodies', async () => {
    await matchesDocument(await fetch(`${server.url}/healthz`), '/healthz', 'get');
    await matchesDocument(await api(server, '/api/v1/ask', { json: { text: 'tunnel drops every hour' } }), '/api/v1/ask', 'post');
    await matchesDocument(await api(server, '/api/v1/ask', { json: { text: '' } }), '/api/v1/ask', 'post');
    await matchesDocument(await api(server, '/api/v1/ask', { json: { text: 'x' }, token: null }), '/api/v1/ask', 'post');
    await matchesDocument(await api(server, '/api/v1/agents/nobody'), '/api/v1/agents/{name}', 'get');
    await matchesDocument(
      await api(server, '/api/v1/checks', { json: { host: 'acme.outsystemsenterprise.com', dnsServers: ['127.0.0.1'], agent: 'ghost' } }),
      '/api/v1/checks',
      'post',
    );
  });
});
