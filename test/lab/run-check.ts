/**
 * Runs `vpn-doctor check --json` inside the lab's LAN namespace, as a customer's on-call engineer would on
 * a host of their network, and validates the output against the documented JSON contract.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { runIn, TOOL_ENV } from './exec.js';
import { REPO_ROOT } from './frontend.js';
import { EDGE_IP, ENV_HOST, PLAN, RESOLVER_IP } from './plan.js';
import type { Lab } from './lab.js';

export const CLI = join(REPO_ROOT, 'bin', 'vpn-doctor.js');
export const BUILT_ENTRY = join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js');

// The contract of ../shared/GUIDE.md and issue 4. Only what the lab asserts on is typed tightly; the
// rest must be present with the documented names but may carry any value.
const FindingSchema = z.looseObject({
  code: z.string().regex(/^[a-z][a-z0-9-]*$/),
  severity: z.enum(['error', 'warning', 'info']),
  topic: z.string(),
  section: z.string(),
  summary: z.string(),
  evidence: z.unknown(),
  steps: z.unknown(),
});
const ProbeSchema = z.looseObject({
  kind: z.string(),
  target: z.string(),
  ok: z.boolean(),
  durationMs: z.number().nonnegative(),
  backend: z.unknown(),
  detail: z.unknown(),
});
export const CheckReportSchema = z.looseObject({
  verdict: z.enum(['healthy', 'degraded', 'down']),
  findings: z.array(FindingSchema),
  probes: z.array(ProbeSchema),
});
export type CheckReport = z.infer<typeof CheckReportSchema>;
export type Verdict = CheckReport['verdict'];

/** The check's documented exit codes per verdict (`vpn-doctor check --help`): scripts rely on them. */
export const EXIT_CODES: Record<Verdict, number> = { healthy: 0, degraded: 3, down: 4 };

export interface CheckOptions {
  sentry?: boolean;
  /** Give the edge device's inside IP (default true); without it the path can stay undecided. */
  edge?: boolean;
  timeoutMs?: number;
  /**
   * Run the check trusting the lab CA that issued the front-end's certificate (NODE_EXTRA_CA_CERTS), as a
   * customer machine trusts the environment's real issuer. Default true; false shows what an untrusted
   * issuer (TLS inspection by a corporate proxy) looks like.
   */
  trustLabCa?: boolean;
}

export interface CheckRun {
  argv: string[];
  exitCode: number | null;
  wallMs: number;
  stdout: string;
  stderr: string;
  report?: CheckReport;
  /** Why stdout was not a valid report, when it was not. */
  contractError?: string;
}

/** The check's arguments for the lab: the environment, both cloud DNS servers, the corporate resolver, the edge. */
export function checkArgs(opts: CheckOptions = {}): string[] {
  const args = ['check', '--host', ENV_HOST];
  for (const d of PLAN.cloud.dns) args.push('--dns-server', d);
  args.push('--resolver', RESOLVER_IP);
  if (opts.edge !== false) args.push('--edge', EDGE_IP);
  if (opts.sentry) args.push('--sentry');
  if (opts.timeoutMs !== undefined) args.push('--timeout', String(opts.timeoutMs));
  args.push('--json');
  return args;
}

/** NODE_EXTRA_CA_CERTS for a vpn-doctor process of the lab that must trust the front-end's issuer. */
export function labCaEnv(lab: Lab, trust = true): Record<string, string> {
  if (!trust) return {};
  if (!lab.caCert) throw new Error('the lab has no CA certificate (not started?)');
  return { NODE_EXTRA_CA_CERTS: lab.caCert };
}

export async function runCheck(lab: Lab, opts: CheckOptions = {}): Promise<CheckRun> {
  if (!existsSync(BUILT_ENTRY)) throw new Error(`vpn-doctor is not built (${BUILT_ENTRY} missing): run npm run build`);
  const argv = [CLI, ...checkArgs(opts)];
  // Generous kill timer: the check bounds itself; this only stops a hung process from hanging the lab.
  const env: NodeJS.ProcessEnv = {
    ...TOOL_ENV,
    NO_COLOR: '1',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    ...labCaEnv(lab, opts.trustLabCa ?? true),
  };
  if (opts.trustLabCa === false) delete env.NODE_EXTRA_CA_CERTS;
  const r = await runIn(lab.ns.lan, process.execPath, argv, { timeoutMs: 60_000, cwd: REPO_ROOT, env });
  const run: CheckRun = { argv, exitCode: r.code, wallMs: r.durationMs, stdout: r.stdout, stderr: r.stderr };
  try {
    const parsed = CheckReportSchema.safeParse(JSON.parse(r.stdout));
    if (parsed.success) run.report = parsed.data;
    else run.contractError = z.prettifyError(parsed.error);
  } catch (err) {
    run.contractError = `stdout is not one JSON document: ${(err as Error).message}`;
  }
  return run;
}

/** A compact account of a run for assertion messages: what the check said and why. */
export function describeRun(run: CheckRun): string {
  const lines = [`$ vpn-doctor ${run.argv.slice(1).join(' ')}`, `exit ${run.exitCode}, ${Math.round(run.wallMs)} ms`];
  if (run.report) {
    lines.push(`verdict: ${run.report.verdict}`);
    for (const f of run.report.findings) lines.push(`finding ${f.severity} ${f.code}: ${f.summary}`);
    for (const p of run.report.probes)
      lines.push(`probe ${p.kind} ${p.target} ok=${p.ok} ${Math.round(p.durationMs)}ms ${JSON.stringify(p.detail)?.slice(0, 200)}`);
  } else {
    lines.push(`contract error: ${run.contractError}`, `stdout: ${run.stdout.slice(0, 1500)}`);
  }
  if (run.stderr.trim()) lines.push(`stderr: ${run.stderr.trim().slice(-1500)}`);
  return lines.join('\n');
}
