import type { ChatPort } from '../../src/chat/port.js';
import type { Reply } from '../../src/reply/reply.js';
import type { ConversationApi } from './api.js';
import { safeError } from './log-safe.js';
import type { TeamsMessage } from './render.js';

/**
 * One turn's answer in Teams, for the turn engine. Teams wants the incoming POST answered within 15 s,
 * so a slow answer outlives its turn: writes go through the turn's own connection until the adapter
 * calls `detach()` (the turn is over), then through proactive messaging on the conversation reference.
 */
export class TeamsPort implements ChatPort<TeamsMessage, string | undefined> {
  readonly canEdit = true;
  private api: ConversationApi;

  constructor(
    inTurn: ConversationApi,
    private readonly afterTurn: () => ConversationApi,
    private readonly renderer: (reply: Reply, continuationToken?: string) => TeamsMessage[],
  ) {
    this.api = inTurn;
  }

  /** The turn has ended: later writes open proactive turns. */
  detach(): void {
    this.api = this.afterTurn();
  }

  render(reply: Reply, continuationToken?: string): TeamsMessage[] {
    return this.renderer(reply, continuationToken);
  }

  async post(message: TeamsMessage): Promise<string | undefined> {
    return safely(() => this.api.send(message));
  }

  async update(activityId: string | undefined, message: TeamsMessage): Promise<void> {
    // A channel that returned no id for the first message: the engine posts the answer anew.
    if (!activityId) throw new Error('the progress card has no activity id');
    await safely(() => this.api.update(activityId, message));
  }
}

/**
 * Connector errors (Azure RestError) carry the HTTP request, the bot's bearer token included: what
 * leaves the port (and gets logged by the engine) is only their plain facts.
 */
async function safely<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    const facts = safeError(err);
    throw Object.assign(new Error(facts.message), facts);
  }
}
