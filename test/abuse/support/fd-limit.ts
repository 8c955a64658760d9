import { readFileSync } from 'node:fs';

/**
 * File descriptors: the attackers and the server share this process, so every attack socket costs two
 * (both ends). Node raises its soft RLIMIT_NOFILE to the hard limit at start-up, so the soft limit read
 * here is already as high as this process can get; counts that would not fit are scaled down to it (and
 * the table says so) rather than failing with EMFILE half-way.
 */

/** The soft limit on open files of this process (Linux), or null where /proc is not there. */
export function openFileLimit(): number | null {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    return soft === undefined || soft === 'unlimited' ? null : Number(soft);
  } catch {
    return null;
  }
}

/** Descriptors kept free for the server's own files, the database, the legitimate clients and node itself. */
const RESERVE = 512;

/** How many attack sockets fit: `wanted`, or fewer when both ends of each would not fit under the limit. */
export function socketsWithinLimit(wanted: number): number {
  const limit = openFileLimit();
  if (limit === null) return wanted;
  return Math.max(0, Math.min(wanted, Math.floor((limit - RESERVE) / 2)));
}

export function raiseFileLimitNote(): string {
  const limit = openFileLimit();
  return limit === null
    ? 'open-file limit unknown (no /proc): socket counts used as given'
    : `open-file limit of this process: ${limit} (both ends of every attack socket count; counts above ${socketsWithinLimit(Number.MAX_SAFE_INTEGER)} sockets are scaled down)`;
}
