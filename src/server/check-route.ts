import { z } from 'zod';
import { AgentUnavailableError } from '../agents/hub.js';
import { AgentCheckError, AgentChoiceError, type RemoteChecks } from '../agents/remote-checks.js';
// The check request and result schemas: when they move (src/checks), this import is the line to change.
import { CheckReportSchema } from '../diagnosis/report.js';
import { CheckRequestSchema } from './schemas.js';
import { CheckInputError, parseCheckInput } from '../diagnosis/input.js';
import { defineRoute } from './api-route.js';
import { HttpError } from './errors.js';

/** POST /api/v1/checks: the runbook of `vpn-doctor check`, run on an agent inside the customer network. */
export function checkRoute(checks: RemoteChecks) {
  return defineRoute({
    method: 'POST',
    path: '/api/v1/checks',
    operationId: 'runCheck',
    summary: 'Run the connectivity check on an agent',
    description:
      'Runs the same runbook as `vpn-doctor check` on the named agent (or the only agent online) and returns exactly the JSON of `vpn-doctor check --json`. The agent that ran it and the check id (the audit log groups its jobs by it) come back in headers.',
    auth: 'api',
    body: CheckRequestSchema,
    bodyName: 'CheckRequest',
    response: {
      description: 'The check report',
      schema: CheckReportSchema,
      name: 'CheckReport',
      headers: {
        'X-Vpn-Doctor-Agent': 'The agent that ran the probes',
        'X-Vpn-Doctor-Check-Id': 'Groups the jobs of this check in GET /api/v1/jobs',
      },
    },
    errors: {
      404: 'No such agent, or it is revoked',
      409: 'Several agents are online: name one (details.online lists them)',
      422: "The agent's own allowlist refused a target",
      502: 'The agent failed to run the check',
      503: 'No agent online, or the named agent is offline or shutting down',
    },
    async handler({ body, request, reply, log, signal }): Promise<z.input<typeof CheckReportSchema>> {
      try {
        const input = parseCheckInput({
          hosts: [...(body.host ? [body.host] : []), ...(body.hosts ?? [])],
          dnsServers: body.dnsServers,
          ...(body.resolver ? { resolver: body.resolver } : {}),
          ...(body.edge ? { edge: body.edge } : {}),
          ...(body.sentry !== undefined ? { sentry: body.sentry } : {}),
          ...(body.timeoutMs ? { timeoutMs: body.timeoutMs } : {}),
        });
        // A client that hangs up cancels the check (`signal`): its jobs are cancelled on the agent too.
        const { agent, checkId, report } = await checks.run({
          agent: body.agent,
          input,
          requestedBy: { user: 'api', platform: 'api', channel: request.socket.remoteAddress ?? null },
          signal,
        });
        log.info({ agent, checkId, verdict: report.verdict }, 'check through the API');
        // The body is exactly `check --json`; where it ran travels in headers.
        reply.header('x-vpn-doctor-agent', agent).header('x-vpn-doctor-check-id', checkId);
        return report;
      } catch (err) {
        throw checkFailure(err);
      }
    },
  });
}

function checkFailure(err: unknown): unknown {
  if (err instanceof CheckInputError) return new HttpError(400, 'invalid-request', err.message, err.problems);
  if (err instanceof AgentChoiceError) {
    return err.reason === 'none-online'
      ? new HttpError(503, 'no-agent-online', err.message)
      : new HttpError(409, 'agent-required', err.message, { online: err.online });
  }
  if (err instanceof AgentCheckError) {
    // 422: the agent's own policy refused a target (fix the allowlist or the request); 502: the agent failed.
    return new HttpError(err.refused ? 422 : 502, err.refused ? 'agent-refused' : 'agent-failed', err.message, {
      agent: err.agent,
      checkId: err.checkId,
      failures: err.failures,
    });
  }
  if (err instanceof AgentUnavailableError) {
    const status = err.reason === 'unknown' || err.reason === 'revoked' ? 404 : 503;
    return new HttpError(status, `agent-${err.reason}`, err.message);
  }
  return err;
}
