import { Assistant, type HandleHooks, type Inbound } from '../conversation/assistant.js';
import type { Reply } from '../reply/reply.js';

export type { HandleHooks, Inbound };
export type { InboundFile, SkippedFile } from '../conversation/inbound-file.js';

/** What the turn engine needs of the conversation core: one message in, one Reply out. */
export interface ConversationCore {
  handle(inbound: Inbound, hooks?: HandleHooks): Promise<Reply>;
}

/** The conversation a message belongs to: the same key the core keeps its session under. */
export function conversationKey(inbound: Inbound): string {
  return Assistant.conversationKey(inbound);
}
