import type { IncomingMessage, ServerResponse } from 'node:http';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { authGate, runAuthenticated, UNAUTHORIZED_BODY } from './auth-gate.js';
import { routeSdkConsole } from './sdk-console.js';
import type { Logger } from 'pino';
import type { ConversationCore } from '../../src/chat/core.js';
import type { SharedMemory } from '../../src/chat/shared-memory.js';
import { DEFAULT_FILE_LIMITS, type FileLimits } from '../../src/chat/file-text.js';
import { TurnEngine } from '../../src/chat/turn-engine.js';
import type { TeamsConfig } from '../../src/config/env.js';
import type { AlertChannel } from '../../src/conversation/alerts.js';
import type { Reply } from '../../src/reply/reply.js';
import { createTeamsAlertChannel } from './alerts.js';
import { activityTenants, allowedTenants, bearerJwtProblem, checkTeamsConfig, isLoopbackUrl } from './config.js';
import { TeamsBot } from './events.js';
import { TeamsFiles } from './files.js';
import { createMessagesHandler } from './http.js';
import { isHttpUrl } from './inbound.js';
import { safeError } from './log-safe.js';
import { renderMessages, type TeamsMessage } from './render.js';

/**
 * Microsoft Teams for vpn-doctor: POST /api/messages (Bot Framework protocol, botbuilder CloudAdapter)
 * and an AlertChannel for proactive keep-alive alerts. The adapter knows nothing about VPNs: it turns
 * Teams activities into `Inbound` messages for the assistant and its `Reply` values into Adaptive Cards.
 *
 * Secure by default: without MicrosoftAppId there is no endpoint at all, unless VPN_DOCTOR_TEAMS_DEV=1
 * asks for an unauthenticated one for local testing (Bot Framework Emulator, Agents Playground), which
 * then only ever talks back to a loopback service URL.
 */

/**
 * The endpoint, shaped like the server's `Route` (src/server/router.ts) so that `app.route(route)` mounts
 * it as is: `auth: 'none'` because the Bot Framework JWT (checked by botbuilder) is the authentication.
 */
export interface TeamsRoute {
  method: 'POST';
  path: string;
  auth: 'none';
  handler(ctx: { req: IncomingMessage; res: ServerResponse }): Promise<void>;
}

export interface TeamsAdapterOptions {
  /** Where the SDK loads the Bot Framework signing keys from (default: Microsoft's; tests: a loopback fake). Public cloud only. */
  openIdMetadataUrl?: string;
  /** Largest accepted request body (default 256 KB; Teams activities are a few KB). */
  maxBodyBytes?: number;
  /** Time allowed to receive a request body (default 10 s). */
  bodyTimeoutMs?: number;
  /** How long a message turn waits for the answer before it shows a "working" card (default 8 s of Teams' 15). */
  turnBudgetMs?: number;
  /** Same for card-action invokes (default 3 s). */
  invokeBudgetMs?: number;
  /** Minimum time between two updates of a progress card (default 1.5 s; Teams throttles edits). */
  progressIntervalMs?: number;
  /** Buttons as Action.Submit (default: a click arrives as a message) or Action.Execute (Universal Actions). */
  actionType?: 'Action.Submit' | 'Action.Execute';
  /** Card size budget in bytes (default CARD_MAX_BYTES). */
  maxCardBytes?: number;
  /** Files attached to a message (default DEFAULT_FILE_LIMITS: 10 MB, 3 per message). */
  files?: FileLimits;
}

export interface TeamsAdapterDeps {
  /** The conversation core (an Assistant). */
  assistant: ConversationCore;
  /** The application config (only its `teams` block is read). */
  config: { teams: TeamsConfig };
  logger: Logger;
  options?: TeamsAdapterOptions;
  /**
   * Retry memory (messages and invokes) and "Show more" pages: the database when several replicas serve one
   * bot (`serve` passes it), this process's memory by default.
   */
  memory?: SharedMemory;
}

export interface TeamsAdapter {
  /** false when MicrosoftAppId is unset and dev mode is off: no routes, no alerts. */
  enabled: boolean;
  routes: TeamsRoute[];
  alerts?: AlertChannel;
  /** Waits (up to timeoutMs) for answers still being worked on after their turn, e.g. on shutdown. */
  drain(timeoutMs?: number): Promise<void>;
}

export const MESSAGES_PATH = '/api/messages';

export function createTeamsAdapter(deps: TeamsAdapterDeps): TeamsAdapter {
  const teams = deps.config.teams;
  const logger = deps.logger.child({ adapter: 'teams' });
  const options = deps.options ?? {};

  if (!teams.appId && !teams.dev) {
    logger.info(
      'Microsoft Teams endpoint off: MicrosoftAppId is not set (VPN_DOCTOR_TEAMS_DEV=1 serves it without authentication, for local testing)',
    );
    return { enabled: false, routes: [], drain: async () => {} };
  }
  checkTeamsConfig(teams);
  const appId = teams.appId ?? '';
  if (!teams.appId) {
    logger.warn(
      `Microsoft Teams endpoint ${MESSAGES_PATH} WITHOUT authentication (VPN_DOCTOR_TEAMS_DEV=1, no MicrosoftAppId): for local testing only; it answers only to a loopback service URL`,
    );
  } else if (teams.dev) {
    logger.warn('VPN_DOCTOR_TEAMS_DEV is ignored because MicrosoftAppId is set: requests are authenticated');
  }
  const tenants = new Set(allowedTenants(teams));
  if (teams.appId && tenants.size === 0) {
    logger.warn(
      `Microsoft Teams: MicrosoftAppType ${teams.appType} and no tenant list: users of ANY Microsoft 365 tenant that installs the bot can use it (run checks, read agents). Set VPN_DOCTOR_TEAMS_TENANTS to your tenant id(s)`,
    );
  } else if (teams.appId) {
    logger.info({ tenants: [...tenants] }, 'Microsoft Teams: only these tenants are answered');
  }

  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: appId,
    MicrosoftAppType: teams.appType,
    ...(options.openIdMetadataUrl ? publicCloudWithMetadata(options.openIdMetadataUrl) : {}),
    ...(teams.appPassword ? { MicrosoftAppPassword: teams.appPassword } : {}),
    ...(teams.tenantId ? { MicrosoftAppTenantId: teams.tenantId } : {}),
  });
  routeSdkConsole(logger);
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (context, err) => {
    logger.error({ err: safeError(err), type: context.activity?.type }, 'teams: unhandled error in a turn');
  };

  const render = (r: Reply, continuationToken?: string): TeamsMessage[] =>
    renderMessages(r, {
      actionType: options.actionType ?? 'Action.Submit',
      ...(options.maxCardBytes ? { maxBytes: options.maxCardBytes } : {}),
      ...(continuationToken ? { continuationToken } : {}),
    });
  const engine = new TurnEngine<TeamsMessage>({
    core: deps.assistant,
    logger,
    progressIntervalMs: options.progressIntervalMs ?? 1500,
    ...(deps.memory ? { memory: deps.memory } : {}),
  });
  const bot = new TeamsBot({
    adapter,
    appId,
    engine,
    render,
    logger,
    options: { turnBudgetMs: options.turnBudgetMs ?? 8000, invokeBudgetMs: options.invokeBudgetMs ?? 3000 },
    // Loopback file URLs only in dev mode (local testing), where the service URL is loopback too.
    files: new TeamsFiles({ limits: options.files ?? DEFAULT_FILE_LIMITS, allowLoopback: !teams.appId, logger }),
    ...(deps.memory ? { memory: deps.memory } : {}),
  });

  const dev = !teams.appId;
  const handler = createMessagesHandler({
    logger,
    maxBodyBytes: options.maxBodyBytes ?? 256 * 1024,
    bodyTimeoutMs: options.bodyTimeoutMs ?? 10_000,
    // Without "Bearer <JWT>" the SDK can only answer 401, but it also prints a stack trace with
    // console.error for each such request (also for a token that is not even shaped like a JWT); the
    // endpoint is public (Teams must reach it), so scanners would fill the log. Answer those here, in one
    // log line; every request with a JWT-shaped token still goes to the SDK's signature check.
    precheck: (headers) => {
      if (dev) return null;
      const problem = bearerJwtProblem(headers.authorization);
      if (!problem) return null;
      logger.info({ reason: problem }, 'teams: request without a usable Bot Framework token refused (401)');
      return { status: 401, message: UNAUTHORIZED_BODY };
    },
    admit: (activity) => {
      const problem = activityShapeProblem(activity);
      if (problem) return { status: 400, message: `not a Bot Framework activity: ${problem}` };
      if (dev && !isLoopbackUrl(String(activity.serviceUrl))) {
        return { status: 403, message: 'dev mode (no MicrosoftAppId) only answers activities whose serviceUrl is on this machine' };
      }
      // Tenant allowlist (not in dev mode): another organisation's Teams gets no answer at all. 403 rather
      // than an empty 200, so the refusal shows in the Azure Bot's channel health instead of looking answered.
      if (!dev && tenants.size > 0) {
        const named = activityTenants(activity);
        const foreign = named.length === 0 ? ['(none)'] : named.filter((t) => !tenants.has(t));
        if (foreign.length > 0) {
          logger.warn(
            { tenants: foreign, type: activity.type, channelId: activity.channelId },
            'teams: activity from a tenant that is not allowed refused (VPN_DOCTOR_TEAMS_TENANTS)',
          );
          return { status: 403, message: 'this bot does not serve your organisation' };
        }
      }
      return null;
    },
    process: authGate({
      authenticate: (activity, authHeader) => auth.authenticateRequest(activity, authHeader),
      run: runAuthenticated(adapter),
      logic: bot.onTurn,
      logger,
    }),
  });

  return {
    enabled: true,
    routes: [{ method: 'POST', path: MESSAGES_PATH, auth: 'none', handler: ({ req, res }) => handler(req, res) }],
    alerts: createTeamsAlertChannel({ adapter, appId, render, logger }),
    async drain(timeoutMs = 15_000) {
      if (!(await engine.drain(timeoutMs))) logger.warn({ running: engine.running }, 'teams: stopped with answers still being written');
    },
  };
}

/**
 * Setting one of the SDK's "parameterized" URLs makes it expect all of them (BotFrameworkAuthenticationFactory):
 * the public cloud's values (botframework-connector's AuthenticationConstants), with another metadata URL.
 */
function publicCloudWithMetadata(openIdMetadataUrl: string): Record<string, string | boolean> {
  return {
    ValidateAuthority: true,
    ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
    ToChannelFromBotOAuthScope: 'https://api.botframework.com',
    ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
    OAuthUrl: 'https://api.botframework.com',
    ToBotFromChannelOpenIdMetadataUrl: openIdMetadataUrl,
    ToBotFromEmulatorOpenIdMetadataUrl: 'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
    CallerId: 'urn:botframework:azure',
  };
}

/**
 * The fields every Bot Framework activity has, with the types the schema gives them. Checked up front so
 * that a malformed activity gets a 400 instead of failing later, half-way through a reply.
 */
function activityShapeProblem(a: Record<string, unknown>): string | null {
  const serviceUrl = a.serviceUrl;
  if (typeof serviceUrl !== 'string' || !isHttpUrl(serviceUrl)) return 'serviceUrl must be an http(s) URL';
  const conversation = a.conversation as { id?: unknown } | null | undefined;
  if (typeof conversation !== 'object' || conversation === null || typeof conversation.id !== 'string')
    return 'conversation.id is required';
  for (const key of ['id', 'channelId', 'replyToId', 'name', 'locale', 'text']) {
    if (a[key] !== undefined && a[key] !== null && typeof a[key] !== 'string') return `${key} must be a string`;
  }
  for (const key of ['from', 'recipient']) {
    const account = a[key] as { id?: unknown; name?: unknown } | null | undefined;
    if (account === undefined) continue;
    if (typeof account !== 'object' || account === null || typeof account.id !== 'string') return `${key}.id must be a string`;
    if (account.name !== undefined && account.name !== null && typeof account.name !== 'string') return `${key}.name must be a string`;
  }
  return null;
}
