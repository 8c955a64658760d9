import type { z } from 'zod';
import {
  AGENT_BUSY_RETRY_AFTER_S,
  CheckError,
  CheckRequestSchema,
  CheckResultSchema,
  checkErrorStatuses,
  httpStatusOf,
  type CheckService,
} from '../checks/index.js';
import { defineRoute } from './api-route.js';
import { HttpError } from './errors.js';

/** What each failure status means to a caller, for the OpenAPI document (codes come from the check service). */
const STATUS_MEANING: Record<number, string> = {
  400: 'The request does not describe a check that can run',
  404: 'No such agent, or it is revoked',
  409: 'Several agents are online: name one (details.online lists them)',
  422: "The agent's own allowlist refused every probe (details.allow: the rules that would allow them)",
  502: 'The agent failed to run the check',
  503: 'No agent online, or the named agent is offline or shutting down',
  504: 'The agent did not answer within the check deadline',
};

/** POST /api/v1/checks: the runbook of `vpn-doctor check`, run on an agent inside the customer network. */
export function checkRoute(checks: CheckService) {
  const errors = Object.fromEntries(
    checkErrorStatuses().map(({ status, codes }) => [status, `${STATUS_MEANING[status] ?? 'Check failed'} (${codes.join(', ')})`]),
  );
  return defineRoute({
    method: 'POST',
    path: '/api/v1/checks',
    operationId: 'runCheck',
    summary: 'Run the connectivity check on an agent',
    description:
      'Runs the same runbook as `vpn-doctor check` on the named agent (or the only agent online) and returns exactly the JSON of `vpn-doctor check --json`. Probes refused by the agent allowlist are marked `notRun` (with the --allow rule that would allow them) and left out of the diagnosis, which lists what it could not conclude in `notConcluded`; the check fails (422) only when nothing could run. The agent that ran it and the check id (the audit log groups its jobs by it) come back in headers.',
    auth: 'api',
    body: CheckRequestSchema,
    bodyName: 'CheckRequest',
    response: {
      description: 'The check report',
      schema: CheckResultSchema,
      name: 'CheckReport',
      headers: {
        'X-Vpn-Doctor-Agent': 'The agent that ran the probes',
        'X-Vpn-Doctor-Check-Id': 'Groups the jobs of this check in GET /api/v1/jobs',
      },
    },
    errors,
    async handler({ body, request, reply, log, signal }): Promise<z.input<typeof CheckResultSchema>> {
      try {
        // A client that hangs up cancels the check (`signal`): its jobs are cancelled on the agent too.
        const { agent, checkId, report } = await checks.run(
          body,
          { on: 'agent', agent: body.agent },
          { requestedBy: { user: 'api', platform: 'api', channel: request.socket.remoteAddress ?? null }, signal },
        );
        log.info({ agent, checkId, verdict: report.verdict }, 'check through the API');
        // The body is exactly `check --json`; where it ran travels in headers.
        reply.header('x-vpn-doctor-agent', agent ?? '').header('x-vpn-doctor-check-id', checkId);
        return report;
      } catch (err) {
        if (err instanceof CheckError) {
          throw new HttpError(
            httpStatusOf(err.code),
            err.code,
            err.message,
            Object.keys(err.details).length > 0 ? err.details : undefined,
            err.code === 'agent-busy' ? { 'retry-after': String(AGENT_BUSY_RETRY_AFTER_S) } : {},
          );
        }
        throw err;
      }
    },
  });
}
