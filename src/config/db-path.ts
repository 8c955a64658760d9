import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Where the server's SQLite database lives, decided in one place for `serve` and the `agents` commands, so
 * that running them from different folders finds the same agents: VPN_DOCTOR_DB (made absolute against
 * the working directory once, here), else the per-user data directory ($XDG_DATA_HOME/vpn-doctor, else
 * ~/.local/share/vpn-doctor; %LOCALAPPDATA%\vpn-doctor on Windows; ~/Library/Application Support/vpn-doctor
 * on macOS). ':memory:' and file: URIs are passed through.
 */
export function resolveDbPath(
  env: Readonly<Record<string, string | undefined>>,
  where: { cwd?: string; home?: string; platform?: NodeJS.Platform } = {},
): string {
  const cwd = where.cwd ?? process.cwd();
  const given = env.VPN_DOCTOR_DB?.trim();
  if (given) return given === ':memory:' || given.startsWith('file:') ? given : resolve(cwd, given);
  return join(dataDir(env, where.home ?? homedir(), where.platform ?? process.platform), 'vpn-doctor.db');
}

function dataDir(env: Readonly<Record<string, string | undefined>>, home: string, platform: NodeJS.Platform): string {
  if (platform === 'win32') return join(env.LOCALAPPDATA?.trim() || join(home, 'AppData', 'Local'), 'vpn-doctor');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'vpn-doctor');
  // XDG: a relative XDG_DATA_HOME is invalid and must be ignored.
  const xdg = env.XDG_DATA_HOME?.trim();
  return join(xdg && xdg.startsWith('/') ? xdg : join(home, '.local', 'share'), 'vpn-doctor');
}
