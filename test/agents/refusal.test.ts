import { createServer } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AGENT_REFUSED_EXIT_CODE, AgentRefusedError, type ProbeAgent } from '../../src/agents/agent.js';
import { main } from '../../src/cli/main.js';
import { registerAgent, startAgent, startHub, type TestHub } from './helpers.js';

/**
 * An agent the hub refuses for good (unknown or revoked token, a name the token was not issued for) stops
 * after a few attempts and says why; one that cannot reach the hub keeps trying. Real hub, real WebSocket.
 */
const running: { agent?: ProbeAgent; hub?: TestHub }[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) {
    await r.agent?.stop({ timeoutMs: 100 });
    await r.hub?.close();
  }
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

const within = <T>(p: Promise<T>, ms: number): Promise<T | 'still waiting'> =>
  Promise.race([p, new Promise<'still waiting'>((r) => setTimeout(() => r('still waiting'), ms))]);

describe('agents fail loudly on permanent refusals', () => {
  it('an unknown token: refused three times, then the agent stops with one clear reason', async () => {
    const hub = await startHub();
    const { agent, lines } = startAgent(hub.url, 'vpd_' + 'x'.repeat(43), 'a1', { backoff: { initialMs: 20, maxMs: 60 } });
    running.push({ agent, hub });
    const err = await within(agent.refused, 5000);
    expect(err).toBeInstanceOf(AgentRefusedError);
    expect((err as Error).message).toBe(
      'agent "a1" was refused by the hub 3 times in a row: the hub refused the token: it is unknown to this hub, revoked, or mistyped',
    );
    expect(agent.state).toBe('stopped');
    expect(lines.filter((l) => l.msg === (err as Error).message && l.level === 50)).toHaveLength(1);
    // Stopped means stopped: no further attempt reaches the hub.
    const refusedAtHub = hub.lines.filter((l) => l.msg === 'agent connection refused').length;
    expect(refusedAtHub).toBe(3);
    await new Promise((r) => setTimeout(r, 300));
    expect(hub.lines.filter((l) => l.msg === 'agent connection refused').length).toBe(refusedAtHub);
  });

  it('a token revoked while connected: dropped, refused on reconnect, then stops', async () => {
    const hub = await startHub();
    const token = await registerAgent(hub.store, 'a2');
    const { agent } = startAgent(hub.url, token, 'a2', { backoff: { initialMs: 20, maxMs: 60 } });
    running.push({ agent, hub });
    await agent.whenOnline();
    await hub.store.agents.revoke('a2');
    expect(await hub.hub.onlineNames()).toEqual([]); // the revocation check drops the connection (close 4003)
    const err = await within(agent.refused, 5000);
    expect(err).toBeInstanceOf(AgentRefusedError);
    // The last refusal is the 401 of a reconnect; the first was the revocation itself.
    expect((err as Error).message).toMatch(/refused by the hub 3 times in a row: the hub refused the token/);
  });

  it('a token used with another name: the hub says whose it is, and the agent stops', async () => {
    const hub = await startHub();
    const token = await registerAgent(hub.store, 'a3');
    const { agent } = startAgent(hub.url, token, 'not-a3', { backoff: { initialMs: 20, maxMs: 60 } });
    running.push({ agent, hub });
    const err = await within(agent.refused, 5000);
    expect((err as Error).message).toBe(
      'agent "not-a3" was refused by the hub 3 times in a row: this token belongs to agent "a3", not "not-a3" (use the --name the token was issued for)',
    );
  });

  it('a hub that is down is not a refusal: the agent keeps retrying with backoff', async () => {
    // A port that was free a moment ago: connection refused, as for a hub being restarted.
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const { agent, lines } = startAgent(`ws://127.0.0.1:${port}/agents`, 'vpd_' + 'y'.repeat(43), 'a4', {
      backoff: { initialMs: 20, maxMs: 60 },
    });
    running.push({ agent });
    expect(await within(agent.refused, 1000)).toBe('still waiting');
    expect(agent.state === 'waiting' || agent.state === 'connecting').toBe(true);
    expect(lines.filter((l) => l.msg === 'disconnected from the hub').length).toBeGreaterThan(5);
  });

  it('`vpn-doctor agent` with a refused token exits 78 with one line on stderr', { timeout: 30_000 }, async () => {
    const hub = await startHub();
    running.push({ hub });
    let stderr = '';
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
    // The agent's own log goes straight to file descriptor 2 (pino), past the spy: keep the test run quiet.
    vi.stubEnv('LOG_LEVEL', 'silent');
    const code = await main([
      'node',
      'vpn-doctor',
      'agent',
      '--hub',
      hub.url,
      '--token',
      'vpd_' + 'z'.repeat(43),
      '--name',
      'a5',
      '--allow',
      '10.0.0.0/8',
    ]);
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    expect(code).toBe(AGENT_REFUSED_EXIT_CODE);
    expect(
      stderr
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('vpn-doctor agent: ')),
    ).toEqual([
      'vpn-doctor agent: agent "a5" was refused by the hub 3 times in a row: the hub refused the token: it is unknown to this hub, revoked, or mistyped',
    ]);
  });
});
