import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configReply } from '../../src/conversation/config-reply.js';
import { analyzeConfigText } from '../../src/evidence/config/index.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../fixtures/evidence/configs', name), 'utf8');

describe('configReply', () => {
  it('shows the parameter table with problems first, findings with lines, fixes as vendor snippets', () => {
    const r = configReply(analyzeConfigText(fixture('mut-fortigate-p2-lifetime-28800.txt'))!);
    expect(r.kind).toBe('analysis');
    expect(r.verdict).toBe('degraded');
    expect(r.table!.columns).toEqual(['Tunnel', 'Parameter', 'Value', 'Required', 'Verdict', 'Line']);
    expect(r.table!.rows[0]!).toMatchObject({
      ok: false,
      cells: [
        'vpn-44a8938f-0',
        'p2-lifetime',
        '28800',
        expect.any(String),
        'outside requirements',
        expect.stringMatching(/keylifeseconds 28800/),
      ],
    });
    expect(r.table!.rows.at(-1)!.ok).toBe(true);
    expect(r.findings[0]).toMatchObject({ code: 'lifetime-mismatch', severity: 'error' });
    expect(r.findings[0]!.lines!.length).toBeGreaterThan(0);
    const snippet = r.steps[0]!.snippets![0]!;
    expect(snippet).toMatchObject({ platform: 'FortiGate', kind: 'cli' });
    expect(snippet.lines).toContain('        set keylifeseconds 3600');
  });

  it('says so when every parameter is fine, and notes defaults and the comparison', () => {
    const doc = analyzeConfigText(fixture('fortigate-aws.txt'), { against: fixture('aws-generic-bgp.txt') })!;
    const r = configReply(doc);
    expect(r.verdict).toBe('healthy');
    expect(r.summary).toMatch(/every parameter meets/);
    expect(r.notices!.some((n) => /default/.test(n))).toBe(true);
    expect(r.notices!.some((n) => /matches the configuration file OutSystems sent/.test(n))).toBe(true);
    expect(r.steps).toEqual([]);
    expect(r.notices!.some((n) => /pre-shared key or password; it is blanked here/.test(n))).toBe(true);
    expect(JSON.stringify(r)).not.toContain('plain-text-password1');
  });
});
