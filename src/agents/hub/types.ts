import type { WebSocket } from 'ws';
import type { Logger } from 'pino';
import type { AgentRecord } from '../../store/agents.js';
import type { Store } from '../../store/index.js';
import type { Capabilities, MonitorEvent } from '../protocol.js';
import type { FairQueue } from './fair-queue.js';
import type { ReplicaLink } from './replica-link.js';

/** How a job ended, as the hub saw it. `result` is the probe's result envelope when status is ok. */
export type JobOutcomeStatus = 'ok' | 'failed' | 'refused' | 'timeout' | 'cancelled' | 'disconnected' | 'interrupted';

export interface JobOutcome {
  jobId: string;
  agent: string;
  probe: string;
  status: JobOutcomeStatus;
  result?: unknown;
  /** `allow`: for a refusal, the --allow rule that would let the probe run. */
  error?: { code: string; message: string; allow?: string };
  durationMs: number;
}

/** Who asked for a job: written to the audit log. */
export interface Requester {
  user: string;
  platform: string;
  channel?: string | null;
}

export interface JobRequest {
  probe: string;
  params: Record<string, unknown>;
  /** Time the agent has for the job; the hub waits this plus HUB_RESULT_GRACE_MS (src/probes/deadlines.ts). */
  deadlineMs: number;
  /** Human-readable target for the audit log ("10.0.0.2", "acme.outsystemsenterprise.com:443"). */
  target: string;
  requestedBy: Requester;
  /** Groups the jobs of one connectivity check in the audit log. */
  checkId?: string;
  /**
   * The job's (and audit row's) id, when the caller chooses it: a replica relaying the job to the replica
   * holding the agent does, so it can close the row itself if that replica dies. Default: a random UUID.
   */
  jobId?: string;
  onProgress?: (text: string) => void;
  signal?: AbortSignal;
}

export class AgentUnavailableError extends Error {
  override name = 'AgentUnavailableError';
  constructor(
    message: string,
    readonly reason: 'unknown' | 'offline' | 'draining' | 'revoked' | 'unsupported-probe' | 'busy',
    readonly agent: string,
  ) {
    super(message);
  }
}

/** What the hub reports to metrics; the server passes prom-client instruments, tests pass nothing. */
export interface HubObserver {
  agentsOnline(count: number): void;
  jobFinished(probe: string, status: JobOutcomeStatus, seconds: number): void;
  connectionRejected(reason: string): void;
}

/** Where monitor events go once stored (the keep-alive analysis and the notifiers). */
export interface MonitorSink {
  ingest(agent: string, events: MonitorEvent[]): void | Promise<void>;
}

export interface HubOptions {
  store: Store;
  log: Logger;
  observer?: HubObserver;
  monitor?: MonitorSink;
  /** Interval the agents are told to heartbeat at; a connection silent for 3 intervals is dropped. */
  heartbeatMs?: number;
  /** Time an authenticated socket has to say hello. */
  helloTimeoutMs?: number;
  /** Extra time beyond a job's deadline for the result to travel back; default HUB_RESULT_GRACE_MS. */
  deadlineGraceMs?: number;
  /** Messages per second per agent (token bucket, burst = 2x); beyond it the connection is closed. */
  maxMessagesPerSecond?: number;
  /** Several replicas on one PostgreSQL (src/replicas): jobs for agents held elsewhere are routed there. */
  replicas?: ReplicaLink;
  now?: () => number;
}

export interface AgentStatus {
  name: string;
  online: boolean;
  draining: boolean;
  revoked: boolean;
  lastSeen: number | null;
  connectedAt: number | null;
  address: string | null;
  version: string | null;
  capabilities: Capabilities | null;
  runningJobs: number;
  monitor: 'up' | 'down' | 'unknown' | 'off' | null;
}

export interface PendingJob {
  id: string;
  agent: string;
  probe: string;
  startedAt: number;
  timer: NodeJS.Timeout;
  conn: Connection;
  resolve: (o: JobOutcome) => void;
  onProgress: ((text: string) => void) | undefined;
  acked: boolean;
  cleanup: () => void;
  /** Who asked (user@platform): the fair queue serves requesters in turn. */
  requester: string;
  /** The connectivity check this job belongs to, if any: its other jobs are admitted with it. */
  checkId?: string;
  /** Sends the job to the agent; null once sent. A job waiting for a slot still has it. */
  send: (() => void) | null;
  /** Settles once the job's audit row is written: the job leaves for the agent only after that. */
  audited: Promise<void>;
}

/** One authenticated agent socket, from the upgrade to its close. */
export interface Connection {
  ws: WebSocket;
  record: AgentRecord;
  /** Hash of the token this connection authenticated with (revocation and re-issue are checked against it). */
  tokenHash: string;
  address: string | null;
  connectedAt: number;
  lastMessageAt: number;
  lastSeenWrite: number;
  hello: { version: string; capabilities: Capabilities; bootId: string } | null;
  draining: boolean;
  monitor: AgentStatus['monitor'];
  /** The jobs of this connection, sent or waiting for a slot (owned by the dispatcher). */
  jobs: Map<string, PendingJob>;
  /** Jobs sent to the agent and not settled: at most the agent's advertised maxConcurrency. */
  inFlight: number;
  /** Jobs waiting for one of the agent's slots (owned by the dispatcher). */
  waiting: FairQueue<PendingJob>;
  tokens: number;
  tokensAt: number;
  helloTimer: NodeJS.Timeout | null;
  closed: boolean;
}

/** Closes one agent's connection with a logged reason (the connection layer's job; others call it). */
export type DropConnection = (conn: Connection, code: number, reason: string) => void;
