/**
 * The Slack adapter of vpn-doctor: Slack events in, Block Kit out. It knows Slack and nothing about VPNs;
 * everything it says comes from the conversation core as a Reply.
 *
 * Mount on the server: `const slack = createSlackAdapter({ assistant, config: config.slack, logger })`,
 * register `slack.routes` (HTTP mode), `await slack.start()`, give `slack.alerts` to the alert routing,
 * and `await slack.stop()` on shutdown.
 */
export { createSlackAdapter, SLACK_EVENTS_PATH, type SlackAdapter, type SlackAdapterOptions, type SlackTuning } from './create-adapter.js';
export type { SlackRoute } from './http-route.js';
export { SlackAlertChannel, SlackAddressSchema, type SlackAddress } from './alerts.js';
export { renderReply, type SlackMessage, type RenderOptions } from './render-blocks.js';
export { SLACK_PLATFORM, SLASH_COMMAND, BOT_EVENTS, BOT_SCOPES } from './surface.js';
