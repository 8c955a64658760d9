/**
 * Load-and-abuse benchmark of `vpn-doctor serve`, all on loopback, in one process:
 *
 *   npm run bench:abuse [-- --only slowloris,api-flood]
 *
 * Each attack gets a fresh real server (test/abuse/support/target.ts: hub, API, /healthz, SQLite in a
 * temporary directory, the real classifier, one legitimate agent; Slack and Teams where the attack needs
 * them). Per attack it prints /healthz p99 under attack against the idle p99 of the same server measured just
 * before, the legitimate work completed and failed meanwhile, and peak memory (RSS, heap; the attackers run
 * in this process too, so RSS includes their sockets). The same scenarios run scaled down in
 * test/abuse/*.test.ts; here they run at the counts of issue 16.
 */
import { parseArgs } from 'node:util';
import { SCENARIOS } from '../test/abuse/support/scenarios.js';
import { tableOf, type ScenarioResult } from '../test/abuse/support/scenario.js';
import { raiseFileLimitNote } from '../test/abuse/support/fd-limit.js';
import { stopAttacker } from '../test/abuse/support/attacker-process.js';

const { values } = parseArgs({ options: { only: { type: 'string' } } });
const only = values.only ? new Set(values.only.split(',')) : null;
console.error(raiseFileLimitNote());
const results: ScenarioResult<unknown>[] = [];
const failures: string[] = [];
for (const scenario of SCENARIOS) {
  if (only && !only.has(scenario.id)) continue;
  console.error(`running ${scenario.id} (${scenario.describe('full')})...`);
  try {
    results.push(await scenario.run('full'));
  } catch (err) {
    // An attack that breaks the harness itself (the server did not answer its handshake in time, say) is a row too.
    failures.push(`${scenario.id} (${scenario.describe('full')}): ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  }
  global.gc?.();
}
stopAttacker();
console.log(tableOf(results));
for (const f of failures) console.log(`\nattack could not complete: ${f}`);
const broken = results.filter((r) => r.attackP99 > r.idleP99 * 10 || r.legit.failed > 0);
if (broken.length > 0) console.log(`\ntargets missed: ${broken.map((r) => r.name).join(', ')}`);
