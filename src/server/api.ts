import { z } from 'zod';
import type { AgentHub, AgentStatus } from '../agents/hub.js';
import { AgentNameSchema } from '../agents/protocol.js';
import { CheckError, CheckRequestSchema, httpStatusOf, type CheckService } from '../checks/index.js';
import type { AnswerDocument } from '../conversation/answer-document.js';
import type { Store } from '../store/index.js';
import { HttpError, readJson, sendJson } from './http.js';
import { openApiDocument } from './openapi.js';
import { AskRequestSchema } from './schemas.js';
import type { Router } from './router.js';

export interface ApiDeps {
  hub: AgentHub;
  store: Store;
  checks: CheckService;
  ask: (text: string) => Promise<AnswerDocument>;
  /** Largest JSON body accepted by the API. */
  bodyLimit?: number;
}

const LimitSchema = z.coerce.number().int().min(1).max(1000).default(100);

/** The runbook API: checks through agents, the agent registry, the audit log and the question answerer. */
export function registerApiRoutes(router: Router, deps: ApiDeps): void {
  const limit = deps.bodyLimit ?? 64 * 1024;

  router.add({
    method: 'GET',
    path: '/api/v1/openapi.json',
    auth: 'none',
    handler: ({ res }) => sendJson(res, 200, openApiDocument()),
  });

  router.add({
    method: 'POST',
    path: '/api/v1/checks',
    auth: 'api',
    handler: async ({ req, res, log }) => {
      const request = await readJson(req, CheckRequestSchema, limit);
      // A client that hangs up cancels the check: its jobs are cancelled on the agent too.
      const abort = new AbortController();
      res.on('close', () => {
        if (!res.writableFinished) abort.abort();
      });
      try {
        const { agent, checkId, report } = await deps.checks.run(
          request,
          { on: 'agent', agent: request.agent },
          { requestedBy: { user: 'api', platform: 'api', channel: req.socket.remoteAddress ?? null }, signal: abort.signal },
        );
        log.info({ agent, checkId, verdict: report.verdict }, 'check through the API');
        // The body is exactly `check --json`; where it ran travels in headers.
        sendJson(res, 200, report, { 'x-vpn-doctor-agent': agent ?? '', 'x-vpn-doctor-check-id': checkId });
      } catch (err) {
        if (err instanceof CheckError) throw new HttpError(httpStatusOf(err.code), err.code, err.message, hasDetails(err) ? err.details : undefined);
        throw err;
      }
    },
  });

  router.add({
    method: 'GET',
    path: '/api/v1/agents',
    auth: 'api',
    handler: ({ res }) => sendJson(res, 200, { agents: deps.hub.list().map(agentJson) }),
  });

  router.add({
    method: 'GET',
    path: '/api/v1/agents/:name',
    auth: 'api',
    handler: ({ res, params }) => {
      const agent = deps.hub.list().find((a) => a.name === params.name);
      if (!agent) throw new HttpError(404, 'agent-not-found', `no agent named "${params.name}"`);
      sendJson(res, 200, agentJson(agent));
    },
  });

  router.add({
    method: 'GET',
    path: '/api/v1/agents/:name/events',
    auth: 'api',
    handler: ({ res, params, url }) => {
      const n = parseQuery(LimitSchema, url.searchParams.get('limit') ?? undefined, 'limit');
      if (!deps.store.agents.byName(params.name!)) throw new HttpError(404, 'agent-not-found', `no agent named "${params.name}"`);
      const events = deps.store.monitor.recent(params.name!, n).map((e) => ({
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
      sendJson(res, 200, { events });
    },
  });

  router.add({
    method: 'GET',
    path: '/api/v1/jobs',
    auth: 'api',
    handler: ({ res, url }) => {
      const n = parseQuery(LimitSchema, url.searchParams.get('limit') ?? undefined, 'limit');
      const agent = url.searchParams.get('agent') ?? undefined;
      if (agent !== undefined) parseQuery(AgentNameSchema, agent, 'agent');
      const jobs = deps.store.audit.recent({ limit: n, ...(agent ? { agent } : {}) }).map((j) => ({
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
      sendJson(res, 200, { jobs });
    },
  });

  router.add({
    method: 'POST',
    path: '/api/v1/ask',
    auth: 'api',
    handler: async ({ req, res }) => {
      const body = await readJson(req, AskRequestSchema, limit);
      sendJson(res, 200, await deps.ask(body.text));
    },
  });
}

function parseQuery<S extends z.ZodType>(schema: S, value: string | undefined, name: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new HttpError(400, 'invalid-request', `${name}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

function hasDetails(err: CheckError): boolean {
  return Object.keys(err.details).length > 0;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function agentJson(a: AgentStatus): Record<string, unknown> {
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
