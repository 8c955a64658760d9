import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CLI } from '../../cli/run-cli.js';

/** A child process whose stdout/stderr lines are kept, with a wait for a line that matches. */
export interface Proc {
  child: ChildProcess;
  lines: string[];
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves on exit. */
  stop(graceMs?: number): Promise<void>;
  exited: Promise<number | null>;
}

function track(child: ChildProcess): Proc {
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  const onData = (chunk: string, rest: { text: string }) => {
    rest.text += chunk;
    const parts = rest.text.split('\n');
    rest.text = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      for (const w of [...waiters]) {
        if (!w.pattern.test(line)) continue;
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  };
  const out = { text: '' };
  const err = { text: '' };
  child.stdout?.setEncoding('utf8').on('data', (c: string) => onData(c, out));
  child.stderr?.setEncoding('utf8').on('data', (c: string) => onData(c, err));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    lines,
    exited,
    waitFor(pattern, timeoutMs = 15_000) {
      const seen = lines.find((l) => pattern.test(l));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms:\n${lines.slice(-20).join('\n')}`)),
          timeoutMs,
        );
        waiters.push({
          pattern,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
        void exited.then(() => {
          clearTimeout(timer);
          reject(new Error(`process exited before printing ${pattern}:\n${lines.slice(-20).join('\n')}`));
        });
      });
    },
    async stop(graceMs = 3000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** `vpn-doctor serve` (the built CLI) with this environment; resolves once it listens, with its base URL. */
export async function startReplica(env: NodeJS.ProcessEnv): Promise<Proc & { url: string; wsUrl: string }> {
  const proc = track(spawn(process.execPath, [CLI, 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] }));
  const line = await proc.waitFor(/"msg":"vpn-doctor server listening"/, 40_000);
  const { port } = JSON.parse(line) as { port: number };
  return { ...proc, url: `http://127.0.0.1:${port}`, wsUrl: `ws://127.0.0.1:${port}/agents` };
}

const AGENT = fileURLToPath(new URL('../fixtures/agent-process.ts', import.meta.url));

/** Real agents in one process (test/replicas/fixtures/agent-process.ts), each with its hub URLs in its order. */
export function startAgentProcess(agents: { name: string; token: string; hubs: string[] }[], env: NodeJS.ProcessEnv): Proc {
  return track(
    spawn(process.execPath, ['--import', 'tsx', AGENT], {
      env: { ...env, VPN_DOCTOR_AGENTS: JSON.stringify(agents) },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
}
