/**
 * Conversation moves that are not questions about a topic:
 *  - smalltalk: greetings, thanks, goodbyes, "who are you" -> a short friendly help reply;
 *  - follow-ups: "still failing", "what next?", "we're on Sentry", "didn't help" -> keep the current topic.
 *
 * Rules rather than a model: these are a closed set of idioms, and a wrong guess costs little (the
 * classifier still runs on whatever else the message says).
 */

// Phrases that, on their own, make a message smalltalk. Removed from the text one by one; if nothing of
// substance remains, the message was smalltalk.
const SMALLTALK_PHRASES: RegExp[] = [
  /\b(?:hi|hii+|hello|hey|heya|hiya|yo|howdy|greetings|hallo|ola|olá|bom dia)\b(?:\s+(?:there|all|everyone|team|folks|guys|bot|vpn[- ]?doctor|doctor))?/g,
  /\b(?:good\s+)?(?:morning|afternoon|evening)\b(?:\s+(?:team|all|everyone|folks|guys))?|\bgood\s+(?:night|day)\b/g,
  /\b(?:thanks?|thank\s+(?:you|u)|thx|thnx|tks|ty|cheers|ta|much\s+appreciated|appreciate\s+it|merci|obrigad[oa])\b(?:\s+(?:a\s+lot|so\s+much|very\s+much|again|mate|man|buddy|bot|heaps|a\s+bunch))*/g,
  /\b(?:bye|goodbye|good\s+bye|see\s+(?:you|ya)(?:\s+(?:later|tomorrow|soon))?|later|cya|ttyl|have\s+a\s+(?:nice|good|great)\s+(?:day|one|weekend|evening))\b/g,
  /\bwho\s+(?:are|r)\s+(?:you|u)\b|\bwhat\s+(?:are|r)\s+(?:you|u)\b|\bare\s+(?:you|u)\s+(?:a\s+)?(?:real\s+)?(?:bot|human|person|robot|ai)\b|\bwhat(?:'s|\s+is)\s+your\s+name\b/g,
  /\bwhat\s+(?:can|do)\s+(?:you|u)\s+(?:do|help(?:\s+(?:me\s+)?with)?)\b|\bhow\s+(?:can|do)\s+(?:i|we)\s+use\s+(?:you|this\s+bot)\b|^\s*(?:help|\?|menu|usage|commands)\s*$/g,
  /\bhow\s+(?:are|r)\s+(?:you|u)(?:\s+(?:today|doing))?\b|\bhow(?:'s|\s+is)\s+it\s+going\b|\bwhat'?s\s+up\b|\bsup\b/g,
  /\b(?:ok(?:ay)?|k|kk|cool|great|nice|awesome|perfect|sweet|got\s+it|understood|noted|sure|alright|all\s+right|fine|good|excellent|brilliant|lol|lmao|haha+|hehe+|:\)|:d|wow)\b/g,
  /\b(?:you(?:'re|\s+are)|u\s+r|ur)\s+(?:awesome|great|the\s+best|a\s+star|amazing|helpful|smart)\b/g,
  /\b(?:that|this|it)\s+(?:fixed|solved|resolved|did)\s+(?:it|the\s+(?:issue|problem|trick))\b|\b(?:it'?s\s+)?(?:working|works)\s+now\b|\ball\s+good(?:\s+now)?\b|\bproblem\s+solved\b/g,
  /\b(?:mate|man|buddy|bot|everyone|all|team|folks|guys|again|a\s+lot|so\s+much|today|there|please|pls)\b/g,
];

/** True when the message is only greetings/thanks/chatter (nothing about a problem remains). */
export function isSmalltalk(text: string): boolean {
  let s = ` ${text
    .toLowerCase()
    .normalize('NFKC')
    .replace(/[\u2018\u2019]/g, "'")} `;
  if (s.trim().length === 0) return false;
  // Emoticons and emoji only (":)", "👍"): chatter, there is nothing to classify.
  if (!/[\p{L}\p{N}]/u.test(s)) return true;
  const original = s;
  for (const re of SMALLTALK_PHRASES) s = s.replace(re, ' ');
  if (s === original) return false;
  // What is left must be punctuation, emoji or filler.
  const rest = s.replace(/[\p{P}\p{S}\s]+/gu, ' ').trim();
  return (
    rest.length === 0 ||
    /^(?:and|so|oh|ah|well|yeah|yes|no|nope|yep|just|very|much|really|again|for\s+that|for\s+(?:the\s+)?help|for\s+this)$/.test(rest)
  );
}

// Follow-up idioms: they only make sense as a reply within a conversation.
const FOLLOW_UP_RE = new RegExp(
  [
    String.raw`\bstill\s+(?:failing|fails|broken|down|not\s+working|doesn'?t\s+work|does\s+not\s+work|the\s+same|same|happening|dropping|no\s+(?:luck|joy|change|good)|nothing|an?\s+(?:issue|problem))\b`,
    String.raw`\b(?:did|does|do)\s*(?:n'?t|\s+not)\s+(?:help|work|fix|change|solve)\b`,
    String.raw`\b(?:no|zero)\s+(?:luck|joy|change|difference|improvement)\b`,
    String.raw`\b(?:what(?:'s|\s+is)?\s+next|now\s+what|what\s+else|what\s+now|next\s+steps?|then\s+what|what\s+should\s+i\s+do\s+next|any\s+other\s+(?:ideas?|suggestions?|options?)|anything\s+else\s+(?:i|we)\s+(?:can|could|should)\s+(?:try|check|do))\b`,
    String.raw`\b(?:tried|done|did|checked)\s+(?:that|this|it|those|all\s+(?:of\s+)?(?:that|those|them|the\s+steps))(?:\s+already)?\b`,
    String.raw`\bsame\s+(?:error|issue|problem|result|thing|behaviou?r|message)\b`,
    String.raw`\b(?:we(?:'re|\s+are)|i'?m|i\s+am|it(?:'s|\s+is))\s+(?:on|using|running)\b`,
    String.raw`\bwe\s+(?:use|run|have)\s+(?:a|an|the)?\s*\w+`,
    String.raw`\b(?:it\s+)?didn'?t\s+(?:help|work)\b|\bnot\s+(?:helpful|working\s+yet)\b|\bno\s+change\b`,
    String.raw`\b(?:ok(?:ay)?|done|right),?\s+(?:and\s+)?(?:then|now)\b`,
    String.raw`\b(?:tell|show)\s+me\s+more\b|\bmore\s+details?\b|\bexplain\s+(?:that|more|further)\b|\bwhy\s+(?:is\s+that|so)\b|\bhow\s+(?:do\s+i|to)\s+do\s+(?:that|this|it)\b`,
    String.raw`^\s*(?:and|but|also|what\s+about|how\s+about|what\s+if)\b`,
    String.raw`^\s*(?:yes|no|yep|nope|yeah|nah)\b`,
  ].join('|'),
  'i',
);

/** True when the message reads like a reply within an ongoing troubleshooting conversation. */
export function looksLikeFollowUp(text: string): boolean {
  return FOLLOW_UP_RE.test(text);
}
