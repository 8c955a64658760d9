import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The knowledge base is about 250 KB of YAML that every process parses on start (the CLI, each server,
 * each test file). A cold YAML parser costs a few hundred milliseconds there; JSON.parse of the same data
 * costs under one. This cache keeps the parsed data as JSON under the user's cache directory, keyed by a
 * hash of the YAML text itself, so an edited file is simply a new key (nothing to invalidate) and a cached
 * entry can only ever be the parse of identical text. Only clean parses are stored: a file with YAML
 * errors is parsed again every time so its problems are reported with line numbers.
 *
 * The cache is a convenience: when its folder cannot be created, read or written (read-only home, no
 * home at all), every call simply parses. VPN_DOCTOR_CACHE_DIR moves it; VPN_DOCTOR_CACHE_DIR=off turns it off.
 */
const FORMAT = 'v1'; // bump when the stored shape changes
/** Entries of edited-away versions are removed this long after they were written (checked on each write). */
const MAX_AGE_MS = 30 * 24 * 3600 * 1000;

export function cachedParse(source: string, parse: () => { data: unknown; clean: boolean }): unknown {
  const dir = cacheDir();
  if (!dir) return parse().data;
  const key = createHash('sha256').update(FORMAT).update('\0').update(source).digest('hex');
  const file = join(dir, `${key}.json`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch {
    // not cached yet (or unreadable): parse below
  }
  const { data, clean } = parse();
  if (clean) store(dir, file, data);
  return data;
}

function store(dir: string, file: string, data: unknown): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // Write then rename: a concurrent reader sees the whole entry or none.
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, JSON.stringify(data), { mode: 0o600 });
    renameSync(partial, file);
    pruneOld(dir);
  } catch {
    // a cache that cannot be written is no cache
  }
}

function pruneOld(dir: string): void {
  const cutoff = Date.now() - MAX_AGE_MS;
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.json')) continue;
    const path = join(dir, name);
    if (statSync(path).mtimeMs < cutoff) unlinkSync(path);
  }
}

/** $VPN_DOCTOR_CACHE_DIR, else the platform's per-user cache folder + vpn-doctor/knowledge. */
export function cacheDir(env: Readonly<Record<string, string | undefined>> = process.env, platform = process.platform): string | undefined {
  const given = env.VPN_DOCTOR_CACHE_DIR?.trim();
  if (given === 'off') return undefined;
  if (given) return given;
  let home: string;
  try {
    home = homedir();
  } catch {
    return undefined;
  }
  if (!home) return undefined;
  if (platform === 'win32') return join(env.LOCALAPPDATA?.trim() || join(home, 'AppData', 'Local'), 'vpn-doctor', 'cache', 'knowledge');
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'vpn-doctor', 'knowledge');
  // XDG: a relative XDG_CACHE_HOME is invalid and must be ignored.
  const xdg = env.XDG_CACHE_HOME?.trim();
  return join(xdg && xdg.startsWith('/') ? xdg : join(home, '.cache'), 'vpn-doctor', 'knowledge');
}
