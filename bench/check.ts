/**
 * Benchmark (issue 4, point 6): wall time of `vpn-doctor check --json` against the manual sequence an
 * on-call engineer types, one command after another, both run inside the lab's LAN namespace.
 *
 *   npm run bench:check [-- --runs N] [-- --strict]      (root; builds first)
 *
 * Targets: on a healthy network the check takes at most 0.25x the manual sequence; with the tunnel down it
 * finishes within its default 5 s budget. A missed target is printed; with --strict it also exits 1 (plain
 * runs exit 0 so `npm run bench`, which chains the benchmarks, still runs the others). Not root: skipped.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Lab } from '../test/lab/lab.js';
import { precleanLeftovers } from '../test/lab/netns.js';
import { ENV_HOST, PLAN } from '../test/lab/plan.js';
import { isRoot, NOT_ROOT_MESSAGE } from '../test/lab/root.js';
import { REPO_ROOT } from '../test/lab/frontend.js';
import { runCheck, type CheckRun } from '../test/lab/run-check.js';
import { scenario } from '../test/lab/scenarios.js';

const HEALTHY_RATIO_TARGET = 0.25;
const DEFAULT_BUDGET_MS = 5000;

/**
 * The guide's manual sequence with the timeouts an engineer would sensibly pick (not the tools' defaults,
 * which are longer: that keeps the comparison fair to the manual side). Name lookups by nc go through the
 * LAN host's resolv.conf, i.e. the corporate resolver (timeout 2 s, 1 attempt, see netns.ts).
 */
const [DNS1, DNS2] = PLAN.cloud.dns;
const MANUAL: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['ping', ['-c', '4', '-W', '2', DNS1]],
  ['traceroute', ['-n', '-w', '2', '-m', '15', DNS1]],
  ['nslookup', ['-timeout=2', '-retry=1', ENV_HOST, DNS1]],
  ['nslookup', ['-timeout=2', '-retry=1', ENV_HOST, DNS2]],
  ['nc', ['-z', '-w', '3', ENV_HOST, '443']],
  ['nc', ['-z', '-w', '3', ENV_HOST, '80']],
];

interface Row {
  scenario: string;
  verdict: string;
  codes: string;
  checkMs: { median: number; min: number; max: number };
  slowestProbeMs: number;
  manualMs: number;
  manualSteps: Array<{ cmd: string; ms: number; exit: number | null }>;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const ms = (x: number): string => `${Math.round(x)} ms`;

async function measure(id: 'healthy' | 'tunnel-down', runs: number): Promise<Row> {
  const s = scenario(id);
  process.stderr.write(`bench: ${id}: building the lab, ${runs + 1} check runs, then the manual sequence...\n`);
  const lab = await Lab.start();
  try {
    await s.inject(lab);
    // One unmeasured run: the first node start pays for a cold file cache.
    await runCheck(lab, { sentry: s.sentry });
    const checks: CheckRun[] = [];
    for (let i = 0; i < runs; i++) checks.push(await runCheck(lab, { sentry: s.sentry }));
    const bad = checks.find((c) => !c.report);
    if (bad) throw new Error(`check did not produce a valid report: ${bad.contractError}\n${bad.stderr.slice(-1500)}`);
    const last = checks.at(-1)!.report!;

    const manualSteps: Row['manualSteps'] = [];
    for (const [cmd, args] of MANUAL) {
      const r = await lab.exec('lan', cmd, args, { timeoutMs: 120_000 });
      manualSteps.push({ cmd: `${cmd} ${args.join(' ')}`, ms: r.durationMs, exit: r.code });
    }
    const walls = checks.map((c) => c.wallMs);
    return {
      scenario: id,
      verdict: last.verdict,
      codes:
        last.findings
          .filter((f) => f.severity !== 'info')
          .map((f) => f.code)
          .join(', ') || '-',
      checkMs: { median: median(walls), min: Math.min(...walls), max: Math.max(...walls) },
      slowestProbeMs: Math.max(0, ...last.probes.map((p) => p.durationMs)),
      manualMs: manualSteps.reduce((a, s) => a + s.ms, 0),
      manualSteps,
    };
  } finally {
    lab.stop();
  }
}

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(headers), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/** Node's own start-up and the CLI's imports, outside any probe: `vpn-doctor --version` (no network involved). */
async function cliStartupMs(): Promise<number> {
  const t: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'vpn-doctor.js'), '--version'], { stdio: 'ignore' });
    t.push(performance.now() - t0);
  }
  return median(t);
}

async function main(): Promise<number> {
  if (!isRoot()) {
    process.stderr.write(
      `${NOT_ROOT_MESSAGE.replace('test:lab', 'bench:check').replace('network lab', 'check benchmark (it runs in the network lab)')}\n`,
    );
    return 0;
  }
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, strict: { type: 'boolean', default: false } } });
  const runs = Math.max(1, Number(values.runs) || 5);
  const deps = spawnSync('bash', [join(REPO_ROOT, 'scripts', 'install-system-deps.sh')], { stdio: 'inherit' });
  if (deps.status !== 0) throw new Error('scripts/install-system-deps.sh failed');
  precleanLeftovers();

  const rows = [await measure('healthy', runs), await measure('tunnel-down', runs)];
  const startup = await cliStartupMs();
  const [healthy, down] = rows as [Row, Row];

  const ratio = healthy.checkMs.median / healthy.manualMs;
  const healthyOk = ratio <= HEALTHY_RATIO_TARGET;
  const downOk = down.checkMs.median <= DEFAULT_BUDGET_MS;

  process.stdout.write(`\nvpn-doctor check vs the manual sequence (lab, LAN namespace; check: median of ${runs} runs)\n\n`);
  process.stdout.write(
    table(
      ['scenario', 'verdict', 'codes', 'check (median, min-max)', 'slowest probe', 'manual', 'check/manual', 'target', 'met'],
      [
        [
          healthy.scenario,
          healthy.verdict,
          healthy.codes,
          `${ms(healthy.checkMs.median)} (${ms(healthy.checkMs.min)}-${ms(healthy.checkMs.max)})`,
          ms(healthy.slowestProbeMs),
          ms(healthy.manualMs),
          ratio.toFixed(3),
          `<= ${HEALTHY_RATIO_TARGET}x manual`,
          healthyOk ? 'yes' : 'NO',
        ],
        [
          down.scenario,
          down.verdict,
          down.codes,
          `${ms(down.checkMs.median)} (${ms(down.checkMs.min)}-${ms(down.checkMs.max)})`,
          ms(down.slowestProbeMs),
          ms(down.manualMs),
          (down.checkMs.median / down.manualMs).toFixed(3),
          `<= ${DEFAULT_BUDGET_MS} ms`,
          downOk ? 'yes' : 'NO',
        ],
      ],
    ) + '\n',
  );
  process.stdout.write(`\nCLI start-up alone (vpn-doctor --version): ${ms(startup)}\n\nmanual sequence, step by step:\n\n`);
  process.stdout.write(
    table(
      ['command', ...rows.map((r) => r.scenario)],
      MANUAL.map((_, i) => [
        rows[0]!.manualSteps[i]!.cmd,
        ...rows.map((r) => `${ms(r.manualSteps[i]!.ms)} (exit ${r.manualSteps[i]!.exit})`),
      ]),
    ) + '\n',
  );
  const met = healthyOk && downOk;
  if (!met) process.stdout.write('\nTARGET MISSED (see the "met" column)\n');
  return met || !values.strict ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench:check failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
