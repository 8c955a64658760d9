/** What the classifier found in a message, beyond the topic. Feeds scoring and prefills probe checks. */
export interface Entities {
  ipv4: string[];
  cidrs: string[];
  fqdns: string[];
  /** Durations mentioned ("every 60 minutes", "hourly", "3600 s"), normalised to seconds. */
  durations: { text: string; seconds: number }[];
  ikeVersion: 1 | 2 | null;
  ports: { port: number; protocol: 'tcp' | 'udp' | null }[];
  /** Protocol names: udp, tcp, icmp, esp, ike, bgp, dns, nat-t ... */
  protocols: string[];
  /** Canonical vendor/product names: "Cisco ASA", "Palo Alto", "FortiGate", "strongSwan" ... */
  vendors: string[];
  /** Canonical log signatures: "NO_PROPOSAL_CHOSEN", "AUTHENTICATION_FAILED", "TS_UNACCEPTABLE" ... */
  signatures: string[];
}

export interface TopicScore {
  topic: string;
  confidence: number;
}

/**
 * - `topic`: confident about one topic.
 * - `ambiguous`: about the VPN, but the top topics are too close: ask the user to choose.
 * - `follow-up`: continues the current conversation ("still failing", "what next?"): keep its topic.
 * - `smalltalk`: greetings, thanks: a short friendly reply.
 * - `off-topic`: not about the VPN.
 */
export type ClassificationKind = 'topic' | 'ambiguous' | 'follow-up' | 'smalltalk' | 'off-topic';

export interface Classification {
  kind: ClassificationKind;
  /** Best topic id; null when off-topic or smalltalk (and for a follow-up without context). */
  topic: string | null;
  /** 0..1 confidence of `topic` (or of the off-topic decision when topic is null). */
  confidence: number;
  /** The next best topics, best first (excluding `topic`). */
  alternatives: TopicScore[];
  entities: Entities;
  /** Which engine answered: "local", or "llm:<provider>" when an LLM did. */
  engine: string;
}

/** Conversation state a classifier may use (follow-ups keep the current topic). */
export interface ClassifyContext {
  currentTopic?: string | null;
}

export interface IntentClassifier {
  classify(text: string, context?: ClassifyContext): Promise<Classification>;
}
