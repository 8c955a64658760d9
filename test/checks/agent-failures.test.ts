import { describe, expect, it } from 'vitest';
import type { AgentHub, JobOutcome, JobRequest } from '../../src/agents/hub.js';
import { CheckError, CheckService, parseCheckRequest } from '../../src/checks/index.js';

/**
 * The hub is replaced by a scripted one here: what is under test is how the check service reads job
 * outcomes (the real hub, agents and sockets are exercised in service.test.ts, test/agents/hub.test.ts and
 * test/server/check-through-agent.test.ts).
 */
function scriptedHub(outcome: (req: JobRequest) => Omit<JobOutcome, 'jobId' | 'agent' | 'probe'>): AgentHub {
  return {
    onlineNames: () => ['a1'],
    assertAvailable: () => {},
    dispatch: async (agent: string, req: JobRequest) => ({ jobId: 'j', agent, probe: req.probe, ...outcome(req) }),
  } as unknown as AgentHub;
}

const request = parseCheckRequest({ hosts: ['acme-dev.outsystemsenterprise.com'], dnsServers: ['10.0.0.2'], timeoutMs: 1000 });
const requestedBy = { user: 'u', platform: 'test' };
const run = (hub: AgentHub): Promise<CheckError> =>
  new CheckService({ hub, knowledge: null }).run(request, { on: 'agent' }, { requestedBy }).then(
    () => Promise.reject(new Error('expected the check to fail')),
    (e: unknown) => e as CheckError,
  );

describe('check service: probes that never ran on the agent', () => {
  it('an agent that disconnects mid-check fails the check (no diagnosis from probes that never ran)', async () => {
    const err = await run(
      scriptedHub(() => ({ status: 'disconnected', error: { code: 'disconnected', message: 'agent disconnected' }, durationMs: 3 })),
    );
    expect(err).toBeInstanceOf(CheckError);
    expect(err.code).toBe('agent-failed');
    expect(err.details.agent).toBe('a1');
    expect(err.details.failures!.every((f) => f.includes('agent disconnected'))).toBe(true);
    expect(err.message).toMatch(/^the check could not run on agent a1: /);
  });

  it('every probe refused by the agent allowlist: agent-refused, with the rules that would allow them', async () => {
    const err = await run(
      scriptedHub((req) => ({
        status: 'refused',
        error: {
          code: 'not-allowed',
          message: '10.0.0.2 is not in the allowlist',
          allow: req.probe === 'dns' ? '10.0.0.2:53' : '10.0.0.2',
        },
        durationMs: 0,
      })),
    );
    expect(err.code).toBe('agent-refused');
    expect(err.details.failures!.some((f) => f.startsWith('dns ') && f.includes('allowlist'))).toBe(true);
    expect(err.details.allow).toEqual(['10.0.0.2', '10.0.0.2:53']);
  });

  it('some probes refused, the others late: the lateness decides (timeout), the refusals are still listed', async () => {
    const err = await run(
      scriptedHub((req) =>
        req.probe === 'dns'
          ? { status: 'refused', error: { code: 'not-allowed', message: '10.0.0.2 is not in the allowlist' }, durationMs: 0 }
          : { status: 'timeout', error: { code: 'deadline', message: 'no answer' }, durationMs: 0 },
      ),
    );
    expect(err.code).toBe('timeout');
    expect(err.details.failures!.some((f) => f.startsWith('dns ') && f.includes('allowlist'))).toBe(true);
  });

  it('only timeouts: the check failed by timeout', async () => {
    const err = await run(
      scriptedHub(() => ({
        status: 'timeout',
        error: { code: 'deadline', message: 'agent a1 did not acknowledge the job within 900 ms' },
        durationMs: 1900,
      })),
    );
    expect(err.code).toBe('timeout');
    expect(err.details.checkId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('an agent answering with something that is not a probe result fails the check instead of feeding the rules', async () => {
    // Moved here from the runbook's tests: results are validated where they enter the process (the agent runner).
    const err = await run(
      scriptedHub((req) =>
        req.probe === 'tls'
          ? { status: 'ok', result: { kind: 'tls', nonsense: true }, durationMs: 1 }
          : { status: 'ok', result: 'garbage', durationMs: 1 },
      ),
    );
    expect(err.code).toBe('agent-failed');
    expect(err.details.failures!.some((f) => /invalid (dns|icmp) result/.test(f))).toBe(true);
  });
});
