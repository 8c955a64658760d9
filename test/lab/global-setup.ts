/**
 * Vitest global setup for the lab: as root, installs the lab's Debian packages when missing and removes
 * leftovers of crashed runs; as anyone else, says why the lab will be skipped.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { precleanLeftovers } from './netns.js';
import { BUILT_ENTRY } from './run-check.js';
import { isRoot, NOT_ROOT_MESSAGE } from './root.js';

const HERE = dirname(fileURLToPath(import.meta.url));

export default function setup(): () => void {
  if (!isRoot()) {
    process.stderr.write(`\n${NOT_ROOT_MESSAGE}\n\n`);
    return () => undefined;
  }
  const deps = spawnSync('bash', [join(HERE, '..', '..', 'scripts', 'install-system-deps.sh')], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (deps.status !== 0) throw new Error(`scripts/install-system-deps.sh failed (exit ${deps.status ?? deps.signal})`);
  const removed = precleanLeftovers();
  if (removed.length > 0) process.stderr.write(`lab: removed leftovers of an earlier run: ${removed.join(', ')}\n`);
  if (!existsSync(BUILT_ENTRY)) throw new Error(`vpn-doctor is not built (${BUILT_ENTRY}): run npm run build first`);
  // After the run: anything whose owning worker died without tearing down.
  return () => void precleanLeftovers();
}
