import { z } from 'zod';
import { AgentNameSchema, JobIdSchema, ProbeNameSchema } from '../agents/protocol.js';

/**
 * What replicas say to each other over PostgreSQL notifications (src/replicas/bus.ts): a job for an agent
 * whose socket another replica holds, its progress, its outcome, a cancel, or a refusal (the agent is not
 * there after all, busy, revoked...); and a keep-alive monitor start/stop with its answer. Validated on receipt like any other boundary.
 */
export const ReplicaIdSchema = z.string().regex(/^[a-z0-9]{1,40}$/);
const Id = z.string().regex(/^[A-Za-z0-9-]{1,64}$/);
const Short = z.string().max(2000);

const RequesterSchema = z.object({ user: z.string().max(200), platform: z.string().max(64), channel: z.string().max(200).nullish() });

export const RemoteJobSchema = z.object({
  type: z.literal('job'),
  id: Id,
  from: ReplicaIdSchema,
  agent: AgentNameSchema,
  probe: ProbeNameSchema,
  params: z.record(z.string(), z.unknown()),
  deadlineMs: z.number().int().min(1).max(300_000),
  target: z.string().max(300),
  requestedBy: RequesterSchema,
  checkId: z.string().max(64).optional(),
});
export type RemoteJob = z.infer<typeof RemoteJobSchema>;

export const OutcomeSchema = z.object({
  jobId: JobIdSchema,
  agent: AgentNameSchema,
  probe: ProbeNameSchema,
  status: z.enum(['ok', 'failed', 'refused', 'timeout', 'cancelled', 'disconnected', 'interrupted']),
  result: z.unknown().optional(),
  error: z.object({ code: z.string().max(64), message: Short, allow: z.string().max(200).optional() }).optional(),
  durationMs: z.number().nonnegative(),
});

export const ReplicaMessageSchema = z.discriminatedUnion('type', [
  RemoteJobSchema,
  z.object({ type: z.literal('cancel'), id: Id, from: ReplicaIdSchema }),
  z.object({ type: z.literal('progress'), id: Id, text: Short }),
  z.object({ type: z.literal('outcome'), id: Id, outcome: OutcomeSchema }),
  z.object({
    type: z.literal('refused'),
    id: Id,
    reason: z.enum(['unknown', 'offline', 'draining', 'revoked', 'unsupported-probe', 'busy']),
    message: Short,
  }),
  // Keep-alive monitor start/stop for an agent held elsewhere, relayed like a job; `sent`: it reached the agent.
  z.object({
    type: z.literal('monitor-control'),
    id: Id,
    from: ReplicaIdSchema,
    agent: AgentNameSchema,
    action: z.enum(['start', 'stop']),
  }),
  z.object({ type: z.literal('monitor-controlled'), id: Id, sent: z.boolean() }),
]);
export type ReplicaMessage = z.infer<typeof ReplicaMessageSchema>;
