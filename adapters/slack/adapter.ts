import { App, HTTPReceiver, SocketModeReceiver } from '@slack/bolt';
import type { Logger } from 'pino';
import { AnswerPacer } from '../../src/chat/answer-pacer.js';
import type { ConversationCore } from '../../src/chat/core.js';
import { DEFAULT_FILE_LIMITS, type FileLimits } from '../../src/chat/file-text.js';
import { TurnEngine } from '../../src/chat/turn-engine.js';
import type { SlackConfig } from '../../src/config/slack-env.js';
import { SlackAlertChannel } from './alerts.js';
import { slackErrorCode, WebApiSlackApi } from './api.js';
import { boltLogger } from './bolt-logger.js';
import { registerListeners } from './events.js';
import { SlackFiles } from './files.js';
import { slackEventsRoute, type SlackRoute } from './http.js';
import type { SlackMessage } from './render.js';

/** Events, slash commands and interactivity all arrive here (one Request URL in manifest.json). */
import { LocalMemory, type SharedMemory } from '../../src/chat/shared-memory.js';

export const SLACK_EVENTS_PATH = '/slack/events';

export interface SlackAdapterOptions {
  /** The conversation core (an Assistant). */
  assistant: ConversationCore;
  config: SlackConfig;
  logger: Logger;
  tuning?: SlackTuning;
  /** Files shared with a message (default DEFAULT_FILE_LIMITS: 10 MB, 3 per message, 30 s each). */
  files?: FileLimits;
  /**
   * Retry and replay memory, thread aliases and "Show more" pages: the database when several replicas serve
   * one Slack app (`serve` passes it), this process's memory by default.
   */
  memory?: SharedMemory;
}

/** Knobs with production defaults; tests turn them down to run fast against fakes. */
export interface SlackTuning {
  /** Web API retries on network errors and 5xx (429 is handled separately, by Retry-After). Default 2. */
  webApiRetries?: number;
  /** Web API request timeout. Default 15 s. */
  webApiTimeoutMs?: number;
  /** Least time between two progress updates of one message. Default 1 s (Slack's write pace). */
  progressIntervalMs?: number;
  /** Socket Mode: how long to wait for a pong; also the unit of its reconnect back-off. Default 5 s. */
  socketPingTimeoutMs?: number;
  /** HTTP mode: how long Bolt waits for a request nothing acknowledged before answering 404. Default 3001 ms. */
  unacknowledgedTimeoutMs?: number;
  /** How long stop() waits for answers being written. Default 10 s. */
  shutdownDrainMs?: number;
}

export interface SlackAdapter {
  readonly mode: SlackConfig['mode'];
  /** Routes to mount on `vpn-doctor serve` (HTTP mode); empty in Socket Mode, which needs no inbound HTTP. */
  readonly routes: SlackRoute[];
  /** Keep-alive alerts into Slack, for the server's alert routing. */
  readonly alerts: SlackAlertChannel;
  /** Checks the bot token (auth.test) and, in Socket Mode, connects. Throws a readable error on bad tokens. */
  start(): Promise<void>;
  /** Stops taking requests, disconnects Socket Mode, and waits (bounded) for answers being written. */
  stop(): Promise<void>;
  /** Resolves once no answer is being worked on (tests, diagnostics). */
  idle(): Promise<void>;
}

const BODY_LIMIT_BYTES = 1024 * 1024;
const HOUR = 60 * 60 * 1000;

export function createSlackAdapter(options: SlackAdapterOptions): SlackAdapter {
  const { config, tuning = {} } = options;
  const logger = options.logger.child({ component: 'slack', mode: config.mode });
  const boltLog = boltLogger(logger);

  const clientOptions = {
    slackApiUrl: config.apiUrl,
    retryConfig: { retries: tuning.webApiRetries ?? 2 },
    timeout: tuning.webApiTimeoutMs ?? 15_000,
    // 429s come back to us as errors so Retry-After is honoured per call (see slack-api.ts).
    rejectRateLimitedCalls: true,
    // Slack's own limits (about one message per second per channel) make more parallel calls pointless,
    // and a burst of replies landing at once would hold up the acks of requests still arriving.
    maxRequestConcurrency: 10,
  };

  const receiver =
    config.mode === 'http'
      ? new HTTPReceiver({
          signingSecret: config.signingSecret,
          endpoints: SLACK_EVENTS_PATH,
          logger: boltLog,
          processBeforeResponse: false,
          bodyLimit: BODY_LIMIT_BYTES,
          unhandledRequestTimeoutMillis: tuning.unacknowledgedTimeoutMs ?? 3001,
        })
      : new SocketModeReceiver({
          appToken: config.appToken,
          logger: boltLog,
          clientPingTimeout: tuning.socketPingTimeoutMs ?? 5000,
          installerOptions: {
            // Its own options object: the Socket Mode client adds its retry policy to it.
            clientOptions: {
              slackApiUrl: config.apiUrl,
              timeout: tuning.webApiTimeoutMs ?? 15_000,
              ...(tuning.webApiRetries !== undefined ? { retryConfig: { retries: tuning.webApiRetries } } : {}),
            },
          },
        });

  const app = new App({
    receiver,
    token: config.botToken,
    logger: boltLog,
    clientOptions,
    // auth.test runs in start(), where a bad token becomes a startup error instead of an unhandled rejection.
    deferInitialization: true,
    convoStore: false,
  });

  const api = new WebApiSlackApi(app.client, logger, config.apiUrl);
  const pacer = new AnswerPacer();
  const memory = options.memory ?? new LocalMemory();
  const engine = new TurnEngine<SlackMessage>({
    core: options.assistant,
    logger,
    pacer,
    memory,
    progressIntervalMs: tuning.progressIntervalMs ?? 1000,
  });
  const files = new SlackFiles({ botToken: config.botToken, apiUrl: config.apiUrl, limits: options.files ?? DEFAULT_FILE_LIMITS, logger });
  registerListeners(app, { engine, api, logger, allowedTeams: config.allowedTeams ?? [], files, memory });
  if (config.allowedTeams?.length) logger.info({ teams: config.allowedTeams }, 'Slack: only these workspaces are answered (SLACK_TEAM_ID)');

  let accepting = false;
  const routes =
    receiver instanceof HTTPReceiver && config.mode === 'http'
      ? [
          slackEventsRoute({
            path: SLACK_EVENTS_PATH,
            signingSecret: config.signingSecret,
            requestListener: receiver.requestListener,
            accepting: () => accepting,
            bodyLimitBytes: BODY_LIMIT_BYTES,
            logger,
            onArrival: () => pacer.noteArrival(),
            memory,
          }),
        ]
      : [];

  return {
    mode: config.mode,
    routes,
    alerts: new SlackAlertChannel(api, config.alertChannel),

    async start() {
      if (accepting) return;
      try {
        await app.init();
      } catch (err) {
        throw new Error(
          `Slack did not accept SLACK_BOT_TOKEN (${describe(err)}): check the Bot User OAuth Token and that the app is installed`,
          { cause: err },
        );
      }
      if (receiver instanceof SocketModeReceiver) {
        try {
          await app.start();
        } catch (err) {
          throw new Error(
            `Socket Mode could not connect (${describe(err)}): check SLACK_APP_TOKEN (an xapp- token with connections:write) and that Socket Mode is enabled for the app`,
            { cause: err },
          );
        }
      }
      accepting = true;
      logger.info(
        { apiUrl: config.apiUrl },
        config.mode === 'http' ? `Slack ready: POST ${SLACK_EVENTS_PATH}` : 'Slack connected over Socket Mode',
      );
    },

    async stop() {
      accepting = false;
      if (receiver instanceof SocketModeReceiver) await receiver.client.disconnect();
      const drained = await engine.drain(tuning.shutdownDrainMs ?? 10_000);
      if (!drained) logger.warn({ running: engine.running }, 'stopped with Slack answers still being written');
    },

    async idle() {
      await engine.drain(HOUR);
    },
  };
}

function describe(err: unknown): string {
  return slackErrorCode(err) ?? (err instanceof Error ? err.message : String(err));
}
