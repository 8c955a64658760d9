import { ActivityTypes, type CloudAdapter, type ConversationReference, type InvokeResponse, type TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import { reply } from '../../src/reply/reply.js';
import type { CardComposer } from './cards.js';
import { ReplyDelivery, type ConversationPort, type OutboundMessage } from './delivery.js';
import { interpretActivity, type ConversationRef, type Interpretation } from './inbound.js';
import { runCommand, type AssistantPort } from './run-command.js';
import { ExpiringMap } from '../../src/util/expiring-map.js';
import { safeError } from './log-safe.js';

/**
 * The SDK glue: one botbuilder turn in, cards out. Everything that decides (what an activity means, what
 * a card looks like, when to show progress) lives in SDK-free modules; this file only moves activities
 * between them and the CloudAdapter, so a move to the Microsoft 365 Agents SDK rewrites this file alone.
 */

export interface TeamsBotOptions {
  /** A message turn waits this long for the answer before it shows a "working" card (Teams allows 15 s). */
  turnBudgetMs: number;
  /** Same for a card action invoke, which Teams expects to be answered quickly. */
  invokeBudgetMs: number;
  progressIntervalMs: number;
}

export interface TeamsBotDeps {
  adapter: CloudAdapter;
  /** '' in dev mode (no authentication, no outgoing credentials). */
  appId: string;
  assistant: AssistantPort;
  composer: CardComposer;
  logger: Logger;
  options: TeamsBotOptions;
  /** Keeps track of work that outlives its turn (for a graceful shutdown). */
  track: (work: Promise<void>) => void;
}

/** Teams retries an invoke it got no (or an empty) answer to; retries must get the same answer. */
const DEDUPE_TTL_MS = 15 * 60 * 1000;
const DEDUPE_MAX = 10_000;

const INVOKE_MESSAGE = 'application/vnd.microsoft.activity.message';
const INVOKE_ERROR = 'application/vnd.microsoft.error';

export class TeamsBot {
  private readonly seenMessages = new ExpiringMap<string, true>(DEDUPE_TTL_MS, DEDUPE_MAX);
  private readonly invokeAnswers = new ExpiringMap<string, Promise<InvokeResponse>>(DEDUPE_TTL_MS, DEDUPE_MAX);

  constructor(private readonly deps: TeamsBotDeps) {}

  /** The turn handler passed to `adapter.process()`. */
  readonly onTurn = async (context: TurnContext): Promise<void> => {
    const activity = context.activity;
    const what = interpretActivity(activity);
    const key = dedupeKey(activity.conversation?.id, activity.id);

    if (activity.type === ActivityTypes.Invoke) {
      let answer = key ? this.invokeAnswers.get(key) : undefined;
      if (answer) {
        this.deps.logger.debug({ id: activity.id }, 'teams: repeated invoke, same answer');
      } else {
        answer = this.answerInvoke(context, what);
        if (key) this.invokeAnswers.set(key, answer);
      }
      await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: await answer });
      return;
    }

    if (key) {
      if (this.seenMessages.has(key)) {
        this.deps.logger.debug({ id: activity.id }, 'teams: repeated activity ignored');
        return;
      }
      this.seenMessages.set(key, true);
    }

    try {
      switch (what.kind) {
        case 'command':
        case 'welcome':
          await this.run(context, what.inbound, this.deps.options.turnBudgetMs);
          return;
        case 'more':
          await this.showRest(context, what.token);
          return;
        default:
          this.deps.logger.debug({ type: activity.type, reason: 'reason' in what ? what.reason : what.kind }, 'teams: activity ignored');
      }
    } catch (err) {
      this.deps.logger.error({ err: safeError(err), type: activity.type }, 'teams: failed to handle an activity');
    }
  };

  private async answerInvoke(context: TurnContext, what: Interpretation): Promise<InvokeResponse> {
    try {
      switch (what.kind) {
        case 'command': {
          const { background } = await this.run(context, what.inbound, this.deps.options.invokeBudgetMs);
          return invokeMessage(background ? 'Working on it; the answer will appear in the conversation.' : 'Done.');
        }
        case 'more':
          await this.showRest(context, what.token);
          return invokeMessage('Done.');
        case 'unsupported-invoke':
          this.deps.logger.debug({ name: what.name }, 'teams: unsupported invoke');
          return { status: 501 };
        case 'bad-action':
          return invokeError(400, 'BadRequest', what.reason);
        default:
          return invokeError(400, 'BadRequest', 'reason' in what ? what.reason : 'cannot handle this action');
      }
    } catch (err) {
      this.deps.logger.error({ err: safeError(err) }, 'teams: failed to handle a card action');
      return invokeError(500, 'InternalError', 'The action failed; the error has been logged.');
    }
  }

  private async run(context: TurnContext, inbound: Parameters<AssistantPort['handle']>[0], budgetMs: number) {
    const { composer, logger } = this.deps;
    const reference = (inbound.address as { reference: ConversationRef }).reference;
    const delivery = new ReplyDelivery(turnPort(context), (r) => composer.message(r), {
      progressIntervalMs: this.deps.options.progressIntervalMs,
      logger,
    });
    const outcome = await runCommand(this.deps.assistant, inbound, delivery, {
      budgetMs,
      logger,
      onDetach: () => delivery.usePort(proactivePort(this.deps.adapter, this.deps.appId, reference)),
    });
    if (outcome.background) this.deps.track(outcome.background);
    return outcome;
  }

  private async showRest(context: TurnContext, token: string): Promise<void> {
    const cont = this.deps.composer.continuation(token);
    const message = cont
      ? this.deps.composer.message(cont.reply, cont.firstStepNumber)
      : this.deps.composer.message(
          reply({ kind: 'help', title: 'That part is no longer available', summary: 'Long answers are kept for an hour. Ask again to see it in full.' }),
        );
    await context.sendActivity(messageActivity(message));
  }
}

export function dedupeKey(conversationId: unknown, activityId: unknown): string | undefined {
  return typeof conversationId === 'string' && typeof activityId === 'string' && activityId !== '' ? `${conversationId}|${activityId}` : undefined;
}

function invokeMessage(text: string): InvokeResponse {
  return { status: 200, body: { statusCode: 200, type: INVOKE_MESSAGE, value: text } };
}

function invokeError(statusCode: number, code: string, message: string): InvokeResponse {
  return { status: 200, body: { statusCode, type: INVOKE_ERROR, value: { code, message } } };
}

export function messageActivity(m: OutboundMessage): { type: string; attachments: OutboundMessage['attachments']; summary: string } {
  return { type: ActivityTypes.Message, attachments: m.attachments, summary: m.summary };
}

/** Posting within the current turn (the connector client of the incoming request). */
function turnPort(context: TurnContext): ConversationPort {
  return {
    async send(m) {
      return (await context.sendActivity(messageActivity(m)))?.id;
    },
    async update(activityId, m) {
      await context.updateActivity({ ...messageActivity(m), id: activityId });
    },
  };
}

/**
 * Posting after the turn: each operation opens a proactive turn on the stored conversation reference.
 * Errors inside the callback would go to the adapter's onTurnError and be swallowed, so they are carried
 * out and rethrown here.
 */
export function proactivePort(adapter: CloudAdapter, appId: string, reference: ConversationRef): ConversationPort {
  // Our reference is the JSON-safe subset of the SDK's ConversationReference that a continuation reads.
  const ref = reference as unknown as Partial<ConversationReference>;
  const inTurn = async <T>(work: (context: TurnContext) => Promise<T>): Promise<T> => {
    let result: { value: T } | { error: unknown } | undefined;
    await adapter.continueConversationAsync(appId, ref, async (context) => {
      try {
        result = { value: await work(context) };
      } catch (error) {
        result = { error };
      }
    });
    if (!result) throw new Error('the proactive turn did not run');
    if ('error' in result) throw result.error;
    return result.value;
  };
  return {
    send: (m) => inTurn(async (context) => (await context.sendActivity(messageActivity(m)))?.id),
    update: (activityId, m) =>
      inTurn(async (context) => {
        await context.updateActivity({ ...messageActivity(m), id: activityId });
      }),
  };
}
