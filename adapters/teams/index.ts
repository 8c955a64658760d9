/**
 * Microsoft Teams for vpn-doctor: POST /api/messages (Bot Framework protocol, botbuilder CloudAdapter)
 * and an AlertChannel for proactive keep-alive alerts. Every turn runs through the chat turn engine
 * (src/chat); this adapter only translates activities to `Inbound` and Replies to Adaptive Cards.
 */
export {
  createTeamsAdapter,
  MESSAGES_PATH,
  type TeamsAdapter,
  type TeamsAdapterDeps,
  type TeamsAdapterOptions,
  type TeamsRoute,
} from './adapter.js';
export { TeamsConfigError } from './config.js';
export { renderCard, renderMessages, CARD_MAX_BYTES, TEAMS_MESSAGE_MAX_BYTES, type TeamsMessage } from './render.js';
export { stripMentions } from './text.js';
export { TEAMS_PLATFORM, type TeamsAddress } from './inbound.js';
