/**
 * The Slack adapter of vpn-doctor: Slack events in, Block Kit out. It knows Slack and nothing about VPNs;
 * everything it says comes from the conversation core as a Reply, and every turn runs through the chat
 * turn engine (src/chat).
 *
 * Mounting on `vpn-doctor serve` (src/server/chat-adapters.ts):
 *
 *   const slack = createSlackAdapter({ assistant: server.assistant, config: config.slack, logger: log });
 *   for (const route of slack.routes) server.app.route(route);   // HTTP mode: POST /slack/events
 *   await slack.start();                                         // auth.test; Socket Mode connects
 *   const removeAlerts = server.alerts.add(slack.alerts);        // keep-alive alerts into Slack
 *   ...
 *   removeAlerts(); await slack.stop();                          // before server.close()
 */
export { createSlackAdapter, SLACK_EVENTS_PATH, type SlackAdapter, type SlackAdapterOptions, type SlackTuning } from './adapter.js';
export type { SlackRoute } from './http.js';
export { SlackAlertChannel, SlackAddressSchema, type SlackAddress } from './alerts.js';
export { renderReply, type SlackMessage, type RenderOptions } from './render.js';
export { SLACK_PLATFORM, SLASH_COMMAND, BOT_EVENTS, BOT_SCOPES } from './surface.js';
