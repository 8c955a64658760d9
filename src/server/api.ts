import { z } from 'zod';
import { AgentNameSchema } from '../agents/protocol.js';
import type { AgentHub, AgentStatus } from '../agents/hub.js';
import type { AnswerDocument } from '../conversation/answer-document.js';
import type { CheckService } from '../checks/index.js';
import type { Store } from '../store/index.js';
import { defineRoute, type ApiRoute } from './api-route.js';
import { analyzeRoute } from './analyze-route.js';
import { checkRoute } from './check-route.js';
import { HttpError } from './errors.js';
import {
  AgentListSchema,
  AgentParamsSchema,
  AgentSchema,
  AnswerDocumentSchema,
  AskRequestSchema,
  JobListSchema,
  LimitSchema,
  MonitorEventListSchema,
} from './schemas.js';

export interface ApiDeps {
  hub: AgentHub;
  store: Store;
  checks: CheckService;
  ask: (text: string) => Promise<AnswerDocument>;
}

/** The runbook API: checks through agents, the agent registry, the audit log and the question answerer. */
export function apiRoutes(deps: ApiDeps): ApiRoute[] {
  const agentNotFound = (name: string) => new HttpError(404, 'agent-not-found', `no agent named "${name}"`);
  return [
    checkRoute(deps.checks),
    analyzeRoute(),
    defineRoute({
      method: 'GET',
      path: '/api/v1/agents',
      operationId: 'listAgents',
      summary: 'List probe agents with their live state',
      auth: 'api',
      response: { description: 'Registered agents, online first', schema: AgentListSchema, name: 'AgentList' },
      handler: async () => ({ agents: (await deps.hub.list()).map(agentJson) }),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/agents/:name',
      operationId: 'getAgent',
      summary: 'One agent',
      auth: 'api',
      params: AgentParamsSchema,
      response: { description: 'The agent', schema: AgentSchema, name: 'Agent' },
      errors: { 404: 'No such agent' },
      handler: async ({ params }) => {
        const agent = (await deps.hub.list()).find((a) => a.name === params.name);
        if (!agent) throw agentNotFound(params.name);
        return agentJson(agent);
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/agents/:name/events',
      operationId: 'listMonitorEvents',
      summary: "Tunnel up/down transitions seen by an agent's keep-alive monitor, newest first",
      auth: 'api',
      params: AgentParamsSchema,
      query: z.object({ limit: LimitSchema }),
      response: { description: 'Events', schema: MonitorEventListSchema, name: 'MonitorEventList' },
      errors: { 404: 'No such agent' },
      handler: async ({ params, query }) => {
        if (!(await deps.store.agents.byName(params.name))) throw agentNotFound(params.name);
        const events = (await deps.store.monitor.recent(params.name, query.limit)).map((e) => ({
          id: e.eventId,
          kind: e.kind,
          target: e.target,
          at: iso(e.at),
          sent: e.sent,
          received: e.received,
          loss: e.loss,
          rttMs: e.rttMs,
          idleBeforeMs: e.idleBeforeMs,
          topic: e.topic,
        }));
        return { events };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/jobs',
      operationId: 'listJobs',
      summary: 'The audit log: every probe job, newest first',
      auth: 'api',
      query: z.object({ limit: LimitSchema, agent: AgentNameSchema.optional() }),
      response: { description: 'Jobs', schema: JobListSchema, name: 'JobList' },
      handler: async ({ query }) => {
        const jobs = (await deps.store.audit.recent({ limit: query.limit, ...(query.agent ? { agent: query.agent } : {}) })).map((j) => ({
          id: j.id,
          checkId: j.checkId,
          requestedAt: iso(j.requestedAt),
          requestedBy: j.requestedBy,
          platform: j.platform,
          channel: j.channel,
          agent: j.agent,
          probe: j.probe,
          target: j.target,
          status: j.status,
          detail: j.detail,
          durationMs: j.durationMs,
          finishedAt: j.finishedAt === null ? null : iso(j.finishedAt),
        }));
        return { jobs };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/ask',
      operationId: 'ask',
      summary: 'Answer a question from the troubleshooting guide',
      description: 'Returns the same document as `vpn-doctor ask --json`.',
      auth: 'api',
      body: AskRequestSchema,
      bodyName: 'AskRequest',
      response: { description: 'The answer', schema: AnswerDocumentSchema, name: 'AnswerDocument' },
      handler: ({ body }) => deps.ask(body.text),
    }),
  ];
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function agentJson(a: AgentStatus): z.input<typeof AgentSchema> {
  return {
    name: a.name,
    online: a.online,
    draining: a.draining,
    revoked: a.revoked,
    lastSeen: a.lastSeen === null ? null : iso(a.lastSeen),
    connectedAt: a.connectedAt === null ? null : iso(a.connectedAt),
    address: a.address,
    version: a.version,
    capabilities: a.capabilities,
    runningJobs: a.runningJobs,
    tunnel: a.monitor,
  };
}
