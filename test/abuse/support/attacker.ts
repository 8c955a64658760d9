import { apiFlood } from './attacks/api-flood.js';
import { checkBurst } from './attacks/check-burst.js';
import { monitorFlood } from './attacks/monitor-flood.js';
import { reconnectStorm } from './attacks/reconnect-storm.js';
import { replayRequests } from './attacks/replay.js';
import { slowloris } from './attacks/slowloris.js';

/**
 * The attacker's process (started by attacker-process.ts): runs the attacks it is sent, several at once if
 * asked, and reports each one's facts.
 * Attacks here are clients only; what they did to the server is read on the server's side.
 */

/** What a multi-step attack can do besides attacking: tell the parent where it is, wait for its go. */
export interface AttackControl {
  stage(name: string): void;
  proceed(): Promise<void>;
}

const ATTACKS = {
  'monitor-flood': monitorFlood,
  'check-burst': checkBurst,
  'api-flood': apiFlood,
  slowloris,
  replay: replayRequests,
  'reconnect-storm': reconnectStorm,
} satisfies Record<string, (params: never, control: AttackControl) => Promise<unknown>>;

export type AttackName = keyof typeof ATTACKS;
export type AttackParams = { [N in AttackName]: Parameters<(typeof ATTACKS)[N]>[0] };
export type AttackFacts = { [N in AttackName]: Awaited<ReturnType<(typeof ATTACKS)[N]>> };

/** What the attacker process reports; `id` names the run (several may run at once). */
export type FromAttacker =
  | { type: 'stage'; id: number; stage: string }
  | { type: 'done'; id: number; facts: unknown }
  | { type: 'failed'; id: number; error: string };

if (process.send) {
  const send = (m: FromAttacker) => process.send!(m);
  const proceeding = new Map<number, () => void>();
  process.on('message', (m: { type: 'run'; id: number; name: AttackName; params: never } | { type: 'proceed'; id: number }) => {
    if (m.type === 'proceed') {
      const go = proceeding.get(m.id);
      proceeding.delete(m.id);
      return go?.();
    }
    const control: AttackControl = {
      stage: (stage) => send({ type: 'stage', id: m.id, stage }),
      proceed: () => new Promise<void>((r) => proceeding.set(m.id, r)),
    };
    const attack = ATTACKS[m.name] as (params: never, control: AttackControl) => Promise<unknown>;
    attack(m.params, control).then(
      (facts) => send({ type: 'done', id: m.id, facts }),
      (err: unknown) => send({ type: 'failed', id: m.id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
    );
  });
  // The parent going away ends the attacker too.
  process.on('disconnect', () => process.exit(0));
}
