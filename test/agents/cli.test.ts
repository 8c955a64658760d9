import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AgentConfigError, insecureHubWarning, readAgentFile, resolveAgentConfig } from '../../src/agents/agent-config.js';
import { hashToken } from '../../src/agents/tokens.js';
import { main } from '../../src/cli/main.js';
import { Store } from '../../src/store/index.js';

let dir: string;
let db: string;
const saved = process.env.VPN_DOCTOR_DB;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vpn-doctor-cli-'));
  db = join(dir, 'vpn-doctor.db');
  process.env.VPN_DOCTOR_DB = db;
});
afterAll(() => {
  if (saved === undefined) delete process.env.VPN_DOCTOR_DB;
  else process.env.VPN_DOCTOR_DB = saved;
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
  const code = await main(['node', 'vpn-doctor', ...args]);
  vi.restoreAllMocks();
  process.exitCode = undefined;
  return { code, stdout, stderr };
}

describe('vpn-doctor agents add | list | revoke', () => {
  it('prints the token once and stores only its hash', async () => {
    const add = await run('agents', 'add', 'lan-1');
    expect(add.code).toBe(0);
    const token = add.stdout.trim();
    expect(token).toMatch(/^vpd_[A-Za-z0-9_-]{43}$/);
    expect(add.stderr).toContain('shown only once');
    const store = await Store.open(db);
    const rows = await store.db.all<Record<string, unknown>>('SELECT * FROM agents');
    await store.close();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).toBe(hashToken(token));
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it('refuses a duplicate or an invalid name (exit 2)', async () => {
    expect((await run('agents', 'add', 'lan-1')).code).toBe(2);
    expect((await run('agents', 'add', '../x')).code).toBe(2);
  });

  it('lists agents as a table and as JSON', async () => {
    await run('agents', 'add', 'lan-2', '--json');
    const table = await run('agents', 'list');
    expect(table.stdout).toMatch(/NAME\s+STATE/);
    expect(table.stdout).toMatch(/lan-1\s+offline\s+never/);
    expect(table.stdout.split('\n')[0]).toBe(`Database: ${db}`);
    const json = JSON.parse((await run('agents', 'list', '--json')).stdout);
    expect(json.agents.map((a: { name: string }) => a.name)).toEqual(['lan-1', 'lan-2']);
    expect(json.database).toBe(db);
  });

  it('list and revoke never create a database: a missing one is an error that names the path', async () => {
    const missing = join(dir, 'elsewhere', 'none.db');
    process.env.VPN_DOCTOR_DB = missing;
    try {
      for (const args of [
        ['agents', 'list'],
        ['agents', 'list', '--json'],
        ['agents', 'revoke', 'lan-1'],
      ]) {
        const r = await run(...args);
        expect(r.code).toBe(1);
        expect(r.stderr).toContain(`no database at ${missing}`);
      }
      expect(existsSync(missing)).toBe(false);
      expect(existsSync(join(dir, 'elsewhere'))).toBe(false);
    } finally {
      process.env.VPN_DOCTOR_DB = db;
    }
  });

  it('revokes, and says so when there is nothing to revoke', async () => {
    expect((await run('agents', 'revoke', 'lan-2')).code).toBe(0);
    expect((await run('agents', 'list')).stdout).toMatch(/lan-2\s+revoked/);
    const again = await run('agents', 'revoke', 'lan-2');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('no active agent');
  });

  it('agent refuses a bad configuration with exit 2 and the reason', async () => {
    const r = await run('agent', '--hub', 'http://x/agents', '--token', 'nope', '--name', 'a');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('ws:// or wss://');
  });
});

describe('agent configuration', () => {
  const token = 'vpd_' + 'a'.repeat(43);

  it('merges file < environment < flags; allow rules add up', () => {
    const file = join(dir, 'agent.yaml');
    writeFileSync(file, `hub: ws://file/agents\nname: from-file\nallow:\n  - 10.0.0.0/8\nkeepalive: 10.0.0.2\nkeepaliveIntervalS: 10\n`);
    const c = resolveAgentConfig({
      file: readAgentFile(file),
      env: { VPN_DOCTOR_HUB: 'wss://env/agents', VPN_DOCTOR_AGENT_TOKEN: token },
      flags: { name: 'from-flag', allow: ['.outsystemsenterprise.com:443'] },
    });
    expect(c).toMatchObject({
      hub: ['wss://env/agents'],
      name: 'from-flag',
      token,
      keepalive: '10.0.0.2',
      keepaliveIntervalS: 10,
      concurrency: 4,
    });
    expect(c.allowlist.texts).toEqual(['10.0.0.0/8', '.outsystemsenterprise.com:443']);
  });

  it('takes several hub URLs: repeated, comma-separated or a list in the file; blanks and repeats dropped', () => {
    const flags = { name: 'a', token, allow: [] };
    const both = ['wss://a.example.com/agents', 'wss://b.example.com/agents'];
    expect(resolveAgentConfig({ flags: { ...flags, hub: [...both, both[0]!] } }).hub).toEqual(both);
    expect(resolveAgentConfig({ env: { VPN_DOCTOR_HUB: ` ${both[0]}, ,${both[1]}` }, flags }).hub).toEqual(both);
    const file = join(dir, 'replicas.yaml');
    writeFileSync(file, `hub:\n  - ${both[0]}\n  - ${both[1]}\n`);
    expect(resolveAgentConfig({ file: readAgentFile(file), flags }).hub).toEqual(both);
    // Every URL is checked, not only the first: a typo in the second replica stops the agent at start.
    expect(() => resolveAgentConfig({ flags: { ...flags, hub: `${both[0]},https://b.example.com/agents` } })).toThrow(
      /ws:\/\/ or wss:\/\/.*https:\/\/b\.example\.com/,
    );
    expect(() => resolveAgentConfig({ flags: { ...flags, hub: ' , ' } })).toThrow(/at least one/);
  });

  it('reads the token from a file', () => {
    const tf = join(dir, 'token');
    writeFileSync(tf, `${token}\n`);
    expect(resolveAgentConfig({ flags: { hub: 'ws://localhost:3978/agents', name: 'a', tokenFile: tf, allow: [] } }).token).toBe(token);
  });

  it.each([
    [{ hub: 'http://h/agents' }, 'ws:// or wss://'],
    [{ token: 'secret' }, 'not a vpn-doctor agent token'],
    [{ name: 'bad name' }, 'agent names'],
    [{ allow: ['10.0.0.0/99'] }, 'prefix'],
    [{ keepalive: '10.0.0.2' }, 'keep-alive target must be allowed'],
    [{ keepalive: '$(id)' }, 'keepalive'],
  ])('rejects %j', (override, message) => {
    expect(() =>
      resolveAgentConfig({ flags: { hub: 'ws://localhost:3978/agents', name: 'a', token, allow: ['192.168.0.0/16'], ...override } }),
    ).toThrow(message);
  });

  it('refuses a ws:// hub on another machine (token in cleartext) unless insecure is asked for, then warns', () => {
    const flags = { name: 'a', token, allow: ['192.168.0.0/16'] };
    for (const hub of ['ws://hub.example.com/agents', 'ws://10.1.2.3:3978/agents', 'ws://[2001:db8::1]/agents']) {
      expect(() => resolveAgentConfig({ flags: { ...flags, hub } }), hub).toThrow(/cleartext.*wss:\/\/.*--insecure/);
    }
    for (const hub of ['wss://hub.example.com/agents', 'ws://127.0.0.1:3978/agents', 'ws://localhost/agents', 'ws://[::1]:3978/agents']) {
      const c = resolveAgentConfig({ flags: { ...flags, hub } });
      expect(c.insecure).toBe(false);
      expect(insecureHubWarning(c), hub).toBeNull();
    }
    const insecure = resolveAgentConfig({ flags: { ...flags, hub: 'ws://10.1.2.3:3978/agents', insecure: true } });
    expect(insecure.insecure).toBe(true);
    expect(insecureHubWarning(insecure)).toMatch(/without TLS.*cleartext/);
    // The config file may say it too.
    const file = join(dir, 'insecure.yaml');
    writeFileSync(file, 'hub: ws://10.1.2.3/agents\ninsecure: true\n');
    expect(resolveAgentConfig({ file: readAgentFile(file), flags }).insecure).toBe(true);
  });

  it('agent refuses a cleartext hub URL on the command line with exit 2, naming --insecure', async () => {
    const r = await run('agent', '--hub', 'ws://hub.example.com/agents', '--token', token, '--name', 'a', '--allow', '10.0.0.0/8');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--insecure');
  });

  it('rejects unknown keys in the file', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'hub: ws://h/agents\nallow_all: true\n');
    expect(() => readAgentFile(file)).toThrow(AgentConfigError);
  });
});
