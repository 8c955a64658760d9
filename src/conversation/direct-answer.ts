/**
 * Direct answers: a question about a requirement, a number, a port or a yes/no rule gets its answer first,
 * in one to three sentences, from the requirement tables and the topic facts ("Phase 2 lifetime: 3600 s
 * (60 min). With IKEv2 tunnels that drop every 60 minutes, set 51 min (3060 s) as workaround."). Polar
 * questions start with "Yes." or "No." and then give the rule. The topic stays available on demand.
 *
 * Nothing here knows any particular question: the answer is whichever fact of the knowledge base the
 * question's terms point at, and only when the match is strong enough to be worth saying first.
 */
import type { KnowledgeBase } from '../knowledge/loader.js';
import { FactIndex, type FactEntry, type FactMatch } from '../nlu/fact-index.js';
import { factTerms } from '../nlu/fact-terms.js';
import { questionShape, type QuestionShape } from '../nlu/question-form.js';
import { conversionAnswer, lifetimeAnswer } from './duration-answer.js';
import { policyAnswer } from './policy-answer.js';

export interface DirectAnswer {
  /** What to show first. */
  text: string;
  form: QuestionShape['form'];
  /** The topic that explains the answer, offered on demand. */
  topic: string | null;
  /** The fact the answer comes from ("Phase 2 (IPsec SA) / Lifetime"), or "policy" for algorithm rules. */
  basis: string;
  /** How much of the question the fact covers (1 for policy answers). */
  coverage: number;
  /** How strongly the fact matched (rarity-weighted terms in common; 0 for policy answers). */
  score: number;
  /**
   * Why `topic`: the requirement table's own mapping ("group"), a topic that lists the fact ("fact"), or
   * one of the preferred topics stating an equal fact ("preferred"); "policy" for algorithm rules.
   */
  topicBy: 'group' | 'fact' | 'preferred' | 'policy';
}

/** A matching fact within this share of the best score is as good an answer (the same fact in another topic). */
const SAME_ANSWER_SHARE = 0.85;

/** Below this share of the question's term weight, the best fact is about something else. */
const MIN_COVERAGE = 0.55;
const MIN_SCORE = 2.2;
const WHOLE_COVERAGE = 0.95;
const MIN_WHOLE_SCORE = 1.5;
const SECTION_TERMS = new Set(['p1', 'p2']);
const GENERIC_TOPIC = 'vpn-requirements';

// Words that make a statement deny what it is about.
const NEGATION_RE = /\b(?:not|never|no|cannot|can't|don't|doesn't|isn't|aren't|without|none)\b/i;
// Predicates whose "yes" means something is restricted ("is outbound traffic filtered?").
const RESTRICTIVE_RE = /\b(?:block(?:s|ed)?|filter(?:s|ed)?|den(?:y|ies|ied)|drop(?:s|ped)?|restrict(?:s|ed)?|disabled?)\b/i;
// The same predicates as a question's state ("is outbound traffic filtered?"), not an action it proposes
// ("can we restrict it with ACLs?").
const ASKS_RESTRICTION_RE = /\b(?:blocked|filtered|denied|dropped|restricted|disabled)\b/i;
const PLURAL_SUBJECT_RE =
  /\b(?:both|two|three|all|multiple|several|many|more\s+than\s+one|same\s+\w+(?:\s+\w+)?\s+(?:for|on|in)\s+(?:two|both|several|multiple|another|other))\b/i;
const SINGULAR_RE =
  /^\s*(?:1|one|a\s+single)\s+(?:\w+\s+)?(?:pair|per)\b|\b(?:only\s+one|one\s+\w+(?:\s+\w+)?\s+per|one\s+\w+\s+only|a\s+single|usable\s+by\s+one)\b/i;

/** Pairs of opposite values: a question naming one while the fact names only the other gets "No". */
const OPPOSITES: [RegExp, RegExp][] = [
  [/\bdynamic\b(?!\s+routing)|\bdhcp\b/i, /\bstatic\b(?!\s+routing)/i],
  [/\boptional\b/i, /\brequired\b|\bmust\b/i],
  [/\bipv6\b/i, /\bipv4\b/i],
];

function opposes(question: string, fact: string): boolean {
  return OPPOSITES.some(
    ([a, b]) => (a.test(question) && !a.test(fact) && b.test(fact)) || (b.test(question) && !b.test(fact) && a.test(fact)),
  );
}

export class DirectAnswerer {
  private readonly index: FactIndex;

  constructor(private readonly kb: Pick<KnowledgeBase, 'topics' | 'requirements'>) {
    this.index = new FactIndex(kb);
  }

  /**
   * `preferTopics`: topics the conversation is about, best first; when one of them states an equally good
   * fact, the answer is given in that topic instead of jumping to another that repeats it.
   */
  answer(text: string, preferTopics: (string | null)[] = []): DirectAnswer | null {
    const shape = questionShape(text);
    if (!shape) return null;
    if (shape.form !== 'value') {
      const policy = lifetimeAnswer(this.kb.requirements?.policy, text) ?? policyAnswer(this.kb.requirements?.policy, text);
      if (policy) {
        const topic =
          preferTopics.find((t) => t === 'vpn-requirements' || t === 'phase1-ike-failure' || t === 'phase2-ipsec-failure') ??
          'vpn-requirements';
        return { text: policy, form: shape.form, topic, basis: 'policy', coverage: 1, score: 0, topicBy: 'policy' };
      }
    }
    const matches = this.index.search(text, shape.asks, 12);
    const best = matches[0];
    const conversion = conversionAnswer(text);
    if (conversion) {
      // "how many seconds is 51 minutes?": the arithmetic first, then the fact it is about, if one fits.
      const fact = best && best.coverage >= MIN_COVERAGE && best.score >= MIN_SCORE ? best : null;
      return {
        text: fact ? `${conversion} ${sentence(fact.entry)}` : conversion,
        form: shape.form,
        topic: fact?.entry.topic ?? preferTopics.find((t) => t !== null) ?? GENERIC_TOPIC,
        basis: 'conversion',
        coverage: 1,
        score: fact?.score ?? 0,
        topicBy: 'policy',
      };
    }
    // A one-word question the fact covers whole ("how many tunnels do we get?") is as clear as a long one.
    // A phase alone ("what about phase 2?") names a section of the tables, not one fact.
    const whole =
      best !== undefined &&
      best.coverage >= WHOLE_COVERAGE &&
      best.score >= MIN_WHOLE_SCORE &&
      factTerms(text).some((t) => !SECTION_TERMS.has(t));
    if (!best || best.coverage < MIN_COVERAGE || (best.score < MIN_SCORE && !whole)) return null;
    const statement = sentence(best.entry);
    const basis = best.entry.group ? `${best.entry.group} / ${best.entry.label}` : best.entry.label;
    const equal = matches.filter((m) => m.score >= best.score * SAME_ANSWER_SHARE).map((m) => m.entry.topic);
    const preferred = preferTopics.find((t) => t !== null && equal.includes(t));
    const topic = preferred ?? best.entry.topic;
    const topicBy = preferred ? 'preferred' : best.entry.source === 'requirements' ? 'group' : 'fact';
    const base = { form: shape.form, topic, basis, coverage: best.coverage, score: best.score, topicBy } as const;
    if (shape.form === 'polar') return { ...base, text: `${polarity(text, best) ? 'Yes' : 'No'}. ${statement}` };
    return { ...base, text: statement };
  }
}

/** "Label: value. Notes." with the punctuation a chat line needs. */
function sentence(e: FactEntry): string {
  const end = (s: string) => (/[.!?]$/.test(s.trim()) ? s.trim() : `${s.trim()}.`);
  return [end(`${e.label}: ${e.value}`), e.notes ? end(e.notes) : ''].filter(Boolean).join(' ');
}

/**
 * Whether the fact says yes to the question: the clause of the fact that shares most terms with the
 * question, negated or not, against whether the question asks about a restriction.
 */
function polarity(question: string, match: FactMatch): boolean {
  const e = match.entry;
  const q = new Set(factTerms(question));
  // Commas separate conditions ("0-65535, not already in use, not reserved"): a "not" in one of them does
  // not deny the whole fact.
  const clauses = `${e.value}; ${e.notes ?? ''}`
    .split(/[;.,]\s+|;\s*|\.\s*$/)
    .map((c) => c.trim())
    .filter(Boolean);
  let best = clauses[0] ?? e.value;
  let bestOverlap = -1;
  for (const c of clauses) {
    const overlap = factTerms(`${c}`).filter((t) => q.has(t)).length;
    if (overlap > bestOverlap) {
      best = c;
      bestOverlap = overlap;
    }
  }
  const clause = `${e.label}: ${best}`;
  let negative = NEGATION_RE.test(best) || RESTRICTIVE_RE.test(best);
  const only = /\bonly\b(.*)$/i.exec(best);
  if (!negative && only) {
    // "answered only by the cloud DNS servers": yes for the DNS servers, no for anything else;
    // "only one peer active": no when the question asks about both/all.
    const after = only[1]!;
    // "only when the device supports asymmetric routing": yes, on that condition.
    if (/^\s*(?:when|if|with)\b/i.test(after)) negative = false;
    else if (/^\s*one\b/i.test(after)) negative = PLURAL_SUBJECT_RE.test(question);
    else {
      const scope = factTerms(after);
      const subject = factTerms(question).filter((t) => !factTerms(clause.replace(/\bonly\b.*$/i, '')).includes(t));
      negative = scope.length > 0 && subject.length > 0 && !subject.some((t) => scope.includes(t));
    }
  }
  // "one public IP per VPN", "a single SA pair": no when the question asks about two or more.
  if (!negative && SINGULAR_RE.test(`${e.value} ${e.notes ?? ''}`) && PLURAL_SUBJECT_RE.test(question)) negative = true;
  // The question names the opposite of what the fact says ("a dynamic IP?" against "static public IP").
  if (!negative && opposes(question, `${e.label} ${e.value} ${e.notes ?? ''}`)) negative = true;
  const asksRestriction = ASKS_RESTRICTION_RE.test(question);
  const questionNegated = /\b(?:isn't|aren't|doesn't|don't|not)\b/i.test(question);
  return negative === (asksRestriction !== questionNegated);
}
