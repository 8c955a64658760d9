/**
 * Process helpers for the lab. Every command is an argument array handed to spawn: no shell ever sees a
 * string that came from a test, so an odd host name or key cannot turn into a command.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
}

export interface RunOptions {
  /** Kill the command (SIGKILL) after this long; the lab never waits forever on a hung tool. */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** The C locale keeps tool output (ping, traceroute, ss) parseable whatever the machine's locale is. */
export const TOOL_ENV: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C', LANG: 'C' };

export function run(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, [...args], {
      env: opts.env ?? TOOL_ENV,
      cwd: opts.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer =
      opts.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
          }, opts.timeoutMs);
    child.on('error', (err) => {
      if (timer) clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, durationMs: performance.now() - started, timedOut });
    });
  });
}

export class CommandError extends Error {
  override name = 'CommandError';
  constructor(
    readonly argv: readonly string[],
    readonly result: RunResult,
  ) {
    super(
      `command failed (${result.timedOut ? 'timed out' : `exit ${result.code ?? result.signal}`}): ${argv.join(' ')}\n` +
        `${result.stderr.trim() || result.stdout.trim()}`.slice(0, 2000),
    );
  }
}

/** Like run, but a non-zero exit is an error: for the setup steps that must work. */
export async function must(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const result = await run(cmd, args, { timeoutMs: 15_000, ...opts });
  if (result.code !== 0) throw new CommandError([cmd, ...args], result);
  return result;
}

/** argv for running a command inside a network namespace. */
export function inNs(ns: string, cmd: string, args: readonly string[]): [string, string[]] {
  return ['ip', ['netns', 'exec', ns, cmd, ...args]];
}

export function runIn(ns: string, cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const [c, a] = inNs(ns, cmd, args);
  return run(c, a, opts);
}

export function mustIn(ns: string, cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const [c, a] = inNs(ns, cmd, args);
  return must(c, a, opts);
}

/** A long-running process of the lab (charon, dnsmasq, a front-end listener), owned by pid. */
export interface Daemon {
  readonly name: string;
  readonly pid: number;
  readonly logPath: string;
  readonly child: ChildProcess;
  /** Set once the process has exited, so a setup wait can fail fast with the log instead of timing out. */
  exit?: { code: number | null; signal: NodeJS.Signals | null };
}

/**
 * Starts a daemon inside a namespace with stdout/stderr going to a log file. `ip netns exec` execs the
 * command in place, so the pid we hold is the daemon's own and killing it needs no process-group tricks.
 */
export function startDaemon(
  name: string,
  ns: string,
  cmd: string,
  args: readonly string[],
  opts: { logPath: string; env?: NodeJS.ProcessEnv; cwd?: string },
): Daemon {
  const fd = openSync(opts.logPath, 'a');
  try {
    const [c, a] = inNs(ns, cmd, args);
    const child = spawn(c, a, { env: opts.env ?? TOOL_ENV, cwd: opts.cwd, stdio: ['ignore', fd, fd] });
    if (child.pid === undefined) throw new Error(`could not start ${name}: ${c} ${a.join(' ')}`);
    const daemon: Daemon = { name, pid: child.pid, logPath: opts.logPath, child };
    child.on('exit', (code, signal) => (daemon.exit = { code, signal }));
    // A daemon that dies is reported by the readiness wait or the teardown; never crash the runner over it.
    child.on('error', () => undefined);
    return daemon;
  } finally {
    closeSync(fd);
  }
}

/** True while the process exists and is not a zombie (a zombie has already exited; only its parent's reap is missing). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** Blocking sleep: teardown also runs from process 'exit' handlers, where no timer will ever fire. */
export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** SIGTERM, a grace period, then SIGKILL. Synchronous so that the exit handlers can use it. */
export function killPidSync(pid: number, graceMs = 2000): void {
  if (!isAlive(pid)) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return;
    sleepSync(25);
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

/** Synchronous run for teardown paths; never throws. */
export function runSyncQuiet(cmd: string, args: readonly string[]): { code: number | null; stdout: string } {
  const r = spawnSync(cmd, [...args], { env: TOOL_ENV, encoding: 'utf8', timeout: 10_000 });
  return { code: r.status, stdout: r.stdout ?? '' };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns true or the deadline passes. */
export async function waitFor(what: string, probe: () => Promise<boolean> | boolean, timeoutMs = 5000, everyMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}
