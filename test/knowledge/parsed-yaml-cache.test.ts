import { chmodSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkKnowledgeDir, defaultKnowledgeDir } from '../../src/knowledge/loader.js';
import { cacheDir, cachedParse } from '../../src/knowledge/parsed-yaml-cache.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vd-yaml-cache-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  vi.unstubAllEnvs();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('parsed YAML cache', () => {
  it('parses once per distinct text and serves the same data afterwards', () => {
    vi.stubEnv('VPN_DOCTOR_CACHE_DIR', tempDir());
    const parse = vi.fn(() => ({ data: { a: [1, 2] }, clean: true }));
    expect(cachedParse('a: [1, 2]\n', parse)).toEqual({ a: [1, 2] });
    expect(cachedParse('a: [1, 2]\n', parse)).toEqual({ a: [1, 2] });
    expect(parse).toHaveBeenCalledTimes(1);
    // An edited file is another key, never the old entry.
    const edited = vi.fn(() => ({ data: { a: [3] }, clean: true }));
    expect(cachedParse('a: [3]\n', edited)).toEqual({ a: [3] });
    expect(edited).toHaveBeenCalledTimes(1);
  });

  it('removes entries written more than 30 days ago when it writes a new one', () => {
    const dir = tempDir();
    vi.stubEnv('VPN_DOCTOR_CACHE_DIR', dir);
    cachedParse('old: 1\n', () => ({ data: 1, clean: true }));
    const [old] = readdirSync(dir);
    const longAgo = new Date(Date.now() - 31 * 24 * 3600 * 1000);
    utimesSync(join(dir, old!), longAgo, longAgo);
    cachedParse('new: 2\n', () => ({ data: 2, clean: true }));
    expect(readdirSync(dir)).toHaveLength(1);
    expect(readdirSync(dir)).not.toContain(old);
  });

  it('never stores a parse with errors, so its problems are reported every time', () => {
    const dir = tempDir();
    vi.stubEnv('VPN_DOCTOR_CACHE_DIR', dir);
    const parse = vi.fn(() => ({ data: undefined, clean: false }));
    cachedParse('a: [\n', parse);
    cachedParse('a: [\n', parse);
    expect(parse).toHaveBeenCalledTimes(2);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('parses every time when turned off or when its folder cannot be written', () => {
    vi.stubEnv('VPN_DOCTOR_CACHE_DIR', 'off');
    const parse = vi.fn(() => ({ data: 1, clean: true }));
    cachedParse('x: 1\n', parse);
    cachedParse('x: 1\n', parse);
    expect(parse).toHaveBeenCalledTimes(2);

    const readOnly = tempDir();
    chmodSync(readOnly, 0o500);
    vi.stubEnv('VPN_DOCTOR_CACHE_DIR', join(readOnly, 'sub'));
    const again = vi.fn(() => ({ data: 2, clean: true }));
    expect(cachedParse('y: 2\n', again)).toBe(2);
    // root may write anyway; an unprivileged user parses twice. Either way the answer is right.
    expect(cachedParse('y: 2\n', again)).toBe(2);
  });

  it('the knowledge base loads the same from the cache as from YAML, and a broken file still names its line', () => {
    vi.stubEnv('VPN_DOCTOR_CACHE_DIR', 'off');
    const direct = checkKnowledgeDir(defaultKnowledgeDir());
    vi.stubEnv('VPN_DOCTOR_CACHE_DIR', tempDir());
    checkKnowledgeDir(defaultKnowledgeDir()); // fills the cache
    const cached = checkKnowledgeDir(defaultKnowledgeDir());
    expect(cached.problems).toEqual([]);
    expect(cached.kb).toEqual(direct.kb);

    const broken = tempDir();
    writeFileSync(join(broken, 'broken.yaml'), 'id: broken\ntitle: [unclosed\n');
    for (let i = 0; i < 2; i++) {
      const { problems } = checkKnowledgeDir(broken);
      expect(problems.some((p) => /YAML syntax \(line \d+\)/.test(p.message))).toBe(true);
    }
  });

  it('lives in the per-user cache folder of each platform', () => {
    expect(cacheDir({}, 'linux')).toMatch(/\/\.cache\/vpn-doctor\/knowledge$/);
    expect(cacheDir({ XDG_CACHE_HOME: '/var/cache/u' }, 'linux')).toBe('/var/cache/u/vpn-doctor/knowledge');
    expect(cacheDir({ XDG_CACHE_HOME: 'relative' }, 'linux')).toMatch(/\/\.cache\/vpn-doctor\/knowledge$/);
    expect(cacheDir({}, 'darwin')).toMatch(/Library\/Caches\/vpn-doctor\/knowledge$/);
    expect(cacheDir({ VPN_DOCTOR_CACHE_DIR: 'off' }, 'linux')).toBeUndefined();
  });
});
