import { spawn } from 'node:child_process';

/**
 * Runs a system tool (ping, traceroute) with an argument array: never a shell, so nothing in a target can
 * be interpreted. The child is interrupted at the deadline with SIGINT first, because iputils `ping`
 * prints its statistics on SIGINT (a partial answer beats none), then killed if it lingers.
 */

export interface CommandOptions {
  signal?: AbortSignal;
  /** Absolute time (epoch ms) at which the command is interrupted. */
  deadline: number;
  /** Signal sent at the deadline; SIGKILL follows after `graceMs`. */
  interruptSignal?: NodeJS.Signals;
  graceMs?: number;
  /** Output beyond this is dropped (a runaway tool must not fill the memory). */
  maxOutputBytes?: number;
}

export interface CommandResult {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** The deadline (or the abort signal) interrupted the command. */
  interrupted: boolean;
  /** The command could not start at all (ENOENT: not installed; EACCES: not executable). */
  spawnError?: { code: string; message: string };
}

export type CommandRunner = (file: string, args: readonly string[], options: CommandOptions) => Promise<CommandResult>;

/**
 * Fixed environment: LC_ALL=C so output is parseable whatever the host's locale; PATH extended with the
 * sbin folders because Debian installs traceroute there and ordinary users' PATH often lacks them.
 */
export function toolEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const path = [base.PATH ?? '', '/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'].filter(Boolean).join(':');
  return { PATH: path, LC_ALL: 'C', LANG: 'C' };
}

export const runCommand: CommandRunner = (file, args, options) =>
  new Promise((resolve) => {
    const max = options.maxOutputBytes ?? 256 * 1024;
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    let interrupted = false;
    let spawnError: CommandResult['spawnError'];
    let killTimer: NodeJS.Timeout | undefined;

    const child = spawn(file, [...args], {
      shell: false,
      env: toolEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });

    child.stdout.on('data', (b: Buffer) => {
      if (outBytes < max) out.push(b);
      outBytes += b.length;
    });
    child.stderr.on('data', (b: Buffer) => {
      if (errBytes < max) err.push(b);
      errBytes += b.length;
    });

    const interrupt = (): void => {
      if (interrupted || child.exitCode !== null || child.signalCode !== null) return;
      interrupted = true;
      child.kill(options.interruptSignal ?? 'SIGINT');
      killTimer = setTimeout(() => child.kill('SIGKILL'), options.graceMs ?? 300);
      killTimer.unref();
    };
    const deadlineTimer = setTimeout(interrupt, Math.max(0, options.deadline - Date.now()));
    options.signal?.addEventListener('abort', interrupt, { once: true });
    if (options.signal?.aborted) interrupt();

    child.on('error', (e: NodeJS.ErrnoException) => {
      spawnError = { code: e.code ?? 'ERROR', message: e.message };
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(deadlineTimer);
      if (killTimer) clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', interrupt);
      resolve({
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        exitCode,
        signal,
        interrupted,
        ...(spawnError ? { spawnError } : {}),
      });
    });
  });

/** "0.2" for 200 ms: ping and traceroute take seconds with decimals. */
export function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3).replace(/\.?0+$/, '') || '0';
}
