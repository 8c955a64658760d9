/**
 * The chat turn engine: one message of any chat platform in, its answer shown there. Adapters give it a
 * ChatPort per turn (render, post, update) and translate; everything about a turn's lifecycle lives here.
 */
export { AnswerPacer } from './answer-pacer.js';
export { CONTINUATION_TTL_MS, Continuations } from './continuations.js';
export { conversationKey, type ConversationCore, type HandleHooks, type Inbound } from './core.js';
export { Deliveries } from './deliveries.js';
export { failureReply, workingReply } from './failure-reply.js';
export { paginate, type PageBudget, type PagePlan } from './paginate.js';
export type { ChatPort, WriteContext } from './port.js';
export { TurnEngine, type Turn, type TurnEngineOptions, type TurnHandle } from './turn-engine.js';
export type { InboundFile, SkippedFile } from './core.js';
export { downloadFile, type DownloadRequest, type DownloadResult } from './file-download.js';
export {
  DEFAULT_FILE_LIMITS,
  decodeText,
  refuseBeforeDownload,
  TEXT_EXTENSIONS,
  type FileDescription,
  type FileLimits,
} from './file-text.js';
export { filesFields, readSharedFiles, type ReadFiles, type SharedFile } from './inbound-files.js';
