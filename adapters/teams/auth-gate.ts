import type { Activity, CloudAdapter, ConfigurationBotFrameworkAuthentication, InvokeResponse, TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import { HttpError } from '../../src/server/errors.js';
import type { ProcessActivity } from './http.js';

/** What the SDK's authentication hands to processActivity (its type lives in botframework-connector, not a direct dependency). */
type AuthenticateRequestResult = Awaited<ReturnType<ConfigurationBotFrameworkAuthentication['authenticateRequest']>>;

/** The one body of every authentication failure: no SDK error text reaches an unauthenticated caller. */
export const UNAUTHORIZED_BODY = 'Unauthorized';

/** What the gate needs of botbuilder: authenticate, then run an authenticated activity. */
export interface AuthGateDeps {
  authenticate(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult>;
  run(
    auth: AuthenticateRequestResult,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined>;
  logic: (context: TurnContext) => Promise<void>;
  logger: Logger;
  /** After the SDK failed to load its OpenID metadata, requests are answered 503 for this long (no refetch per request). */
  metadataRetryMs?: number;
  now?: () => number;
}

/**
 * Replaces `CloudAdapter.process()` for POST /api/messages. process() answers a failed authentication with
 * the SDK's error text (500 for some forged tokens), prints each failure with console.error (a stack trace
 * of 10-18 lines: a log flood anyone can trigger), and re-fetches the OpenID metadata on every request while
 * that fetch fails. Here: authentication failures are 401 with a fixed body and one JSON log line; a failed
 * metadata load is 503 with Retry-After, and the SDK is not asked again (so not fetched again) until
 * `metadataRetryMs` has passed; the authenticated activity runs through the SDK's own processActivity.
 */
export function authGate(deps: AuthGateDeps): ProcessActivity {
  const now = deps.now ?? Date.now;
  const retryMs = deps.metadataRetryMs ?? 30_000;
  let metadataDownUntil = 0;
  return async (req, res) => {
    const activity = req.body as unknown as Activity;
    const header = req.headers.authorization;
    const authHeader = (Array.isArray(header) ? header[0] : header) ?? '';
    if (now() < metadataDownUntil) throw metadataUnavailable(Math.ceil((metadataDownUntil - now()) / 1000));
    let auth: AuthenticateRequestResult;
    try {
      auth = await deps.authenticate(activity, authHeader);
    } catch (err) {
      const reason = err instanceof Error ? err.message.split('\n')[0]!.slice(0, 200) : 'not an Error';
      if (/failed to load/i.test(reason)) {
        metadataDownUntil = now() + retryMs;
        deps.logger.warn(
          { reason, retryInS: retryMs / 1000 },
          'teams: Bot Framework OpenID metadata could not be loaded; requests answered 503 for a while',
        );
        throw metadataUnavailable(Math.ceil(retryMs / 1000));
      }
      deps.logger.warn({ reason, type: activity.type }, 'teams: request with an invalid Bot Framework token refused (401)');
      throw new HttpError(401, 'unauthorized', UNAUTHORIZED_BODY);
    }
    const invoke = await deps.run(auth, activity, deps.logic);
    res.status(invoke?.status ?? 200);
    if (invoke?.body !== undefined) res.send(invoke.body);
    res.end();
  };
}

function metadataUnavailable(retryAfterS: number): HttpError {
  return new HttpError(503, 'unavailable', 'Service Unavailable: the Bot Framework signing keys could not be loaded', undefined, {
    'retry-after': String(retryAfterS),
  });
}

/** CloudAdapter with its protected processActivity reachable: the gate authenticates first, then runs. */
export function runAuthenticated(adapter: CloudAdapter): AuthGateDeps['run'] {
  const open = adapter as unknown as {
    processActivity(
      auth: AuthenticateRequestResult,
      activity: Activity,
      logic: (context: TurnContext) => Promise<void>,
    ): Promise<InvokeResponse | undefined>;
  };
  return (auth, activity, logic) => open.processActivity(auth, activity, logic);
}
