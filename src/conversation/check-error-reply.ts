import type { CheckError } from '../checks/errors.js';
import type { CheckRequest } from '../checks/request.js';
import { reply, type Reply } from '../reply/reply.js';
import { checkCommand } from './check-reply.js';

/** The chat's answer to a check that produced no report: the one mapping of CheckError codes to a Reply. */
export function checkErrorReply(err: CheckError, request?: CheckRequest): Reply {
  const agent = err.details.agent ?? '?';
  const failures = (err.details.failures ?? []).slice(0, 10).map((f) => ({ label: f }));
  switch (err.code) {
    case 'invalid-request':
      return reply({ kind: 'error', title: 'I could not run that check', summary: (err.details.problems ?? [err.message]).join('; ') });
    case 'agents-unavailable':
      return reply({
        kind: 'error',
        title: 'No probe agents here',
        summary: `This instance runs checks from the machine it is on${request?.agent ? ` and has no agent "${request.agent}"; leave out "on ${request.agent}"` : ''}.`,
      });
    case 'no-agent-online':
    case 'agent-required': {
      const online = err.details.online ?? [];
      return reply({
        kind: 'error',
        title: err.code === 'no-agent-online' ? 'No probe agent is online' : 'Which agent should run the check?',
        summary:
          err.code === 'no-agent-online'
            ? 'Checks run from inside your network through a probe agent. Start one on a server in your LAN with `vpn-doctor agent --hub <url> --token <token> --name <name> --allow <rules>`.'
            : err.message,
        items: online.map((name) => ({ label: name, detail: 'online' })),
        actions: request
          ? online
              .slice(0, 5)
              .map((name) => ({ id: `check-on-${name}`, label: `Run on ${name}`, command: checkCommand(request.input, name) }))
          : [],
      });
    }
    case 'agent-unknown':
    case 'agent-revoked':
    case 'agent-offline':
    case 'agent-draining':
    case 'agent-unsupported-probe':
      return reply({
        kind: 'error',
        title: 'That agent cannot run checks now',
        summary: `${err.message}. Ask "agents" to see which ones are online.`,
      });
    case 'agent-busy':
      return reply({
        kind: 'error',
        title: `Agent ${agent} is busy`,
        summary: `${err.message}. It runs a limited number of probes at once and is at that limit now.`,
      });
    case 'agent-refused': {
      const allow = err.details.allow ?? [];
      return reply({
        kind: 'error',
        title: `Agent ${agent} refused every probe of the check`,
        summary: `Every target is outside the agent's allowlist, so nothing could run and no diagnosis was made. ${
          allow.length > 0
            ? `Start the agent with these rules added: ${allow.map((r) => `--allow ${r}`).join(' ')}.`
            : "Add the cloud DNS servers and the cloud range to the agent's --allow rules."
        }`,
        items: failures,
      });
    }
    case 'timeout':
      return reply({
        kind: 'error',
        title: `Agent ${agent} did not answer in time`,
        summary:
          'Some probes got no answer from the agent before the check\'s deadline (agent overloaded, or a slow link to this server), so no diagnosis was made. Ask "agents" to see its state, then run the check again, perhaps with a longer "timeout".',
        items: failures,
      });
    case 'agent-failed':
      return reply({
        kind: 'error',
        title: `The check did not complete on agent ${agent}`,
        summary:
          'Some probes never ran (agent busy, disconnected or too slow), so no diagnosis was made. Ask "agents" to see its state, then run the check again.',
        items: failures,
      });
  }
}
