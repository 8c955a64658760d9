import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { AgentHub, JobOutcome, JobRequest } from '../../src/agents/hub.js';
import { AgentCheckError, RemoteChecks, type RunCheck } from '../../src/agents/remote-checks.js';
import { runConnectivityCheck } from '../../src/diagnosis/run-check.js';

/**
 * The hub is replaced by a scripted one here: what is under test is how RemoteChecks reads job outcomes
 * (the real hub, agents and sockets are exercised in hub.test.ts and test/server/check-through-agent.test.ts).
 */
function scriptedHub(outcome: (req: JobRequest) => Omit<JobOutcome, 'jobId' | 'agent' | 'probe'>): AgentHub {
  return {
    onlineNames: () => ['a1'],
    assertAvailable: () => {},
    dispatch: async (agent: string, req: JobRequest) => ({ jobId: 'j', agent, probe: req.probe, ...outcome(req) }),
  } as unknown as AgentHub;
}

const input = { hosts: ['acme-dev.outsystemsenterprise.com'], dnsServers: ['10.0.0.2'], timeoutMs: 1000 };
const log = pino({ level: 'silent' });
const runCheck: RunCheck = (i, o) => runConnectivityCheck(i, { ...o, knowledge: null });

describe('RemoteChecks', () => {
  it('an agent that disconnects mid-check fails the check (no diagnosis from probes that never ran)', async () => {
    const checks = new RemoteChecks(scriptedHub(() => ({ status: 'failed', error: { code: 'disconnected', message: 'agent disconnected' }, durationMs: 3 })), runCheck, log);
    const err = await checks.run({ input, requestedBy: { user: 'u', platform: 'test' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AgentCheckError);
    expect((err as AgentCheckError).refused).toBe(false);
    expect((err as AgentCheckError).failures.every((f) => f.includes('agent disconnected'))).toBe(true);
    expect((err as AgentCheckError).message).toMatch(/^the check could not run on agent a1: /);
  });

  it('a refusal by the agent allowlist is marked as refused', async () => {
    const checks = new RemoteChecks(
      scriptedHub((req) =>
        req.probe === 'dns'
          ? { status: 'refused', error: { code: 'not-allowed', message: '10.0.0.2 is not in the allowlist' }, durationMs: 0 }
          : { status: 'failed', error: { code: 'x', message: 'agent disconnected' }, durationMs: 0 },
      ),
      runCheck,
      log,
    );
    const err = (await checks.run({ input, requestedBy: { user: 'u', platform: 'test' } }).catch((e: unknown) => e)) as AgentCheckError;
    expect(err.refused).toBe(true);
    expect(err.failures.some((f) => f.startsWith('dns ') && f.includes('allowlist'))).toBe(true);
  });
});
