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

/**
 * Some probes of a check did not run on the agent (refused by its allowlist, agent busy, disconnected, no
 * answer by the deadline). Their "failures" say nothing about the network, so the check's findings would
 * be a false diagnosis (a refused DNS probe reads as "tunnel down"): the check fails as a whole instead.
 */
export class AgentCheckError extends Error {
  override name = 'AgentCheckError';
  constructor(
    readonly agent: string,
    readonly checkId: string,
    /** One line per probe that did not run: "dns 10.0.0.2: refused: ... not in the allowlist". */
    readonly failures: string[],
    /** True when any probe was refused by the agent's own policy (allowlist), not by a fault. */
    readonly refused: boolean,
  ) {
    const shown = failures.slice(0, 3).join('; ');
    super(`the check could not run on agent ${agent}: ${shown}${failures.length > 3 ? ` (and ${failures.length - 3} more)` : ''}`);
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
    const failures: string[] = [];
    let refused = false;
    const report = await this.runCheck(request.input, {
      probes: this.probeRunner(agent, request.requestedBy, checkId, (failure) => {
        failures.push(failure.message);
        refused ||= failure.status === 'refused';
      }),
      ...(request.onProgress ? { onProgress: request.onProgress } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
    });
    if (failures.length > 0) throw new AgentCheckError(agent, checkId, failures, refused);
    return { agent, checkId, report };
  }

  /**
   * A ProbeRunner that sends each probe to `agent`. A probe the agent could not run comes back as a failed
   * result (so the runbook completes its plan) and is reported to `onAgentFailure`, so callers can tell
   * "the network failed" from "the probe never ran".
   */
  probeRunner(
    agent: string,
    requestedBy: Requester,
    checkId?: string,
    onAgentFailure: (failure: { status: string; message: string }) => void = () => {},
  ): ProbeRunner {
    return async (request, ctx) => {
      const parsed = ProbeRequestSchema.safeParse(request);
      if (!parsed.success) throw new Error(`invalid ${String((request as { kind?: unknown }).kind)} probe: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      const req = parsed.data;
      const target = requestTarget(req);
      const failed = (status: string, message: string, durationMs = 0): AnyProbeResult => {
        onAgentFailure({ status, message: `${req.kind} ${target}: ${message}` });
        return {
          kind: req.kind,
          target,
          ok: false,
          durationMs,
          backend: `agent:${agent}`,
          detail: catalogue[req.kind].errorDetail(message),
          error: message,
        } as AnyProbeResult;
      };
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
          return failed(outcome.status, `agent ${agent}: ${outcome.error?.message ?? outcome.status}`, outcome.durationMs);
        }
        const result = ProbeResultSchema.safeParse(outcome.result);
        if (!result.success || result.data.kind !== req.kind) return failed('invalid', `agent ${agent} returned an invalid ${req.kind} result`, outcome.durationMs);
        return result.data as AnyProbeResult;
      } catch (err) {
        if (err instanceof AgentUnavailableError) return failed('unavailable', err.message);
        throw err;
      }
    };
  }
}
