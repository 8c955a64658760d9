import type { AgentHub } from '../agents/hub.js';
import { AgentUnavailableError, type Requester } from '../agents/hub/types.js';
import { failedResult, ProbeResultSchema, requestTarget, type AnyProbeResult, type ProbeRunner } from '../probes/catalogue.js';

/** A probe that never ran on the agent (refused, not answered, invalid answer), as the check sees it. */
export interface AgentFailure {
  /** The hub's job status ('refused', 'timeout', 'disconnected'...), 'busy', 'unsupported', 'unavailable' or 'invalid'. */
  status: string;
  /** "dns acme... @10.0.0.2: agent a1: refused by the agent's allowlist: ..." */
  message: string;
  /** For a refusal: the --allow rule the agent says would let the probe run. */
  allow?: string;
}

/**
 * A ProbeRunner that sends each probe to `agent` through the hub, as one job (and one audit row, all of a
 * check sharing `checkId`). What comes back crossed the network, so this is where it is validated. A probe
 * the agent could not run comes back as a failed result (so the runbook completes its plan) AND is told to
 * `onFailure`, so the check can tell "the network failed" from "the probe never ran".
 */
export function agentProbeRunner(
  hub: AgentHub,
  agent: string,
  job: { requestedBy: Requester; checkId: string },
  onFailure: (failure: AgentFailure) => void,
): ProbeRunner {
  return async (request, ctx) => {
    // The runbook's own plan: not parsed here, the agent validates it on its side of the wire, against its
    // own catalogue. What comes back is validated below, once.
    const target = requestTarget(request);
    const failed = (status: string, message: string, durationMs = 0, allow?: string): AnyProbeResult => {
      onFailure({ status, message: `${request.kind} ${target}: ${message}`, ...(allow ? { allow } : {}) });
      // A refusal is the agent's policy, not the network, and an older agent without a probe kind (route)
      // says nothing about the network either: the probe is marked as not run, so the runbook leaves it out
      // instead of reading its silence as a fault.
      const notRun =
        status === 'refused' || status === 'unsupported'
          ? { reason: status as 'refused' | 'unsupported', message, ...(allow ? { allow } : {}) }
          : undefined;
      return failedResult(request.kind, target, message, { backend: `agent:${agent}`, durationMs, ...(notRun ? { notRun } : {}) });
    };
    try {
      const outcome = await hub.dispatch(agent, {
        probe: request.kind,
        params: request.params as Record<string, unknown>,
        deadlineMs: ctx.deadline - Date.now(),
        target,
        requestedBy: job.requestedBy,
        checkId: job.checkId,
        signal: ctx.signal,
      });
      if (outcome.status !== 'ok')
        return failed(
          outcome.status,
          `agent ${agent}: ${outcome.error?.message ?? outcome.status}`,
          outcome.durationMs,
          outcome.error?.allow,
        );
      const result = ProbeResultSchema.safeParse(outcome.result);
      if (!result.success || result.data.kind !== request.kind)
        return failed('invalid', `agent ${agent} returned an invalid ${request.kind} result`, outcome.durationMs);
      return result.data as AnyProbeResult;
    } catch (err) {
      if (err instanceof AgentUnavailableError) {
        const status = err.reason === 'busy' ? 'busy' : err.reason === 'unsupported-probe' ? 'unsupported' : 'unavailable';
        return failed(status, err.message);
      }
      throw err;
    }
  };
}
