import type { Logger } from 'pino';
import type { HandleHooks, Inbound } from '../../src/conversation/assistant.js';
import { reply, type Reply } from '../../src/reply/reply.js';
import type { ReplyDelivery } from './delivery.js';

/** The one thing the adapter needs from the conversation core. */
export interface AssistantPort {
  handle(inbound: Inbound, hooks?: HandleHooks): Promise<Reply>;
}

export interface RunOptions {
  /** How long the turn may wait for the answer before it shows a "working" card and lets the work go on. */
  budgetMs: number;
  logger: Logger;
  /** Called once, before any work happens after the turn: switch `delivery` to proactive messaging here. */
  onDetach: () => void;
}

export interface RunOutcome {
  /** Set when the answer was not ready within the turn: it resolves once the answer has been shown. */
  background: Promise<void> | null;
}

const WORKING: Reply = reply({
  kind: 'progress',
  title: 'Working on it',
  summary: 'This is taking longer than usual; this card will show the answer when it is ready.',
});

export const FAILED: Reply = reply({
  kind: 'error',
  title: 'Something went wrong',
  summary: 'I could not answer that; the error has been logged. Try again, or type "help".',
});

/**
 * Runs one request through the assistant within Teams' time limit (the incoming POST must be answered
 * within 15 s). A quick answer is posted in the turn. A slow one (checks that probe the network, a slow
 * LLM) leaves a "running" card in the turn, and `background` finishes the job after the turn (through
 * the proactive port `onDetach` installs), updating that card in place with the result.
 */
export async function runCommand(assistant: AssistantPort, inbound: Inbound, delivery: ReplyDelivery, options: RunOptions): Promise<RunOutcome> {
  const started = Date.now();
  const answer: Promise<Reply> = Promise.resolve()
    .then(() => assistant.handle(inbound, { progress: (interim) => delivery.progress(interim) }))
    .catch((err: unknown) => {
      options.logger.error({ err, platform: inbound.platform }, 'teams: the assistant failed');
      return FAILED;
    });

  let timer: NodeJS.Timeout | undefined;
  const budget = new Promise<'budget'>((resolve) => {
    timer = setTimeout(() => resolve('budget'), options.budgetMs);
  });
  const first = await Promise.race([answer, delivery.progressShown.then(() => 'progress' as const), budget]);
  clearTimeout(timer);

  if (typeof first !== 'string') {
    await delivery.final(first);
    options.logger.debug({ ms: Date.now() - started }, 'teams: answered in the turn');
    return { background: null };
  }
  if (first === 'budget' && !delivery.hasRunningCard) await delivery.progress(WORKING);
  await delivery.progressShown;
  options.onDetach();
  return { background: answer.then((r) => delivery.final(r)) };
}
