/**
 * What a card button carries and how a click is read back. Action.Submit delivers `data` as the `value`
 * of a message activity; Action.Execute (Universal Actions) delivers it as `value.action.data` of an
 * `adaptiveCard/action` invoke. Either way the adapter only needs the Reply action's `command` (fed to the
 * assistant as if typed) or a token for the part of an answer that did not fit in one card.
 */

export interface CommandData {
  command: string;
  /** The Reply action's id, for logs. */
  actionId?: string;
}

export interface MoreData {
  moreToken: string;
  /** The page of the answer the button shows (2..n); cards from before pages were numbered carry none. */
  page?: number;
}

export type ActionData = CommandData | MoreData;

/** Commands are short phrases; anything longer did not come from one of our cards. */
const MAX_COMMAND_CHARS = 4000;
const TOKEN_RE = /^[A-Za-z0-9_-]{8,64}$/;
const MAX_PAGE = 9999;

export function readActionData(data: unknown): ActionData | null {
  if (!isRecord(data)) return null;
  if (typeof data.moreToken === 'string' && TOKEN_RE.test(data.moreToken)) {
    const page = Number.isInteger(data.page) && (data.page as number) >= 2 && (data.page as number) <= MAX_PAGE ? (data.page as number) : 2;
    return { moreToken: data.moreToken, page };
  }
  if (typeof data.command === 'string' && data.command.length <= MAX_COMMAND_CHARS) {
    return typeof data.actionId === 'string' ? { command: data.command, actionId: data.actionId.slice(0, 64) } : { command: data.command };
  }
  return null;
}

/** The `value` of an `adaptiveCard/action` invoke: { action: { type: "Action.Execute", verb, data }, trigger }. */
export function readExecuteValue(value: unknown): ActionData | null {
  if (!isRecord(value) || !isRecord(value.action)) return null;
  return readActionData(value.action.data);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
