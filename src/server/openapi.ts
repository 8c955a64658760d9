import { z } from 'zod';
import { CapabilitiesSchema } from '../agents/protocol.js';
import { CheckReportSchema } from '../diagnosis/report.js';
import { VERSION } from '../version.js';
import { AskRequestSchema, CheckRequestSchema } from './schemas.js';

/**
 * The OpenAPI 3.1 document of the runbook API. Request and report schemas are generated from the same zod
 * schemas that validate them (OpenAPI 3.1 uses JSON Schema 2020-12, which zod emits), so the document
 * cannot drift from the code; the rest is written out here.
 */

function schema(s: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const json = z.toJSONSchema(s, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

let cached: Record<string, unknown> | undefined;

export function openApiDocument(): Record<string, unknown> {
  cached ??= build();
  return cached;
}

function build(): Record<string, unknown> {
  const authErrors = { '401': errorResponse('Missing or invalid Bearer token (or the API is disabled: VPN_DOCTOR_API_TOKEN unset)') };
  return {
    openapi: '3.1.0',
    info: {
      title: 'vpn-doctor runbook API',
      version: VERSION,
      description:
        'Runs the OutSystems Cloud VPN connectivity runbook on a probe agent inside the customer network, lists the agents, and answers questions from the troubleshooting guide. Authenticate with `Authorization: Bearer $VPN_DOCTOR_API_TOKEN`.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    paths: {
      '/api/v1/checks': {
        post: {
          operationId: 'runCheck',
          summary: 'Run the connectivity check on an agent',
          description:
            'Runs the same runbook as `vpn-doctor check` on the named agent (or the only agent online) and returns exactly the JSON of `vpn-doctor check --json`. The agent that ran it and the check id (the audit log groups its jobs by it) come back in headers.',
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/CheckRequest' } } } },
          responses: {
            '200': {
              description: 'The check report',
              headers: {
                'X-Vpn-Doctor-Agent': { schema: { type: 'string' }, description: 'The agent that ran the probes' },
                'X-Vpn-Doctor-Check-Id': { schema: { type: 'string' }, description: 'Groups the jobs of this check in GET /api/v1/jobs' },
              },
              content: { 'application/json': { schema: { $ref: '#/components/schemas/CheckReport' } } },
            },
            '400': errorResponse('Invalid request (details list each problem)'),
            ...authErrors,
            '404': errorResponse('No such agent, or it is revoked'),
            '409': errorResponse('Several agents are online: name one (details.online lists them)'),
            '413': errorResponse('Body too large'),
            '415': errorResponse('Body is not application/json'),
            '503': errorResponse('No agent online, or the named agent is offline or shutting down'),
          },
        },
      },
      '/api/v1/agents': {
        get: {
          operationId: 'listAgents',
          summary: 'List probe agents with their live state',
          responses: {
            '200': {
              description: 'Registered agents, online first',
              content: {
                'application/json': {
                  schema: { type: 'object', required: ['agents'], properties: { agents: { type: 'array', items: { $ref: '#/components/schemas/Agent' } } } },
                },
              },
            },
            ...authErrors,
          },
        },
      },
      '/api/v1/agents/{name}': {
        get: {
          operationId: 'getAgent',
          summary: 'One agent',
          parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '200': { description: 'The agent', content: { 'application/json': { schema: { $ref: '#/components/schemas/Agent' } } } },
            ...authErrors,
            '404': errorResponse('No such agent'),
          },
        },
      },
      '/api/v1/agents/{name}/events': {
        get: {
          operationId: 'listMonitorEvents',
          summary: "Tunnel up/down transitions seen by an agent's keep-alive monitor, newest first",
          parameters: [
            { name: 'name', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } },
          ],
          responses: {
            '200': {
              description: 'Events',
              content: {
                'application/json': {
                  schema: { type: 'object', required: ['events'], properties: { events: { type: 'array', items: { $ref: '#/components/schemas/MonitorEvent' } } } },
                },
              },
            },
            ...authErrors,
            '404': errorResponse('No such agent'),
          },
        },
      },
      '/api/v1/jobs': {
        get: {
          operationId: 'listJobs',
          summary: 'The audit log: every probe job, newest first',
          parameters: [
            { name: 'agent', in: 'query', schema: { type: 'string' } },
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } },
          ],
          responses: {
            '200': {
              description: 'Jobs',
              content: {
                'application/json': {
                  schema: { type: 'object', required: ['jobs'], properties: { jobs: { type: 'array', items: { $ref: '#/components/schemas/Job' } } } },
                },
              },
            },
            ...authErrors,
          },
        },
      },
      '/api/v1/ask': {
        post: {
          operationId: 'ask',
          summary: 'Answer a question from the troubleshooting guide',
          description: 'Returns the same document as `vpn-doctor ask --json`.',
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/AskRequest' } } } },
          responses: {
            '200': { description: 'The answer', content: { 'application/json': { schema: { $ref: '#/components/schemas/AnswerDocument' } } } },
            '400': errorResponse('Invalid request'),
            ...authErrors,
          },
        },
      },
      '/api/v1/openapi.json': {
        get: { operationId: 'openapi', summary: 'This document', security: [], responses: { '200': { description: 'OpenAPI 3.1 document' } } },
      },
      '/healthz': {
        get: {
          operationId: 'health',
          summary: 'Liveness and database health (no authentication)',
          security: [],
          responses: { '200': { description: 'Healthy' }, '503': { description: 'The database is not usable' } },
        },
      },
      '/metrics': {
        get: { operationId: 'metrics', summary: 'Prometheus metrics (no authentication)', security: [], responses: { '200': { description: 'text/plain; version=0.0.4' } } },
      },
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'VPN_DOCTOR_API_TOKEN' } },
      schemas: {
        CheckRequest: schema(CheckRequestSchema, 'input'),
        CheckReport: schema(CheckReportSchema, 'output'),
        AskRequest: schema(AskRequestSchema, 'input'),
        Capabilities: schema(CapabilitiesSchema, 'output'),
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} },
            },
          },
        },
        Agent: {
          type: 'object',
          required: ['name', 'online', 'draining', 'revoked', 'lastSeen', 'runningJobs'],
          properties: {
            name: { type: 'string' },
            online: { type: 'boolean' },
            draining: { type: 'boolean', description: 'Shutting down: finishes running jobs, takes no new ones' },
            revoked: { type: 'boolean' },
            lastSeen: { type: ['string', 'null'], format: 'date-time' },
            connectedAt: { type: ['string', 'null'], format: 'date-time' },
            address: { type: ['string', 'null'], description: 'Address the agent connected from' },
            version: { type: ['string', 'null'] },
            capabilities: { oneOf: [{ $ref: '#/components/schemas/Capabilities' }, { type: 'null' }] },
            runningJobs: { type: 'integer' },
            tunnel: { type: ['string', 'null'], enum: ['up', 'down', 'unknown', 'off', null], description: 'Keep-alive monitor state' },
          },
        },
        MonitorEvent: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            kind: { type: 'string', enum: ['up', 'down'] },
            target: { type: 'string' },
            at: { type: 'string', format: 'date-time' },
            sent: { type: 'integer' },
            received: { type: 'integer' },
            loss: { type: 'number', minimum: 0, maximum: 1 },
            rttMs: { type: ['number', 'null'] },
            idleBeforeMs: { type: ['integer', 'null'] },
            topic: { type: ['string', 'null'], description: 'ikev2-hourly-drop or keep-traffic-flowing when a pattern was recognised' },
          },
        },
        Job: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            checkId: { type: ['string', 'null'] },
            requestedAt: { type: 'string', format: 'date-time' },
            requestedBy: { type: 'string' },
            platform: { type: 'string' },
            channel: { type: ['string', 'null'] },
            agent: { type: 'string' },
            probe: { type: 'string' },
            target: { type: 'string' },
            status: { type: 'string', enum: ['running', 'ok', 'failed', 'refused', 'timeout', 'disconnected', 'interrupted', 'cancelled'] },
            detail: { type: ['string', 'null'] },
            durationMs: { type: ['integer', 'null'] },
            finishedAt: { type: ['string', 'null'], format: 'date-time' },
          },
        },
        AnswerDocument: {
          type: 'object',
          required: ['text', 'kind', 'topic', 'confidence', 'engine', 'steps', 'facts', 'alternatives', 'entities'],
          properties: {
            text: { type: 'string' },
            kind: { type: 'string', enum: ['topic', 'ambiguous', 'follow-up', 'smalltalk', 'off-topic'] },
            topic: { type: ['string', 'null'] },
            section: { type: ['string', 'null'] },
            title: { type: ['string', 'null'] },
            confidence: { type: 'number' },
            engine: { type: 'string' },
            summary: { type: ['string', 'null'] },
            steps: {
              type: 'array',
              items: {
                type: 'object',
                required: ['action'],
                properties: {
                  action: { type: 'string' },
                  commands: { type: 'array', items: { type: 'string' } },
                  snippets: {
                    type: 'array',
                    items: {
                      type: 'object',
                      required: ['platform', 'kind', 'lines'],
                      properties: {
                        platform: { type: 'string' },
                        kind: { type: 'string', enum: ['shell', 'cli', 'config'] },
                        lines: { type: 'array', items: { type: 'string' } },
                      },
                    },
                  },
                },
              },
            },
            facts: {
              type: 'array',
              items: { type: 'object', required: ['label', 'value', 'kind'], properties: { label: { type: 'string' }, value: { type: 'string' }, kind: { type: 'string' } } },
            },
            alternatives: {
              type: 'array',
              items: {
                type: 'object',
                properties: { topic: { type: 'string' }, section: { type: 'string' }, title: { type: 'string' }, confidence: { type: 'number' } },
              },
            },
            entities: { type: 'object' },
          },
        },
      },
    },
  };
}
