import { z } from 'zod';

/**
 * The agent <-> hub wire protocol: one JSON object per WebSocket text frame, validated by zod on receipt
 * on both sides. The agent authenticates in the HTTP upgrade (Authorization: Bearer), so an unauthenticated
 * peer never gets a socket, then says `hello`; the hub answers `welcome`. A job goes
 * hub `job` -> agent `ack` -> (`progress`)* -> `result`; the hub may send `cancel` (deadline passed).
 * Bump PROTOCOL_VERSION on any incompatible change; the hub refuses versions it does not speak.
 */
export const PROTOCOL_VERSION = 1;

/** Largest frame either side accepts; `ws` enforces it (maxPayload) before any parsing happens. */
export const MAX_MESSAGE_BYTES = 256 * 1024;

/** Close codes (4000-4999 are for applications). 1009 (too big) and 1001 (going away) come from the RFC. */
export const CloseCode = {
  normal: 1000,
  goingAway: 1001,
  unsupportedData: 1003,
  tooBig: 1009,
  protocolError: 4002,
  revoked: 4003,
  replaced: 4004,
  unsupportedVersion: 4005,
  rateLimited: 4008,
  heartbeatTimeout: 4009,
  /** The token is valid but was issued for another agent name: permanent, the agent must not retry. */
  nameMismatch: 4010,
} as const;

export const AgentNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'agent names are 1-63 letters, digits, dots, dashes or underscores');

export const JobIdSchema = z.string().regex(/^[A-Za-z0-9-]{1,64}$/);
export const ProbeNameSchema = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/);
const Short = z.string().max(500);
const Timestamp = z.number().int().nonnegative();

export const CapabilitiesSchema = z.object({
  /** Which ICMP implementation the self-test found working: raw sockets, the system ping, or none. */
  icmp: z.enum(['raw', 'system', 'none']),
  traceroute: z.boolean(),
  /** Probe kinds this agent runs. */
  probes: z.array(ProbeNameSchema).max(32),
  /** The agent's own allowlist rules, shown to operators so they know why a job may be refused. */
  allow: z.array(z.string().max(300)).max(200),
  maxConcurrency: z.number().int().min(1).max(256),
  keepalive: z.object({ target: z.string().max(64), intervalMs: z.number().int().positive(), running: z.boolean() }).nullable(),
  platform: z.string().max(64),
});
export type Capabilities = z.infer<typeof CapabilitiesSchema>;

export const MonitorEventSchema = z.object({
  /** Chosen by the agent so the hub stores an event re-sent after a reconnect only once. */
  id: z.string().regex(/^[A-Za-z0-9-]{1,64}$/),
  kind: z.enum(['up', 'down']),
  target: z.string().max(64),
  at: Timestamp,
  sent: z.number().int().nonnegative(),
  received: z.number().int().nonnegative(),
  loss: z.number().min(0).max(1),
  rttMs: z.number().nonnegative().nullable(),
  /**
   * For a `down`: how long the tunnel had carried no traffic from the monitor before the failure was seen
   * (the gap since the previous successful reply); null when the very first probe of the monitor failed.
   */
  idleBeforeMs: z.number().int().nonnegative().nullable(),
});
export type MonitorEvent = z.infer<typeof MonitorEventSchema>;

export const JobStatusSchema = z.enum(['ok', 'failed', 'refused', 'timeout', 'cancelled']);
export type AgentJobStatus = z.infer<typeof JobStatusSchema>;

// ---- agent -> hub -------------------------------------------------------------------------------------

export const HelloSchema = z.object({
  type: z.literal('hello'),
  protocol: z.number().int().positive(),
  name: AgentNameSchema,
  version: z.string().max(64),
  /** Random per agent process: lets the hub tell a reconnect from a restart. */
  bootId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/),
  capabilities: CapabilitiesSchema,
});

export const HeartbeatSchema = z.object({
  type: z.literal('heartbeat'),
  running: z.number().int().nonnegative(),
  monitor: z.enum(['up', 'down', 'unknown', 'off']),
});

export const AckSchema = z.object({ type: z.literal('ack'), jobId: JobIdSchema });

export const ProgressSchema = z.object({ type: z.literal('progress'), jobId: JobIdSchema, text: Short });

export const ResultSchema = z.object({
  type: z.literal('result'),
  jobId: JobIdSchema,
  status: JobStatusSchema,
  /** The probe's result envelope (ok status); opaque to the hub, validated by whoever asked for it. */
  result: z.unknown().optional(),
  error: z
    .object({
      code: z.string().max(64),
      message: Short,
      /** A refusal: the --allow rule that would let the probe run ("10.0.0.2:53"). */
      allow: z.string().max(200).optional(),
    })
    .optional(),
  durationMs: z.number().nonnegative(),
  /** Sent after a reconnect: the job finished while the hub was unreachable. */
  late: z.boolean().optional(),
});
export type ResultMessage = z.infer<typeof ResultSchema>;

export const MonitorSchema = z.object({ type: z.literal('monitor'), events: z.array(MonitorEventSchema).min(1).max(500) });

/** Sent when the agent starts draining (SIGTERM): no new jobs, running ones still report. */
export const ByeSchema = z.object({ type: z.literal('bye'), reason: Short });

export const AgentMessageSchema = z.discriminatedUnion('type', [
  HelloSchema,
  HeartbeatSchema,
  AckSchema,
  ProgressSchema,
  ResultSchema,
  MonitorSchema,
  ByeSchema,
]);
export type AgentMessage = z.infer<typeof AgentMessageSchema>;
export type HelloMessage = z.infer<typeof HelloSchema>;

// ---- hub -> agent -------------------------------------------------------------------------------------

export const WelcomeSchema = z.object({
  type: z.literal('welcome'),
  protocol: z.number().int().positive(),
  name: AgentNameSchema,
  heartbeatMs: z.number().int().min(100).max(300_000),
  serverTime: Timestamp,
  hubVersion: z.string().max(64),
});

export const JobSchema = z.object({
  type: z.literal('job'),
  jobId: JobIdSchema,
  probe: ProbeNameSchema,
  /** Validated by the agent against the probe's own schema; the hub's word is never trusted. */
  params: z.record(z.string(), z.unknown()),
  /** How long the agent has, from receipt. Bounded so a job can never pin a slot for long. */
  deadlineMs: z.number().int().min(10).max(300_000),
});
export type JobMessage = z.infer<typeof JobSchema>;

export const CancelSchema = z.object({ type: z.literal('cancel'), jobId: JobIdSchema, reason: Short });

export const MonitorControlSchema = z.object({ type: z.literal('monitor-control'), action: z.enum(['start', 'stop']) });

export const HubMessageSchema = z.discriminatedUnion('type', [WelcomeSchema, JobSchema, CancelSchema, MonitorControlSchema]);
export type HubMessage = z.infer<typeof HubMessageSchema>;

// ---- decoding -----------------------------------------------------------------------------------------

export type Decoded<T> = { ok: true; message: T } | { ok: false; reason: string };

function decode<T>(schema: z.ZodType<T>, data: unknown, isBinary: boolean): Decoded<T> {
  if (isBinary) return { ok: false, reason: 'binary frames are not part of the protocol' };
  const text = Buffer.isBuffer(data)
    ? data.toString('utf8')
    : Array.isArray(data)
      ? Buffer.concat(data as Buffer[]).toString('utf8')
      : String(data);
  if (Buffer.byteLength(text) > MAX_MESSAGE_BYTES) return { ok: false, reason: `message larger than ${MAX_MESSAGE_BYTES} bytes` };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'malformed message: not JSON' };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'message';
    return { ok: false, reason: `malformed message: ${where}: ${issue?.message ?? 'invalid'}` };
  }
  return { ok: true, message: parsed.data };
}

export function decodeAgentMessage(data: unknown, isBinary = false): Decoded<AgentMessage> {
  return decode(AgentMessageSchema, data, isBinary);
}

export function decodeHubMessage(data: unknown, isBinary = false): Decoded<HubMessage> {
  return decode(HubMessageSchema, data, isBinary);
}

export function encode(message: AgentMessage | HubMessage): string {
  return JSON.stringify(message);
}

/** WebSocket close reasons are limited to 123 bytes. */
export function closeReason(text: string): string {
  let out = text;
  while (Buffer.byteLength(out) > 123) out = out.slice(0, -1);
  return out;
}
