import { apiFlood } from './attacks/api-flood.js';
import { checkBurst } from './attacks/check-burst.js';
import { monitorFlood } from './attacks/monitor-flood.js';
import { slowloris } from './attacks/slowloris.js';

/**
 * The attacker's process (started by attacker-process.ts): runs one attack, reports its facts, exits.
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
} satisfies Record<string, (params: never, control: AttackControl) => Promise<unknown>>;

export type AttackName = keyof typeof ATTACKS;
export type AttackParams = { [N in AttackName]: Parameters<(typeof ATTACKS)[N]>[0] };
export type AttackFacts = { [N in AttackName]: Awaited<ReturnType<(typeof ATTACKS)[N]>> };

if (process.send) {
  const send = process.send.bind(process);
  let proceeding: (() => void) | undefined;
  const control: AttackControl = {
    stage: (stage) => void send({ type: 'stage', stage }),
    proceed: () => new Promise<void>((r) => (proceeding = r)),
  };
  process.on('message', (m: { type: 'run'; name: AttackName; params: never } | { type: 'proceed' }) => {
    if (m.type === 'proceed') return proceeding?.();
    const attack = ATTACKS[m.name] as (params: never, control: AttackControl) => Promise<unknown>;
    attack(m.params, control).then(
      (facts) => send({ type: 'done', facts }, () => process.exit(0)),
      (err: unknown) => send({ type: 'failed', error: err instanceof Error ? (err.stack ?? err.message) : String(err) }, () => process.exit(1)),
    );
  });
}
