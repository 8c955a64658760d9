/**
 * Reads one question in the light of its conversation, around the classifier's verdict:
 *  - learns what the message states (hosts and their roles, vendor, IKE version, timing clue);
 *  - answers at once what needs no topic: a platform follow-up ("and on BIND?") or a fact question
 *    ("phase 2 lifetime?", "AES-GCM ok?") with its direct answer first;
 *  - re-routes when the message changes the picture (a host turns out to be a cloud database) or carries a
 *    timing clue that points at one timer;
 *  - decorates the final reply: an explicit "Switching to ..." when the topic changes, the clue it used,
 *    and what the user said earlier that qualifies the answer.
 */
import type { KnowledgeBase } from '../knowledge/loader.js';
import type { Topic } from '../knowledge/schema.js';
import type { Classification } from '../nlu/types.js';
import type { Reply, ReplyFact, ReplyStep } from '../reply/reply.js';
import { timingClue, type TimingClue } from './clues.js';
import { describeRole, learn, learnt, topicForRole, type ConversationFacts } from './conversation-state.js';
import { DirectAnswerer, type DirectAnswer } from './direct-answer.js';
import { directAnswerReply } from './direct-answer-reply.js';
import { ellipsisOf, swapSlot } from './fact-follow-up.js';
import { askedPlatform, platformReply } from './platform-follow-up.js';
import type { Session } from './session.js';

/** Above this, the classifier's own topic beats a re-route by host role or timing clue. */
const CONFIDENT_OTHERWISE = 0.5;
/**
 * An off-topic message still gets a direct answer only when the fact covers nearly all of it, with more
 * than one common word ("quanto tempo lifetime fase 2?" yes, "what time is lunch" no).
 */
const OFF_TOPIC_COVERAGE = 0.8;
const OFF_TOPIC_SCORE = 3.5;

export interface TurnReading {
  /** A finished reply (platform follow-up, direct answer); the caller returns it as is. */
  reply: Reply | null;
  /** The classification to act on: the classifier's, or re-routed by state or clue. */
  classification: Classification;
  /** The direct answer, when the message was a fact question (also when the reply is the topic). */
  direct: DirectAnswer | null;
  clue: TimingClue | null;
  /** When the reading asks back: what it needs to know (the summary of the choices reply). */
  askBack: string | null;
}

/** The requirements checklist: the reference every fact comes back to, not a problem of its own. */
const GENERIC_TOPIC = 'vpn-requirements';
// A message that only reports what works ("tunnel up, pings to your dns ok") adds to the conversation; it
// does not open a new problem.
const WORKS_RE = /\b(?:ok|okay|fine|works?|working|up|reachable|succeeds?|resolves?|answers?|replies)\b/i;
const FAILS_RE =
  /\b(?:cannot|can'?t|not|no|fail\w*|time[sd]?\s*out|unreachable|doesn'?t|don'?t|won'?t|dead|down|drops?|broken|error|refused|stuck|nothing|never|lost)\b/i;

const FILLER_RE = /^(?:(?:ok(?:ay)?|so|and|well|right|hmm+|yes|yeah)[,.!\s]+)+/i;
const ASKING_RE = /^(?:how|what|which|why|where|when|who|can|could|should|shall|do|does|did|is|are|will|would)\b/i;

/** "tunnel up, pings to your dns ok from our side": says what works, asks nothing, reports no failure. */
function isStatusReport(text: string): boolean {
  const rest = text.trim().replace(FILLER_RE, '');
  return !rest.includes('?') && !ASKING_RE.test(rest) && WORKS_RE.test(rest) && !FAILS_RE.test(rest);
}

/** A statement of what the user has or did, not a question and not a request for the checklist. */
function isStatement(text: string): boolean {
  const rest = text.trim().replace(FILLER_RE, '');
  return (
    !rest.includes('?') &&
    !ASKING_RE.test(rest) &&
    !/\b(?:requirements?|checklist|list|spec\w*|supported|need|send|give|share)\b/i.test(rest)
  );
}

/** A ping topic this sure came from words about the host, even when no role rule caught them. */
const PING_GUESS = 0.9;

/** Ping topics that depend on what the pinged host is. */
const PING_TOPICS = ['ping-front-ends-blocked', 'ping-cloud-dns', 'external-database-access'];

export class TurnReader {
  private readonly answerer: DirectAnswerer;

  constructor(private readonly kb: KnowledgeBase) {
    this.answerer = new DirectAnswerer(kb);
  }

  read(text: string, c: Classification, session: Session): TurnReading {
    const state = learnt(session);
    const clue = timingClue(text, c.entities, this.kb.requirements);
    const learned = learn(state, text, c.entities, clue);
    const current = session.currentTopic ? this.kb.byId.get(session.currentTopic) : undefined;
    const none = { reply: null, classification: c, direct: null, clue, askBack: null };
    if (c.kind === 'smalltalk') return none;

    const platform = current ? askedPlatform(text) : null;
    if (current && platform && (c.kind !== 'topic' || c.topic === current.id || c.confidence < CONFIDENT_OTHERWISE)) {
      return { ...none, reply: platformReply(this.kb, current, platform) };
    }

    // "what about phase 2?" after "phase 1 lifetime?": the earlier question with the slot swapped.
    const previousFact = state.lastFactQuestion;
    state.lastFactQuestion = null;
    const rest = previousFact ? ellipsisOf(text) : null;
    const expanded = rest && previousFact ? swapSlot(previousFact, rest) : null;
    const question = expanded ?? text;
    const direct = this.answerer.answer(question, [session.currentTopic, c.kind === 'off-topic' ? null : c.topic]);
    if (
      direct &&
      (expanded ||
        c.kind !== 'off-topic' ||
        direct.basis === 'policy' ||
        (direct.coverage >= OFF_TOPIC_COVERAGE && direct.score >= OFF_TOPIC_SCORE))
    ) {
      state.lastFactQuestion = question;
      // The fact answers the question; the topic offered with it is the conversation's when the classifier
      // keeps it, else the classifier's when it is sure, else the topic that states the fact.
      // The requirements topic is the generic reference: it never takes a conversation away from its topic,
      // and a fact stated by a specific topic says more than the classifier's guess.
      const sure = c.kind === 'topic' && c.confidence >= CONFIDENT_OTHERWISE ? c.topic : null;
      const keeps =
        current && (expanded !== null || c.kind === 'follow-up' || c.topic === current.id || sure === null || sure === GENERIC_TOPIC)
          ? current.id
          : null;
      // The requirement tables' own mapping to a topic (keep-alive, DNS, redundancy, routing) is deliberate;
      // a topic that merely repeats a fact in its list is not evidence against the classifier.
      const specific =
        direct.topic !== GENERIC_TOPIC && (direct.topicBy === 'group' || direct.topicBy === 'preferred') ? direct.topic : null;
      const topicId = keeps ?? specific ?? sure ?? direct.topic;
      const topic = topicId ? this.kb.byId.get(topicId) : undefined;
      return { ...none, direct, reply: directAnswerReply(this.kb, direct, topic, c) };
    }

    // "we propose aes256-sha1-dh5" while troubleshooting phase 1: a detail stated in the requirements' words,
    // not a request for the requirements checklist.
    if (current && current.id !== GENERIC_TOPIC && c.kind === 'topic' && c.topic === GENERIC_TOPIC && isStatement(text)) {
      return { ...none, classification: { ...c, kind: 'follow-up', topic: current.id } };
    }
    if (current && c.topic !== current.id && c.kind !== 'off-topic' && isStatusReport(text)) {
      return { ...none, classification: { ...c, kind: 'follow-up', topic: current.id } };
    }

    // Re-route: a host's role decides between the ping topics; a timing clue names its timer's topic.
    const unsure = c.kind !== 'topic' || c.confidence < CONFIDENT_OTHERWISE;
    const byRole = learned.role && state.symptom ? topicForRole(learned.role, state.symptom) : null;
    if (byRole && (unsure || learned.changesPicture || c.topic === byRole) && c.kind !== 'off-topic') {
      return { ...none, classification: routed(c, byRole) };
    }
    if (clue && (unsure || c.topic === clue.topic) && c.kind !== 'off-topic' && this.kb.byId.has(clue.topic)) {
      return { ...none, classification: routed(c, clue.topic) };
    }
    // "can't ping 10.0.3.15": which section applies depends on what 10.0.3.15 is, and no words said it (the
    // role would be known). Ask, with the choices in the order of how likely an arbitrary cloud address is
    // each: most are front-ends and databases, two are DNS servers.
    const host = state.hosts.at(-1);
    const pingGuess = [c.topic, ...c.alternatives.map((a) => a.topic)].find((t) => t !== null && PING_TOPICS.includes(t));
    if (
      state.symptom === 'ping' &&
      host?.role === 'unknown' &&
      c.entities.ipv4.includes(host.address) &&
      pingGuess &&
      c.confidence < PING_GUESS
    ) {
      const [first, ...alternatives] = PING_TOPICS.map((t) => ({ topic: t, confidence: t === c.topic ? c.confidence : 0 }));
      return {
        ...none,
        classification: { ...c, kind: 'ambiguous', topic: first!.topic, alternatives },
        askBack: `What is ${host.address}: an OutSystems Cloud DNS server, a front-end or database in the cloud, or a system on your side? Each answers ping differently. Pick one, or just tell me.`,
      };
    }
    return none;
  }

  /** Adds to a topic reply what the conversation knows: a topic switch, the clue used, stated facts. */
  decorate(r: Reply, previousTopic: string | null, reading: TurnReading, session: Session): Reply {
    if (r.kind !== 'answer' || !r.topic) return r;
    const topic = this.kb.byId.get(r.topic);
    if (!topic) return r;
    const notes: string[] = [];
    const previous = previousTopic ? this.kb.byId.get(previousTopic) : undefined;
    if (previous && previous.id !== topic.id) notes.push(`Switching to ${topic.title} (from ${previous.title}).`);
    if (reading.clue && reading.clue.topic === topic.id) notes.push(reading.clue.explanation);
    const state = learnt(session);
    const qualifier = qualify(topic, state);
    if (qualifier) notes.push(qualifier);
    return {
      ...r,
      summary: notes.length > 0 ? `${notes.join(' ')} ${r.summary}` : r.summary,
      steps: preferVendor(r.steps, state.vendor),
      facts: [...r.facts, ...statedFacts(state)],
    };
  }
}

function routed(c: Classification, topic: string): Classification {
  const alternatives = [
    ...(c.topic && c.topic !== topic ? [{ topic: c.topic, confidence: c.confidence }] : []),
    ...c.alternatives.filter((a) => a.topic !== topic),
  ].slice(0, 2);
  return { ...c, kind: 'topic', topic, confidence: Math.max(c.confidence, CONFIDENT_OTHERWISE), alternatives };
}

/** Facts stated earlier that change how this topic's advice applies. */
function qualify(topic: Topic, state: ConversationFacts): string | null {
  if (topic.id === 'ikev2-hourly-drop' && state.ikeVersion === 1) {
    return 'You said the tunnel runs IKEv1: the guide documents the hourly drop for IKEv2, so check first that both sides use the same phase 2 lifetime.';
  }
  if (topic.id === 'ikev2-hourly-drop' && state.ikeVersion === 2)
    return 'You said the tunnel runs IKEv2, which is the case this workaround is for.';
  const host = state.hosts.at(-1);
  if (
    host &&
    host.role !== 'unknown' &&
    (topic.id === 'ping-front-ends-blocked' || topic.id === 'ping-cloud-dns' || topic.id === 'external-database-access')
  ) {
    const by =
      topic.id === 'ping-cloud-dns'
        ? ''
        : host.role === 'cloud-database' || host.role === 'front-end'
          ? ' It never answers ping, by design.'
          : '';
    return `You said ${host.address} is ${describeRole(host.role)}.${by}`;
  }
  return null;
}

function statedFacts(state: ConversationFacts): ReplyFact[] {
  const facts: ReplyFact[] = [];
  for (const h of state.hosts) if (h.role !== 'unknown') facts.push({ label: `You said ${h.address}`, value: describeRole(h.role) });
  if (state.vendor) facts.push({ label: 'Your gateway', value: state.vendor });
  if (state.ikeVersion) facts.push({ label: 'Your IKE version', value: `IKEv${state.ikeVersion}` });
  return facts;
}

/**
 * With a known vendor, a step's device lines for other vendors are noise: keep that vendor's (and every
 * OS-shell line); a step with nothing for the vendor keeps all its snippets.
 */
function preferVendor(steps: ReplyStep[], vendor: string | null): ReplyStep[] {
  if (!vendor) return steps;
  const key = vendor.toLowerCase().split(/\s+/)[0]!;
  return steps.map((s) => {
    if (!s.snippets) return s;
    const mine = s.snippets.filter((sn) => sn.platform.toLowerCase().includes(key));
    if (mine.length === 0) return s;
    return { ...s, snippets: s.snippets.filter((sn) => sn.kind === 'shell' || sn.platform.toLowerCase().includes(key)) };
  });
}
