import { z } from 'zod';
import type { AgentHub } from '../agents/hub.js';
import type { Store } from '../store/index.js';
import { VERSION } from '../version.js';
import { defineRoute, type ApiRoute } from './api-route.js';
import type { Metrics } from './metrics.js';
import { HealthSchema } from './schemas.js';

export interface SystemDeps {
  store: Store;
  hub: AgentHub;
  metrics: Metrics;
  /** The OpenAPI document of the server's routes (built once, on first request). */
  openapi: () => Record<string, unknown>;
}

/** Health, metrics and the API document: public, for load balancers, Prometheus and API clients. */
export function systemRoutes(deps: SystemDeps): ApiRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/healthz',
      operationId: 'health',
      summary: 'Liveness and database health (no authentication)',
      auth: 'none',
      response: { description: 'Healthy', schema: HealthSchema, name: 'Health', alsoStatus: { 503: 'The database is not usable' } },
      handler: async ({ reply }) => {
        let db = 'ok';
        try {
          await deps.store.ping();
        } catch (err) {
          db = (err as Error).message;
        }
        const healthy = db === 'ok';
        if (!healthy) reply.code(503);
        return { status: healthy ? 'ok' : 'unhealthy', version: VERSION, agentsOnline: deps.hub.onlineCount, db } as const;
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/metrics',
      operationId: 'metrics',
      summary: 'Prometheus metrics (no authentication)',
      auth: 'none',
      response: { description: 'Prometheus text exposition format', schema: z.string(), contentType: deps.metrics.registry.contentType },
      handler: () => deps.metrics.registry.metrics(),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/openapi.json',
      operationId: 'openapi',
      summary: 'This document',
      auth: 'none',
      response: { description: 'OpenAPI 3.1 document', schema: z.record(z.string(), z.unknown()) },
      handler: () => deps.openapi(),
    }),
  ];
}
