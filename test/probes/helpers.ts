import { execFileSync } from 'node:child_process';
import type { CommandResult, CommandRunner } from '../../src/probes/exec.js';
import { toolEnv } from '../../src/probes/exec.js';
import type { ProbeContext } from '../../src/probes/types.js';

/** A probe context with its own deadline. */
export function ctx(ms = 3000): ProbeContext {
  return { signal: new AbortController().signal, deadline: Date.now() + ms };
}

/** Whether a system tool is installed (looked up with the same PATH the probes use). */
export function hasTool(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { env: toolEnv(), stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Whether this process may open a raw ICMP socket (net-ping's requirement). */
export async function rawSocketsAllowed(): Promise<boolean> {
  try {
    const { loadNetPing } = await import('../../src/probes/net-ping.js');
    const mod = loadNetPing();
    if (!mod) return false;
    mod.createSession({ retries: 0, timeout: 100 }).close();
    return true;
  } catch {
    return false;
  }
}

export interface RecordedCall {
  file: string;
  args: readonly string[];
}

/** A CommandRunner that answers from a script and records what it was asked to run. */
export function fakeRunner(answers: Partial<CommandResult>[]): CommandRunner & { calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  const run: CommandRunner = async (file, args) => {
    calls.push({ file, args });
    const a = answers[Math.min(calls.length - 1, answers.length - 1)] ?? {};
    return { stdout: '', stderr: '', exitCode: 0, signal: null, interrupted: false, ...a };
  };
  return Object.assign(run, { calls });
}
