import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { defaultKnowledgeDir } from '../../src/knowledge/loader.js';
import { GUIDE_SECTIONS } from '../../src/knowledge/schema.js';
import { runCli } from './run-cli.js';

describe('vpn-doctor CLI', () => {
  it('prints help for the program and every command', async () => {
    const top = await runCli(['--help']);
    expect(top.code).toBe(0);
    const names = ['ask', 'topics', 'classify', 'chat', 'kb', 'check'];
    const subs = await Promise.all(names.map((name) => runCli([name, '--help'])));
    names.forEach((name, i) => {
      expect(top.stdout).toContain(name);
      expect(subs[i]!.code, name).toBe(0);
      expect(subs[i]!.stdout).toMatch(/Usage: vpn-doctor/);
    });
  });

  it('exits 2 with a clear message on bad usage', async () => {
    const unknown = await runCli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command 'frobnicate'/);
    const noQuestion = await runCli(['ask']);
    expect(noQuestion.code).toBe(2);
    expect(noQuestion.stderr).toMatch(/missing required argument/);
    const badOption = await runCli(['topics', '--bogus']);
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toMatch(/unknown option '--bogus'/);
  });

  it('ask --json answers the hourly IKEv2 drop with the 51-minute phase 2 lifetime', async () => {
    const r = await runCli(['ask', 'tunnel drops every 60 minutes with ikev2', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(doc.topic).toBe('ikev2-hourly-drop');
    expect(doc.section).toBe('Tunnel drop every 60 minutes while using IKEv2');
    expect(doc.confidence).toBeGreaterThan(0.5);
    expect(JSON.stringify(doc.steps)).toMatch(/51 minutes|3060/);
    for (const key of ['title', 'summary', 'facts', 'alternatives']) expect(doc).toHaveProperty(key);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('ask without --json renders the answer as text', async () => {
    const r = await runCli(['ask', 'tunnel', 'drops', 'every', 'hour', 'on', 'ikev2']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Guide: Tunnel drop every 60 minutes while using IKEv2');
    expect(r.stdout).not.toMatch(/\u001b\[/);
  });

  it('topics --json lists topics covering all 18 guide sections', async () => {
    const r = await runCli(['topics', '--json']);
    expect(r.code).toBe(0);
    const topics = JSON.parse(r.stdout) as { id: string; title: string; section: string }[];
    expect(new Set(topics.map((t) => t.section))).toEqual(new Set(GUIDE_SECTIONS));
    for (const t of topics) expect(Object.keys(t).sort()).toEqual(['id', 'section', 'title']);
  });

  it('classify --json streams one object per input line, null topic for chatter', async () => {
    const input = [
      'received TS_UNACCEPTABLE notify, no CHILD_SA built',
      '',
      'what is the weather in Lisbon tomorrow',
      'tunnel drops every hour on ikev2',
    ].join('\n');
    const r = await runCli(['classify', '--json'], { input });
    expect(r.code).toBe(0);
    const rows = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toHaveLength(4);
    for (const row of rows) expect(Object.keys(row).sort()).toEqual(['confidence', 'section', 'text', 'topic']);
    expect(rows[0]!.topic).not.toBeNull();
    expect(rows[1]).toMatchObject({ text: '', topic: null, section: null });
    expect(rows[2]).toMatchObject({ text: 'what is the weather in Lisbon tomorrow', topic: null, section: null });
    expect(rows[3]!.topic).toBe('ikev2-hourly-drop');
  });

  it('classify streams thousands of lines in order', async () => {
    const phrases = ['tunnel drops every hour on ikev2', 'good morning team', 'nslookup returns a public ip for our env'];
    const lines = Array.from({ length: 3000 }, (_, i) => `${phrases[i % 3]} #${i}`);
    const r = await runCli(['classify', '--json'], { input: lines.join('\n') + '\n', timeoutMs: 30_000 });
    expect(r.code).toBe(0);
    const rows = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { text: string; topic: string | null });
    expect(rows.map((row) => row.text)).toEqual(lines);
    expect(rows[0]!.topic).toBe('ikev2-hourly-drop');
    expect(rows[1]!.topic).toBeNull();
  });

  it('classify stops quietly when the reader goes away', async () => {
    const { spawn } = await import('node:child_process');
    const { CLI } = await import('./run-cli.js');
    const child = spawn(process.execPath, [CLI, 'classify', '--json'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdout.once('data', () => child.stdout.destroy()); // like `| head -1`
    child.stdin.on('error', () => {}); // the child may stop reading first
    child.stdin.end(Array.from({ length: 20_000 }, () => 'tunnel drops every hour').join('\n'));
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(stderr).not.toMatch(/EPIPE/);
    expect(code).toBe(0);
  });

  it('kb check passes on the bundled knowledge and names file, field and problem on a broken one', async () => {
    const ok = await runCli(['kb', 'check']);
    expect(ok.code).toBe(0);
    expect(ok.stderr).toMatch(/^ok: \d+ topics/);

    const dir = mkdtempSync(join(tmpdir(), 'vpn-doctor-cli-kb-'));
    try {
      writeFileSync(join(dir, 'broken.yaml'), 'id: broken\ntitle: Broken\nsection: Not a heading\nbogus: 1\n');
      const bad = await runCli(['kb', 'check', '--knowledge', dir]);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain(`${join(dir, 'broken.yaml')}: section: is not a heading of the guide: "Not a heading"`);
      expect(bad.stderr).toContain(`${join(dir, 'broken.yaml')}: unknown field(s): bogus`);
      expect(bad.stderr).toContain(`${join(dir, 'broken.yaml')}: summary: required field is missing`);
      // A valid folder that leaves a guide section uncovered fails too.
      const partialDir = mkdtempSync(join(tmpdir(), 'vpn-doctor-cli-kb-'));
      const one = parse(readFileSync(join(defaultKnowledgeDir(), 'ikev2-hourly-drop.yaml'), 'utf8')) as Record<string, unknown>;
      writeFileSync(join(partialDir, 'ikev2-hourly-drop.yaml'), stringify({ ...one, related: [] }));
      const partial = await runCli(['kb', 'check', '--knowledge', partialDir]);
      rmSync(partialDir, { recursive: true, force: true });
      expect(partial.code).toBe(1);
      expect(partial.stderr).toContain('no topic covers the guide section "Further assistance"');
      const json = await runCli(['kb', 'check', '--knowledge', dir, '--json']);
      expect(json.code).toBe(1);
      expect(JSON.parse(json.stdout)).toMatchObject({ ok: false });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('chat answers piped lines with the same core', async () => {
    const r = await runCli(['chat'], { input: 'help\ntopic ikev2-hourly-drop\nquit\n' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('check <host> dns <ip>');
    expect(r.stdout).toContain('Guide: Tunnel drop every 60 minutes while using IKEv2');
  });

  it('reports invalid configuration by variable name', async () => {
    const r = await runCli(['ask', 'hello'], { env: { LOG_LEVEL: 'loud' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('LOG_LEVEL');
  });
});
