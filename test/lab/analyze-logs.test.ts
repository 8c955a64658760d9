/**
 * Issue 12, point 5: real IKE/IPsec faults in the lab, and `vpn-doctor analyze --json` on the edge device's
 * real charon log must name the cause. Each scenario builds a fresh healthy lab, injects one fault and reads
 * the gw's log from the moment the fault was injected (the healthy start-up before it is part of the log
 * too in the "whole log" assertion). VDLAB_EVIDENCE_DUMP=<dir> keeps the logs (corpus material).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvidenceFaults } from './evidence-faults.js';
import { Lab } from './lab.js';
import { isRoot, NOT_ROOT_MESSAGE } from './root.js';
import { CLI } from './run-check.js';
import { readLog } from './strongswan.js';

if (!isRoot()) console.warn(NOT_ROOT_MESSAGE);

interface AnalyzeRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  doc?: {
    kind: string;
    family: string;
    verdict: string;
    findings: { code: string; severity: string; section: string; lines: { n: number; text: string }[] }[];
  };
}

function analyze(file: string): Promise<AnalyzeRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'analyze', file, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (exitCode) => {
      let doc: AnalyzeRun['doc'];
      try {
        doc = JSON.parse(stdout) as AnalyzeRun['doc'];
      } catch {
        doc = undefined;
      }
      resolve({ exitCode, stdout, stderr, doc });
    });
  });
}

interface LogScenario {
  id: string;
  /** Injects the fault; returns the log offset where the fault begins. */
  inject: (lab: Lab, faults: EvidenceFaults) => Promise<number>;
  verdict: 'fault' | 'healthy';
  code?: string;
  /** Whose log is read: the customer's gateway (default) or the cloud responder's. */
  log?: 'gw' | 'cloud';
}

const SCENARIOS: readonly LogScenario[] = [
  { id: 'healthy', inject: async () => 0, verdict: 'healthy' },
  {
    id: 'wrong-psk',
    inject: async (lab) => {
      const from = readLog(lab.charons!.gw).length;
      await lab.faults.wrongPsk();
      return from;
    },
    verdict: 'fault',
    code: 'psk-mismatch',
  },
  { id: 'traffic-selector', inject: (_lab, f) => f.wrongTrafficSelector(), verdict: 'fault', code: 'traffic-selector-mismatch' },
  { id: 'ike-proposal', inject: (_lab, f) => f.weakIkeProposal(), verdict: 'fault', code: 'ike-proposal-mismatch' },
  { id: 'pfs', inject: (_lab, f) => f.pfsOnOneSide(), verdict: 'fault', code: 'pfs-mismatch' },
  { id: 'udp500-blocked', inject: (_lab, f) => f.blockIke(), verdict: 'fault', code: 'ike-no-response' },
  // Beyond the five the issue names: more real faults, for the corpus and to keep the reader honest.
  { id: 'esp-proposal', inject: (_lab, f) => f.weakEspProposal(), verdict: 'fault', code: 'child-proposal-mismatch' },
  { id: 'identity-cloud-side', inject: (_lab, f) => f.wrongIdentity(), verdict: 'fault', code: 'ike-id-mismatch', log: 'cloud' },
  { id: 'dead-peer', inject: (_lab, f) => f.deadPeer(), verdict: 'fault', code: 'dpd-peer-dead' },
];

describe.skipIf(!isRoot())('analyze on the lab gateway charon log', () => {
  const work = mkdtempSync(join(tmpdir(), 'vdlab-logs-'));
  const dump = process.env.VDLAB_EVIDENCE_DUMP;
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  for (const s of SCENARIOS) {
    describe(s.id, () => {
      let lab: Lab | undefined;
      let whole = '';
      let excerpt = '';

      beforeAll(async () => {
        lab = await Lab.start();
        try {
          const from = await s.inject(lab, new EvidenceFaults(lab));
          whole = readLog(s.log === 'cloud' ? lab.charons!.cloud : lab.charons!.gw);
          excerpt = whole.slice(from);
        } finally {
          lab.stop();
        }
        if (dump) {
          mkdirSync(dump, { recursive: true });
          writeFileSync(join(dump, `${s.id}.whole.log`), whole);
          writeFileSync(join(dump, `${s.id}.excerpt.log`), excerpt);
        }
      }, 90_000);

      for (const part of ['excerpt', 'whole'] as const) {
        it(`${part} of the ${s.log ?? 'gw'} log: ${s.verdict}${s.code ? `, root cause ${s.code}` : ''}`, async () => {
          const text = part === 'excerpt' ? excerpt : whole;
          expect(text.length, 'the gw wrote no log').toBeGreaterThan(0);
          const file = join(work, `${s.id}.${part}.log`);
          writeFileSync(file, text);
          const run = await analyze(file);
          const why = `exit ${run.exitCode}\nstderr: ${run.stderr.slice(0, 2000)}\nstdout: ${run.stdout.slice(0, 3000)}`;
          expect(run.doc, why).toBeDefined();
          expect(run.doc!.kind, why).toBe('log');
          expect(run.doc!.family, why).toBe('strongswan');
          expect(run.doc!.verdict, why).toBe(s.verdict);
          if (s.code) {
            const root = run.doc!.findings.find((f) => f.severity !== 'info');
            expect(root?.code, why).toBe(s.code);
            expect(root!.lines.length, why).toBeGreaterThan(0);
            expect(run.exitCode, why).toBe(3);
          } else {
            expect(
              run.doc!.findings.filter((f) => f.severity !== 'info'),
              why,
            ).toEqual([]);
            expect(run.exitCode, why).toBe(0);
          }
        });
      }
    });
  }
});
