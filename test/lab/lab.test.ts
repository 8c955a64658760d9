/**
 * The network lab: each scenario builds a fresh healthy lab, injects its fault, proves the fault with plain
 * tools, then runs `vpn-doctor check --json` inside the LAN namespace and asserts verdict and finding codes.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab } from './lab.js';
import { isRoot, NOT_ROOT_MESSAGE } from './root.js';
import { describeRun, EXIT_CODES, runCheck, type CheckRun } from './run-check.js';
import { SCENARIOS } from './scenarios.js';
import { stageOf } from './stage.js';

if (!isRoot()) console.warn(NOT_ROOT_MESSAGE);

// VDLAB_TABLE=<file>: the scenario table (scenario, verdict, codes, stage, check wall time) as Markdown.
const TABLE = process.env.VDLAB_TABLE;
if (TABLE) writeFileSync(TABLE, '| scenario | verdict | codes (error, warning) | stage | check time |\n| --- | --- | --- | --- | --- |\n');

describe.skipIf(!isRoot())('network lab', () => {
  for (const s of SCENARIOS) {
    describe(s.title, () => {
      let lab: Lab | undefined;

      beforeAll(async () => {
        lab = await Lab.start();
        await s.inject(lab);
      });
      afterAll(() => lab?.stop());

      it('is in the described state (plain ping/dig/nc/traceroute)', async () => {
        const failed: string[] = [];
        for (const wit of s.witnesses) if (!(await wit.holds(lab!))) failed.push(wit.what);
        expect(failed.join('\n'), `lab facts that do not hold in "${s.id}"`).toBe('');
      });

      const codes = s.expected.codes.length ? s.expected.codes.join(', ') : 'no findings';
      it(`check --json: ${s.expected.verdict}, ${codes}`, async () => {
        const run: CheckRun = await runCheck(lab!, { sentry: s.sentry, edge: !s.noEdge });
        const why = describeRun(run);
        expect(run.report, `check --json broke its contract\n${why}`).toBeDefined();
        const report = run.report!;
        // Info findings are commentary (e.g. "no TLS handshake"), not diagnoses: only errors and warnings count.
        const reported = [...new Set(report.findings.filter((f) => f.severity !== 'info').map((f) => f.code))].sort();
        // VDLAB_REPORTS=<dir>: keep each scenario's check --json document.
        if (process.env.VDLAB_REPORTS) writeFileSync(join(process.env.VDLAB_REPORTS, `${s.id}.json`), run.stdout);
        const stage = stageOf(report);
        if (TABLE)
          appendFileSync(
            TABLE,
            `| ${s.id} | ${report.verdict} | ${reported.join(', ') || '-'} | ${stage} | ${(run.wallMs / 1000).toFixed(1)} s |\n`,
          );
        expect(report.verdict, why).toBe(s.expected.verdict);
        expect(reported, why).toEqual([...s.expected.codes].sort());
        // The evidence behind the codes places the fault at the right box (the trace's last hop, the routes).
        expect(stage, why).toBe(s.expected.stage);
        expect(run.exitCode, `exit code for "${report.verdict}"\n${why}`).toBe(EXIT_CODES[report.verdict]);
      });

      if (s.id === 'healthy') {
        // The front-end's certificate verifies only because the check trusts the lab CA: without it, the
        // issuer is untrusted, exactly as behind a TLS-inspecting corporate proxy.
        it('check --json without trusting the lab CA: degraded, tls-certificate (untrusted issuer)', async () => {
          const run = await runCheck(lab!, { trustLabCa: false });
          const why = describeRun(run);
          const report = run.report!;
          expect(report, why).toBeDefined();
          expect(report.verdict, why).toBe('degraded');
          expect(
            report.findings.filter((f) => f.severity !== 'info').map((f) => f.code),
            why,
          ).toEqual(['tls-certificate']);
          expect(report.findings[0]!.summary, why).toMatch(/does not trust \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\).*TLS inspection/);
          expect(run.exitCode, why).toBe(EXIT_CODES.degraded);
        });
      }
    });
  }
});
