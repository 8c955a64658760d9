import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { CheckOptions, CheckProgress } from '../diagnosis/run-check.js';
import type { CheckInputDraft } from '../diagnosis/input.js';
import type { CheckReport } from '../diagnosis/report.js';
import {
  catalogue,
  ProbeRequestSchema,
  ProbeResultSchema,
  requestTarget,
  type AnyProbeResult,
  type ProbeRunner,
} from '../probes/catalogue.js';
import { AgentUnavailableError, type AgentHub } from './hub.js';

export interface Requester {
  user: string;
  platform: string;
  channel?: string | null;
}

export type RunCheck = (input: CheckInputDraft, options: CheckOptions) => Promise<CheckReport>;

export class AgentChoiceError extends Error {
  override name = 'AgentChoiceError';
  constructor(
    message: string,
    readonly reason: 'none-online' | 'several-online',
    readonly online: string[],
  ) {
    super(message);
  }
}

export interface RemoteCheckRequest {
  /** The agent to run on; absent: the only agent online. */
  agent?: string | undefined;
  input: CheckInputDraft;
  requestedBy: Requester;
  onProgress?: (p: CheckProgress) => void;
  signal?: AbortSignal;
}

/**
 * Runs the connectivity runbook of src/diagnosis on a remote agent: the same plan and rules as a local
 * `check`, with each probe sent to the agent as one job (and one audit row, all sharing a check id).
 */
export class RemoteChecks {
  constructor(
    private readonly hub: AgentHub,
    private readonly runCheck: RunCheck,
    private readonly log: Logger,
  ) {}

  /** The named agent, or the only one online; errors say which agents exist to choose from. */
  pickAgent(name?: string): string {
    if (name) return name;
    const online = this.hub.onlineNames();
    if (online.length === 1) return online[0]!;
    if (online.length === 0) throw new AgentChoiceError('no probe agent is online: start one with `vpn-doctor agent --hub ... --token ...`', 'none-online', online);
    throw new AgentChoiceError(`${online.length} agents are online (${online.join(', ')}): say which one to use`, 'several-online', online);
  }

  async run(request: RemoteCheckRequest): Promise<{ agent: string; checkId: string; report: CheckReport }> {
    const agent = this.pickAgent(request.agent);
    // Fail before planning anything, with the precise reason (unknown, revoked, offline, draining).
    this.hub.assertAvailable(agent);
    const checkId = randomUUID();
    this.log.info({ agent, checkId, requestedBy: request.requestedBy }, 'connectivity check through an agent');
    const report = await this.runCheck(request.input, {
      probes: this.probeRunner(agent, request.requestedBy, checkId),
      ...(request.onProgress ? { onProgress: request.onProgress } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
    });
    return { agent, checkId, report };
  }

  /** A ProbeRunner that sends each probe to `agent` and turns every kind of failure into a failed result. */
  probeRunner(agent: string, requestedBy: Requester, checkId?: string): ProbeRunner {
    return async (request, ctx) => {
      const parsed = ProbeRequestSchema.safeParse(request);
      if (!parsed.success) throw new Error(`invalid ${String((request as { kind?: unknown }).kind)} probe: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      const req = parsed.data;
      const target = requestTarget(req);
      const failed = (message: string, durationMs = 0): AnyProbeResult =>
        ({
          kind: req.kind,
          target,
          ok: false,
          durationMs,
          backend: `agent:${agent}`,
          detail: catalogue[req.kind].errorDetail(message),
          error: message,
        }) as AnyProbeResult;
      try {
        const outcome = await this.hub.dispatch(agent, {
          probe: req.kind,
          params: req.params as Record<string, unknown>,
          deadlineMs: Math.max(10, ctx.deadline - Date.now()),
          target,
          requestedBy,
          ...(checkId ? { checkId } : {}),
          signal: ctx.signal,
        });
        if (outcome.status !== 'ok') {
          return failed(`agent ${agent}: ${outcome.error?.message ?? outcome.status}`, outcome.durationMs);
        }
        const result = ProbeResultSchema.safeParse(outcome.result);
        if (!result.success || result.data.kind !== req.kind) return failed(`agent ${agent} returned an invalid ${req.kind} result`, outcome.durationMs);
        return result.data as AnyProbeResult;
      } catch (err) {
        if (err instanceof AgentUnavailableError) return failed(err.message);
        throw err;
      }
    };
  }
}
