import { ActivityTypes, type CloudAdapter, type InvokeResponse, type TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type { Inbound } from '../../src/chat/core.js';
import { Deliveries } from '../../src/chat/deliveries.js';
import type { SharedMemory } from '../../src/chat/shared-memory.js';
import type { TurnEngine } from '../../src/chat/turn-engine.js';
import { reply, type Reply } from '../../src/reply/reply.js';
import { messageActivity, proactiveApi, turnApi } from './api.js';
import { interpretActivity, type ConversationRef, type Interpretation } from './inbound.js';
import { filesFields } from '../../src/chat/inbound-files.js';
import type { TeamsFiles } from './files.js';
import { safeError } from './log-safe.js';
import { TeamsPort } from './port.js';
import type { TeamsMessage } from './render.js';

/**
 * The SDK glue: one botbuilder turn in, a turn of the chat engine out. What an activity means lives in
 * inbound.ts, what a card looks like in render.ts, the turn's lifecycle in src/chat; this file only moves
 * activities between them and the CloudAdapter, so a move to the Microsoft 365 Agents SDK rewrites this
 * file (and api.ts) alone.
 */

export interface TeamsEventOptions {
  /** A message turn waits this long for the answer before it shows a "working" card (Teams allows 15 s). */
  turnBudgetMs: number;
  /** Same for a card action invoke, which Teams expects to be answered quickly. */
  invokeBudgetMs: number;
}

export interface TeamsEventDeps {
  adapter: CloudAdapter;
  /** '' in dev mode (no authentication, no outgoing credentials). */
  appId: string;
  engine: TurnEngine<TeamsMessage>;
  render: (reply: Reply, continuationToken?: string) => TeamsMessage[];
  logger: Logger;
  options: TeamsEventOptions;
  /** Reads files attached to a message into Inbound.files; without it attachments are ignored. */
  files?: TeamsFiles;
  /** Memory every replica shares (the database): an invoke retried to another replica gets the same answer. */
  memory?: SharedMemory;
}

/** Teams retries an invoke it got no (or an empty) answer to; retries must get the same answer. */
const INVOKE_MEMORY_MS = 15 * 60 * 1000;

const INVOKE_MESSAGE = 'application/vnd.microsoft.activity.message';
const INVOKE_ERROR = 'application/vnd.microsoft.error';

export class TeamsBot {
  private readonly invokeAnswers = new Deliveries<Promise<InvokeResponse>>({ ttlMs: INVOKE_MEMORY_MS, max: 10_000 });

  constructor(private readonly deps: TeamsEventDeps) {}

  /** The turn handler passed to `adapter.process()`. */
  readonly onTurn = async (context: TurnContext): Promise<void> => {
    const activity = context.activity;
    const what = interpretActivity(activity);
    const key = dedupeKey(activity.conversation?.id, activity.id);

    if (activity.type === ActivityTypes.Invoke) {
      const { value, retry } = this.invokeAnswers.once(key ? [key] : [], () => this.answerInvokeOnce(context, what, key));
      if (retry) this.deps.logger.debug({ id: activity.id }, 'teams: repeated invoke, same answer');
      await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: await value });
      return;
    }

    try {
      switch (what.kind) {
        case 'command':
          if (what.via === 'text' && this.deps.files) return await this.runWithFiles(context, what.inbound, key);
          await this.run(context, what.inbound, this.deps.options.turnBudgetMs, key);
          return;
        case 'welcome':
          await this.run(context, what.inbound, this.deps.options.turnBudgetMs, key);
          return;
        case 'more':
          await this.showPage(context, what.token, what.page);
          return;
        default:
          this.deps.logger.debug({ type: activity.type, reason: 'reason' in what ? what.reason : what.kind }, 'teams: activity ignored');
      }
    } catch (err) {
      this.deps.logger.error({ err: safeError(err), type: activity.type }, 'teams: failed to handle an activity');
    }
  };

  /**
   * Across replicas: the first to claim the invoke answers it and writes its answer down; a retry that reached
   * another replica waits (within the invoke budget) for that answer and returns it, never running it twice.
   */
  private async answerInvokeOnce(context: TurnContext, what: Interpretation, key: string | undefined): Promise<InvokeResponse> {
    const { memory, logger } = this.deps;
    if (!memory || !key) return this.answerInvoke(context, what);
    const first = await memory.rememberOnce(`teams:invoke:${key}`, INVOKE_MEMORY_MS).catch((err: unknown) => {
      logger.warn({ err: safeError(err) }, 'teams: invoke memory unavailable; answering without the retry check');
      return true;
    });
    if (!first) {
      logger.debug({ id: context.activity.id }, 'teams: invoke first delivered to another replica');
      return (await this.earlierAnswer(key)) ?? invokeMessage('Working on it; the answer will appear in the conversation.');
    }
    const answer = await this.answerInvoke(context, what);
    await memory.put(`teams:invoke-answer:${key}`, answer, INVOKE_MEMORY_MS).catch((err: unknown) => {
      logger.warn({ err: safeError(err) }, 'teams: could not remember an invoke answer');
    });
    return answer;
  }

  /** The answer another replica wrote for this invoke, polled until the invoke budget runs out. */
  private async earlierAnswer(key: string): Promise<InvokeResponse | undefined> {
    const deadline = Date.now() + this.deps.options.invokeBudgetMs;
    for (;;) {
      const answer = await this.deps.memory!.get<InvokeResponse>(`teams:invoke-answer:${key}`).catch(() => undefined);
      if (answer || Date.now() >= deadline) return answer;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  private async answerInvoke(context: TurnContext, what: Interpretation): Promise<InvokeResponse> {
    try {
      switch (what.kind) {
        case 'command': {
          const outcome = await this.run(context, what.inbound, this.deps.options.invokeBudgetMs, undefined);
          return invokeMessage(outcome?.finished ? 'Done.' : 'Working on it; the answer will appear in the conversation.');
        }
        case 'more':
          await this.showPage(context, what.token, what.page);
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

  /**
   * Hands the message to the turn engine and holds the incoming request only until the answer (or a
   * progress or "working" card) is on screen; the rest of a slow answer arrives by proactive messaging.
   */
  private async run(
    context: TurnContext,
    inbound: Inbound,
    budgetMs: number,
    key: string | undefined,
  ): Promise<{ finished: boolean } | undefined> {
    const { adapter, appId, engine, logger } = this.deps;
    const reference = (inbound.address as { reference: ConversationRef }).reference;
    const port = new TeamsPort(turnApi(context), () => proactiveApi(adapter, appId, reference), this.deps.render);
    const { handle, retry } = await engine.run({ inbound, port, deliveryKeys: key ? [key] : [], workingAfterMs: budgetMs });
    if (retry) {
      logger.debug({ id: context.activity.id }, 'teams: repeated activity ignored');
      return undefined;
    }
    await Promise.race([handle.done, handle.visible]);
    // The answer was posted: give the turn a moment to finish off, so a quick answer counts as done.
    await Promise.race([handle.done, new Promise((resolve) => setImmediate(resolve))]);
    port.detach();
    return { finished: handle.finished };
  }

  /**
   * A typed message with its attached files read first. Teams wants the request answered within 15 s, so
   * the downloads get half of the turn's budget and the answer what is left of it.
   */
  private async runWithFiles(context: TurnContext, inbound: Inbound, key: string | undefined): Promise<void> {
    const budget = this.deps.options.turnBudgetMs;
    const started = Date.now();
    const read = await this.deps.files!.read(context.activity.attachments, budget / 2);
    const withFiles = read ? { ...inbound, ...filesFields(read) } : inbound;
    await this.run(context, withFiles, Math.max(budget - (Date.now() - started), 500), key);
  }

  private async showPage(context: TurnContext, token: string, page: number): Promise<void> {
    const message =
      (await this.deps.engine.page(token, page)) ??
      this.deps.render(
        reply({
          kind: 'help',
          title: 'That part is no longer available',
          summary: 'Long answers are kept for a day. Ask again to see it in full.',
        }),
      )[0]!;
    await context.sendActivity(messageActivity(message));
  }
}

export function dedupeKey(conversationId: unknown, activityId: unknown): string | undefined {
  return typeof conversationId === 'string' && typeof activityId === 'string' && activityId !== ''
    ? `${conversationId}|${activityId}`
    : undefined;
}

function invokeMessage(text: string): InvokeResponse {
  return { status: 200, body: { statusCode: 200, type: INVOKE_MESSAGE, value: text } };
}

function invokeError(statusCode: number, code: string, message: string): InvokeResponse {
  return { status: 200, body: { statusCode, type: INVOKE_ERROR, value: { code, message } } };
}
