/**
 * Configuration reader benchmark (`npm run bench:analyze-configs`).
 *
 * Scores `analyzeConfigText` on the labelled corpus test/fixtures/evidence/configs/ and, when it exists, on
 * the blind corpus test/fixtures/evidence/configs-blind/ (a separate table, same code path):
 *  - verdicts right: labelled parameter verdicts the reader matches exactly (target >= 0.95);
 *  - injected found: deviations injected into mutated variants, judged as labelled (target: all);
 *  - false alarms: parameters labelled ok that the reader judged otherwise (target <= 0.03).
 * Then the time to judge a 5,000-line configuration (built from a real SRX configuration repeated with
 * renamed objects), next to the CLI's own start-up time (`node bin/vpn-doctor.js --help`), in the same run.
 *
 * `--blind DIR` scores another blind corpus (same layout) in place of the bundled one: a sealed set kept out of
 * the tree until a release is measured.
 * `--check` exits with status 1 when the main corpus misses a target.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ratio, readConfigCorpus, scoreConfigCorpus, type CorpusScore, type FormatScore } from '../src/evidence/config/evaluate.js';
import { analyzeConfigText } from '../src/evidence/config/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MAIN = join(root, 'test/fixtures/evidence/configs');
const blindArg = process.argv.indexOf('--blind');
const BLIND = blindArg > 0 ? resolve(process.argv[blindArg + 1]!) : join(root, 'test/fixtures/evidence/configs-blind');

const pct = (a: number, b: number) => (b === 0 ? '   -  ' : `${(100 * ratio(a, b)).toFixed(1).padStart(5)}%`);

function table(title: string, score: CorpusScore): void {
  console.log(`\n${title}`);
  console.log('format               files  labelled  verdicts-right  injected-found  false-alarms  unread');
  const row = (f: FormatScore) =>
    console.log(
      `${f.format.padEnd(20)} ${String(f.files).padStart(5)}  ${String(f.labelled).padStart(8)}  ${pct(f.right, f.labelled).padStart(14)}  ${(f.injected ? `${f.injectedFound}/${f.injected}` : '-').padStart(14)}  ${pct(f.falseAlarms, f.okLabelled).padStart(12)}  ${String(f.unread).padStart(6)}`,
    );
  for (const f of score.formats) row(f);
  row(score.total);
  if (score.mismatches.length) {
    console.log(`mismatches (${score.mismatches.length}):`);
    for (const m of score.mismatches.slice(0, 40))
      console.log(`  ${m.id} tunnel ${m.tunnel + 1} ${m.parameter}: expected ${m.expected}, got ${m.got}`);
  }
}

/** A 5,000-line SRX configuration: a real one repeated with renamed VPN objects. */
function bigConfig(lines = 5000): string {
  const base = readFileSync(join(MAIN, 'juniper-srx-aws-set.txt'), 'utf8');
  const parts: string[] = [];
  let count = 0;
  for (let k = 0; count < lines; k++) {
    const copy = base.replaceAll('vpn-44a8938f', `vpn-44a8938f-c${k}`);
    parts.push(copy);
    count += copy.split('\n').length;
  }
  return parts.join('\n').split('\n').slice(0, lines).join('\n');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function timing(): { judgeFirstMs: number; judgeMedianMs: number; tunnels: number; cliMedianMs: number | null } {
  const text = bigConfig();
  let t = performance.now();
  const doc = analyzeConfigText(text);
  const judgeFirstMs = performance.now() - t;
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) {
    t = performance.now();
    analyzeConfigText(text);
    runs.push(performance.now() - t);
  }
  let cliMedianMs: number | null = null;
  if (existsSync(join(root, 'dist'))) {
    const cli: number[] = [];
    for (let i = 0; i < 3; i++) {
      t = performance.now();
      const r = spawnSync(process.execPath, [join(root, 'bin/vpn-doctor.js'), '--help'], { stdio: 'ignore' });
      if (r.status === 0) cli.push(performance.now() - t);
    }
    if (cli.length) cliMedianMs = median(cli);
  }
  return { judgeFirstMs, judgeMedianMs: median(runs), tunnels: doc?.tunnels.length ?? 0, cliMedianMs };
}

const main = scoreConfigCorpus(readConfigCorpus(MAIN));
table(`main corpus (${MAIN.replace(root + '/', '')})`, main);
if (existsSync(BLIND)) table(`blind corpus (${BLIND.replace(root + '/', '')})`, scoreConfigCorpus(readConfigCorpus(BLIND)));
else console.log('\nblind corpus: not present');

const tm = timing();
console.log(
  `\n5,000-line configuration (${tm.tunnels} tunnels): judged in ${tm.judgeFirstMs.toFixed(1)} ms first, ${tm.judgeMedianMs.toFixed(1)} ms median of 5` +
    `; CLI start-up (node bin/vpn-doctor.js --help): ${tm.cliMedianMs === null ? 'not built (run npm run build)' : `${tm.cliMedianMs.toFixed(0)} ms median of 3`}`,
);

const t = main.total;
const misses = [
  ratio(t.right, t.labelled) < 0.95 && 'verdicts right < 0.95',
  t.injectedFound < t.injected && 'an injected deviation was missed',
  ratio(t.falseAlarms, t.okLabelled) > 0.03 && 'false alarms > 0.03',
].filter(Boolean);
if (misses.length) console.log(`\ntargets missed: ${misses.join('; ')}`);
else console.log('\nall targets met on the main corpus');
if (process.argv.includes('--check') && misses.length) process.exit(1);
