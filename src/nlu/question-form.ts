/**
 * The form of a question, which decides whether a direct answer fits: a value question ("which port for
 * NAT-T?"), a choice ("ESP or AH?"), a polar yes/no question ("is PFS required?"), or none of these (a
 * symptom, a request, a causal "is that why ...?" that needs the whole topic).
 */
export type QuestionForm = 'value' | 'choice' | 'polar';

/** What kind of value the question asks for, when it says so. */
export type AskedValue = 'number' | 'port' | 'any';

export interface QuestionShape {
  form: QuestionForm;
  asks: AskedValue;
}

const POLAR_START_RE =
  /^(?:(?:hi|hello|hey|ok|so|and|also|quick\s+question)[,:\s-]+)*(?:on\s+an?\s+[\w\s-]{1,30}?,?\s+)?(?:is|are|does|do|did|can|could|should|must|will|would|may|has|have|need)\b(?!n?'t\b|\s+not\b|not\b)/i;
const WH_WORDS = String.raw`(?:what|what's|whats|which|how\s+(?:many|much|long|often)|every\s+how|who|whom|when|where)`;
// A wh-word opens the question (within its first words) or the message ends with "?": "tell me where I do
// it" is a request, "every how many seconds?" a question.
const WH_OPENING_RE = new RegExp(String.raw`^(?:[\w'/-]+[\s,]+){0,3}?${WH_WORDS}\b`, 'i');
const WH_ANYWHERE_RE = new RegExp(String.raw`\b${WH_WORDS}\b`, 'i');
// "is that why ...", "could this be the reason": the user wants a diagnosis, not a rule.
const CAUSAL_RE =
  /\b(?:is|could|would|can|might)\s+(?:that|this|it)\s+(?:be\s+)?(?:why|the\s+(?:reason|cause|problem|issue))\b|\bwhy\b|\brelated\b|\bcaus(?:e|es|ed|ing)\b/i;
// Questions about procedure ("how do I", "where do I change") are the topic's steps, not a value.
const PROCEDURE_RE =
  /\bhow\s+(?:do|can|should|to|would)\b|\bwhere\s+(?:do|can|should)\b|\bsteps?\b|\bguide\b|\bprocedure\b|\bwhat\s+(?:should|do|can)\s+(?:i|we)\s+(?:do|check|look|try|include|attach)\b/i;
const NUMBER_RE =
  /\bhow\s+(?:many|much|long|often)\b|\bevery\s+how\b|\b(?:max(?:imum)?|min(?:imum)?|highest|lowest|limit|number\s+of|seconds?|secs?|minutes?|mins?|hours?|hrs?|life\s*time|interval|mss|mtu|asn|version|size)\b/i;
const SYMPTOM_RE =
  /\b(?:drops?|dropp\w+|down|fail\w*|flap\w*|disconnect\w*|cannot|can't|not|no|error|time[sd]?\s*out|unreachable|broken|stuck|dies|lost|bounc\w*|since)\b/i;
const PORT_RE = /\bports?\b/i;
const PREDICATE_RE =
  /\b(?:allowed|supported|accepted|ok|okay|fine|valid|correct|right|good|required|mandatory|permitted|possible|enabled|blocked|filtered)\b/i;

const VALUE_NOUN_RE = /\b(?:method|type|kind|algorithms?|ciphers?|settings?|parameters?|values?)\b/i;

const MAX_WORDS = 22;

/** The question's shape, or null when a direct answer would not fit the message. */
export function questionShape(text: string): QuestionShape | null {
  const t = text.trim();
  // A fact question is short; a long message describes a situation, even when it ends with a question.
  if (t.length === 0 || t.length > 220 || t.split(/\s+/).length > MAX_WORDS) return null;
  if (CAUSAL_RE.test(t) || PROCEDURE_RE.test(t)) return null;
  const asks: AskedValue = PORT_RE.test(t) ? 'port' : NUMBER_RE.test(t) ? 'number' : 'any';
  const question = t.endsWith('?');
  const wh = WH_OPENING_RE.test(t) || (question && WH_ANYWHERE_RE.test(t));
  if (/\S\s+or\s+\S[^?]*\?\s*$/.test(t) && !wh && !/\bor\s+not\b/i.test(t)) return { form: 'choice', asks };
  if (POLAR_START_RE.test(t)) return { form: 'polar', asks };
  if (wh) return { form: 'value', asks };
  // Without a question mark, a short phrase naming a value ("ike port", "oracle db port to allow") asks
  // for it; a statement of a symptom ("the tunnel drops every 60 minutes") does not.
  if (asks !== 'any' && (question || (t.split(/\s+/).length <= 10 && !SYMPTOM_RE.test(t)))) {
    return { form: PREDICATE_RE.test(t) ? 'polar' : 'value', asks };
  }
  // "aes-256 allowed?", "IPv6?", "group 5 on phase 1?": a short question naming one thing; "authentication
  // method?" names a kind of value, not one to judge.
  if (question && t.split(/\s+/).length <= 7) return { form: VALUE_NOUN_RE.test(t) && !PREDICATE_RE.test(t) ? 'value' : 'polar', asks };
  return null;
}
