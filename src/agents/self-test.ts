import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { toolEnv } from '../probes/exec.js';
import { catalogue } from '../probes/catalogue.js';

/**
 * What this agent can actually do, found by trying at start (reported to the hub so operators see why an
 * ICMP check says "not permitted" before they ask): which ICMP backend works, and whether traceroute exists.
 */
export interface SelfTest {
  icmp: 'raw' | 'system' | 'none';
  traceroute: boolean;
}

export async function selfTest(): Promise<SelfTest> {
  return { icmp: await icmpBackend(), traceroute: onPath('traceroute') };
}

/** Pings the loopback once: the agent's own check, not a job, so the allowlist does not apply. */
async function icmpBackend(): Promise<SelfTest['icmp']> {
  const params = catalogue.icmp.paramsSchema.parse({ target: '127.0.0.1', count: 1, timeoutMs: 1500 });
  const ac = new AbortController();
  const result = await catalogue.icmp.run(params, { signal: ac.signal, deadline: Date.now() + 2000 }).catch(() => null);
  if (!result || result.detail.status !== 'replied') return 'none';
  return result.backend === 'net-ping' ? 'raw' : 'system';
}

function onPath(tool: string): boolean {
  for (const dir of (toolEnv().PATH ?? '').split(':').filter(Boolean)) {
    try {
      accessSync(join(dir, tool), constants.X_OK);
      return true;
    } catch {
      // not in this folder
    }
  }
  return false;
}
