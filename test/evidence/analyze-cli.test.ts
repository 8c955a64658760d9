import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'vd-analyze-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FAULT = [
  'Dec  7 23:23:22 09[IKE] initiating IKE_SA vdlab[2] to 198.18.0.2',
  'Dec  7 23:23:22 07[ENC] parsed IKE_AUTH response 1 [ N(AUTH_FAILED) ]',
  'Dec  7 23:23:22 07[IKE] received AUTHENTICATION_FAILED notify error',
  'secrets { ike { secret = "pasted-by-mistake-42" } }',
].join('\n');
const HEALTHY = 'Dec  7 23:23:16 09[IKE] IKE_SA vdlab[1] established between 198.18.0.1[198.18.0.1]...198.18.0.2[198.18.0.2]\n';

describe('vpn-doctor analyze', () => {
  it('FILE --json: one document, root cause first, secrets redacted, exit 3 on a fault', async () => {
    const file = join(dir, 'fault.log');
    writeFileSync(file, FAULT);
    const r = await runCli(['analyze', file, '--json']);
    expect(r.code, r.stderr).toBe(3);
    const doc = JSON.parse(r.stdout) as {
      kind: string;
      family: string;
      verdict: string;
      findings: { code: string; section: string; lines: { n: number }[] }[];
      timeline: unknown[];
    };
    expect(doc).toMatchObject({ kind: 'log', family: 'strongswan', verdict: 'fault' });
    expect(doc.findings[0]).toMatchObject({
      code: 'psk-mismatch',
      section: 'Typical reasons for the VPN tunnel phase 1 IKE negotiation to fail',
    });
    expect(doc.findings[0]!.lines.map((l) => l.n)).toContain(3);
    expect(r.stdout).not.toContain('pasted-by-mistake-42');
  });

  it('standard input without FILE (and "-"); healthy exits 0', async () => {
    for (const args of [
      ['analyze', '--json'],
      ['analyze', '-', '--json'],
    ]) {
      const r = await runCli(args, { input: HEALTHY });
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ kind: 'log', verdict: 'healthy', findings: [] });
    }
  });

  it('human output goes through the reply renderer: title, guide section, quoted lines', async () => {
    const file = join(dir, 'fault2.log');
    writeFileSync(file, FAULT);
    const r = await runCli(['analyze', file]);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/Root cause: psk-mismatch/);
    expect(r.stdout).toMatch(/Guide: Typical reasons for the VPN tunnel phase 1 IKE negotiation to fail/);
    expect(r.stdout).toMatch(/line 3 .*AUTHENTICATION_FAILED/);
  });

  it('exit 1 when the file cannot be read, 2 on bad usage', async () => {
    expect((await runCli(['analyze', join(dir, 'missing.log'), '--json'])).code).toBe(1);
    expect((await runCli(['analyze', '--no-such-option'])).code).toBe(2);
  });
});
