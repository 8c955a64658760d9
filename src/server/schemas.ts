import { z } from 'zod';
import { AgentNameSchema } from '../agents/protocol.js';

/** Request bodies of the runbook API (also the source of their OpenAPI schemas). */

const Ip = z.string().max(64);
const Host = z.string().max(253);

/** POST /api/v1/checks: the inputs of `vpn-doctor check`, with `host` or `hosts`. */
export const CheckRequestSchema = z
  .strictObject({
    agent: AgentNameSchema.optional(),
    host: Host.optional(),
    hosts: z.array(Host).max(10).optional(),
    dnsServers: z.array(Ip).min(1).max(4),
    resolver: Ip.optional(),
    edge: Ip.optional(),
    sentry: z.boolean().optional(),
    timeoutMs: z.number().int().min(1000).max(60_000).optional(),
  })
  .refine((b) => b.host !== undefined || (b.hosts?.length ?? 0) > 0, { message: 'give host (or hosts)', path: ['host'] });

export const AskRequestSchema = z.strictObject({ text: z.string().trim().min(1).max(2000) });

