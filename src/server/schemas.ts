import { z } from 'zod';
import { AgentNameSchema, CapabilitiesSchema, MonitorEventSchema as AgentMonitorEventSchema } from '../agents/protocol.js';
import { StepSchema } from '../knowledge/schema.js';
import type { JobStatus } from '../store/index.js';

/**
 * The request and response bodies of the runbook API. Each is declared once here (or where its data is
 * defined) and used both to validate and to write the OpenAPI document; producers are typed against them,
 * so a field added in code without the schema does not compile.
 */

const IsoTime = z.iso.datetime();

/** POST /api/v1/checks: the check service's one request (src/checks/request.ts). */
export { CheckRequestSchema } from '../checks/index.js';

export const AskRequestSchema = z.strictObject({ text: z.string().trim().min(1).max(2000) });

/** `?limit=` of the list endpoints. */
export const LimitSchema = z.coerce.number().int().min(1).max(1000).default(100);
export const AgentParamsSchema = z.object({ name: AgentNameSchema });

export const AgentSchema = z.strictObject({
  name: z.string(),
  online: z.boolean(),
  draining: z.boolean().describe('Shutting down: finishes running jobs, takes no new ones'),
  revoked: z.boolean(),
  lastSeen: IsoTime.nullable(),
  connectedAt: IsoTime.nullable(),
  address: z.string().nullable().describe('Address the agent connected from'),
  version: z.string().nullable(),
  capabilities: CapabilitiesSchema.nullable(),
  runningJobs: z.number().int().nonnegative(),
  tunnel: z.enum(['up', 'down', 'unknown', 'off']).nullable().describe('Keep-alive monitor state'),
});
export const AgentListSchema = z.strictObject({ agents: z.array(AgentSchema).describe('Registered agents, online first') });

/** A monitor event as the agent sent it, with its time as ISO 8601 and the topic the hub recognised. */
export const MonitorEventSchema = z.strictObject({
  ...AgentMonitorEventSchema.shape,
  at: IsoTime,
  topic: z.string().nullable().describe('ikev2-hourly-drop or keep-traffic-flowing when a pattern was recognised'),
});
export const MonitorEventListSchema = z.strictObject({ events: z.array(MonitorEventSchema) });

/**
 * Job statuses with their meaning. The store's JobStatus type is the source: `satisfies` makes this list
 * fail to compile when a status is added there or one is dropped.
 */
const JOB_STATUS_MEANINGS = {
  running: 'dispatched, no answer yet',
  ok: 'the probe ran and answered',
  failed: 'the probe ran and failed',
  refused: "the agent's own allowlist refused the target",
  timeout: 'no answer before the deadline',
  cancelled: 'cancelled by the requester (e.g. the API client hung up)',
  disconnected: 'the agent disconnected while the job ran',
  interrupted: 'the hub stopped (or restarted) while the job ran',
} satisfies Record<JobStatus, string>;
export const JobStatusSchema = z.enum(Object.keys(JOB_STATUS_MEANINGS) as [JobStatus, ...JobStatus[]]).describe(
  Object.entries(JOB_STATUS_MEANINGS)
    .map(([k, v]) => `${k}: ${v}`)
    .join('; '),
);

export const JobSchema = z.strictObject({
  id: z.string(),
  checkId: z.string().nullable().describe('Groups the jobs of one check'),
  requestedAt: IsoTime,
  requestedBy: z.string(),
  platform: z.string(),
  channel: z.string().nullable(),
  agent: z.string(),
  probe: z.string(),
  target: z.string(),
  status: JobStatusSchema,
  detail: z.string().nullable(),
  durationMs: z.number().int().nullable(),
  finishedAt: IsoTime.nullable(),
});
export const JobListSchema = z.strictObject({ jobs: z.array(JobSchema) });

const EntitiesSchema = z.strictObject({
  ipv4: z.array(z.string()),
  cidrs: z.array(z.string()),
  fqdns: z.array(z.string()),
  durations: z.array(z.strictObject({ text: z.string(), seconds: z.number() })),
  ikeVersion: z.union([z.literal(1), z.literal(2)]).nullable(),
  ports: z.array(z.strictObject({ port: z.number().int(), protocol: z.enum(['tcp', 'udp']).nullable() })),
  protocols: z.array(z.string()),
  vendors: z.array(z.string()),
  signatures: z.array(z.string()),
});

/** What `ask --json` prints and POST /api/v1/ask returns. */
export const AnswerDocumentSchema = z.strictObject({
  text: z.string(),
  kind: z.string().describe('topic, ambiguous, follow-up, smalltalk or off-topic'),
  topic: z.string().nullable(),
  section: z.string().nullable(),
  title: z.string().nullable(),
  confidence: z.number().min(0).max(1),
  engine: z.string(),
  answer: z
    .string()
    .nullable()
    .describe('The direct answer to a requirement, number, port or yes/no question, in one to three sentences; null otherwise'),
  summary: z.string(),
  steps: z.array(StepSchema),
  facts: z.array(z.strictObject({ label: z.string(), value: z.string(), kind: z.string() })),
  alternatives: z.array(z.strictObject({ topic: z.string(), section: z.string(), title: z.string(), confidence: z.number() })),
  entities: EntitiesSchema,
});

export const HealthSchema = z.strictObject({
  status: z.enum(['ok', 'unhealthy']),
  version: z.string(),
  agentsOnline: z.number().int().nonnegative(),
  db: z.string().describe('"ok", or why the database is not usable'),
});

/** Response parts with a name of their own in the OpenAPI document (besides the route bodies). */
export const SHARED_SCHEMAS = {
  Capabilities: CapabilitiesSchema,
  MonitorEvent: MonitorEventSchema,
  Job: JobSchema,
  JobStatus: JobStatusSchema,
};
