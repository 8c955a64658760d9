import { InvalidArgumentError, type Command } from 'commander';
import pc from 'picocolors';
import { CheckError } from '../../checks/errors.js';
import { parseCheckRequest, type CheckRequest } from '../../checks/request.js';
import { CheckService } from '../../checks/service.js';
import type { okness as Okness, probeLabel as ProbeLabel } from '../../conversation/check-reply.js';
import type { CheckInput } from '../../diagnosis/input.js';
import type { Verdict } from '../../diagnosis/report.js';
import type { CheckProgress } from '../../diagnosis/run-check.js';
import type { KnowledgeBase } from '../../knowledge/loader.js';
import type { ProbeRunner } from '../../probes/catalogue.js';
import { UsageError } from '../errors.js';
import { knowledgeDirOption } from '../options.js';

/**
 * `vpn-doctor check`: the guide's connectivity runbook, run from this machine.
 * Exit codes (scripts and the lab rely on them): 0 healthy, 3 degraded, 4 down, 2 bad usage, 1 the
 * check itself failed. With --json, stdout carries exactly one JSON document: the report, or
 * `{"error": {"code", "message"}}` when the check could not run (code "check-failed", exit 1) or was called
 * wrongly (code "usage", exit 2); progress and error messages go to stderr.
 */
export const EXIT_CODES: Record<Verdict, number> = { healthy: 0, degraded: 3, down: 4 };

/** The one JSON document `check --json` prints when there is no report. */
export function jsonError(code: 'usage' | 'check-failed', message: string): string {
  return JSON.stringify({ error: { code, message } }) + '\n';
}

export interface CheckCliOptions {
  host: string[];
  dnsServer: string[];
  resolver?: string;
  edge?: string;
  sentry?: boolean;
  timeout?: number;
  json?: boolean;
  knowledge?: string;
}

export interface CheckCliIo {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown; isTTY?: boolean };
  /** Who runs the probes (tests inject one). */
  probes?: ProbeRunner;
  /** Knowledge base to use instead of loading one (tests). */
  knowledge?: KnowledgeBase | null;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

function milliseconds(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('must be a whole number of milliseconds');
  return n;
}

export function registerCheckCommand(program: Command): void {
  const command: Command = program.command('check');
  command
    .description('run the connectivity checks of the troubleshooting guide from this machine')
    .option('--host <fqdn>', 'environment host name, e.g. acme-dev.outsystemsenterprise.com (repeatable)', collect, [])
    .option('--dns-server <ip>', 'OutSystems Cloud DNS server private IP, from the VPN setup e-mail (repeatable)', collect, [])
    .option('--resolver <ip>', 'your DNS server to test (default: the system resolver of this machine)')
    .option('--edge <ip>', "your VPN edge device's inside IP (tells internal routing from the VPN device)")
    .option('--sentry', 'Sentry environment: only HTTPS (443) is expected to be open')
    .option('--timeout <ms>', 'time budget of the whole check (default 5000)', milliseconds)
    .option('--json', 'print the report as one JSON document {verdict, findings, probes}')
    .addOption(knowledgeDirOption())
    .configureOutput({
      // Commander's own usage errors (a bad --timeout, a missing value): with --json, stdout still gets
      // one JSON document. The message also goes to stderr as usual; the exit code stays 2.
      outputError: (message, write) => {
        const argv = (command.parent as { rawArgs?: string[] } | null)?.rawArgs ?? process.argv;
        if (argv.includes('--json')) {
          const out = command.configureOutput() as { writeOut?: (s: string) => void };
          (out.writeOut ?? ((x: string) => process.stdout.write(x)))(jsonError('usage', message.trim().replace(/^error: /, '')));
        }
        write(message);
      },
    })
    .addHelpText(
      'after',
      '\nExit codes: 0 healthy, 3 degraded, 4 down, 2 bad usage, 1 the check could not run.\n' +
        'Example: vpn-doctor check --host acme-dev.outsystemsenterprise.com --dns-server 10.0.0.2 --dns-server 10.0.0.3',
    )
    .action(async (opts: CheckCliOptions) => {
      process.exitCode = await runCheckCli(opts, { stdout: process.stdout, stderr: process.stderr });
    });
}

/**
 * The command's whole behaviour, returning the exit code (a UsageError for bad input, any other error when
 * the check cannot run). With --json, either case first prints its `{"error"}` document on stdout.
 */
export async function runCheckCli(opts: CheckCliOptions, io: CheckCliIo): Promise<number> {
  try {
    return await runCheck(opts, io);
  } catch (err) {
    if (opts.json) io.stdout.write(jsonError(err instanceof UsageError ? 'usage' : 'check-failed', (err as Error).message));
    throw err;
  }
}

async function runCheck(opts: CheckCliOptions, io: CheckCliIo): Promise<number> {
  let request: CheckRequest;
  try {
    request = parseCheckRequest({
      hosts: opts.host,
      dnsServers: opts.dnsServer,
      resolver: opts.resolver,
      edge: opts.edge,
      sentry: opts.sentry === true,
      timeoutMs: opts.timeout,
    });
  } catch (err) {
    if (err instanceof CheckError) throw new UsageError(`check: ${(err.details.problems ?? [err.message]).join('; ')}`);
    throw err;
  }
  const input = request.input;

  // An explicit --knowledge folder must be valid; the bundled one is optional (fallback steps), and the
  // check reads only the topics its findings name. Modules only some runs need are loaded by those runs.
  const knowledge =
    io.knowledge !== undefined
      ? io.knowledge
      : opts.knowledge
        ? (await import('../../knowledge/loader.js')).loadKnowledgeBase(opts.knowledge)
        : undefined;
  const color = pc.createColors(io.stderr.isTTY === true);
  const judge = io.stderr.isTTY ? await import('../../conversation/check-reply.js') : undefined;
  const onProgress = judge
    ? (p: CheckProgress): void => {
        io.stderr.write(progressLine(p, input, color, judge.probeLabel, judge.okness) + '\n');
      }
    : undefined;

  const service = new CheckService({ ...(io.probes ? { localProbes: io.probes } : {}), ...(knowledge !== undefined ? { knowledge } : {}) });
  const { report } = await service.run(
    request,
    { on: 'local' },
    { requestedBy: { user: 'cli', platform: 'cli' }, ...(onProgress ? { onProgress } : {}) },
  );

  if (opts.json) {
    io.stdout.write(JSON.stringify(report) + '\n');
  } else {
    const [{ checkReply }, { renderTerminal }] = await Promise.all([
      import('../../conversation/check-reply.js'),
      import('../../reply/render-terminal.js'),
    ]);
    io.stdout.write(renderTerminal(checkReply(report, { input, kb: knowledge ?? null }), { color: io.stdout.isTTY === true }));
  }
  return EXIT_CODES[report.verdict];
}

/** One progress line, judged as the report's evidence row of the same probe is (ok, FAIL or info). */
export function progressLine(
  p: CheckProgress,
  input: CheckInput,
  c: ReturnType<typeof pc.createColors>,
  probeLabel: typeof ProbeLabel,
  okness: typeof Okness,
): string {
  const ok = okness(p.result);
  const mark = ok === true ? c.green('ok  ') : ok === false ? c.red('FAIL') : c.dim('info');
  const count = c.dim(`[${String(p.completed).padStart(2)}/${p.planned}]`);
  return `${count} ${mark}${probeLabel(p.result, input)} ${p.result.target}: ${p.line} ${c.dim(`(${Math.round(p.result.durationMs)} ms)`)}`;
}
