/**
 * Elliptical follow-ups to a fact question: after "phase 1 lifetime?", "what about phase 2?" asks the same
 * thing of phase 2; after "is group 19 ok for phase 1?", "and for phase 2?" asks it of phase 2; after
 * "ike port?", "and in minutes?" would change nothing. The follow-up names a slot (a phase, a unit) of the
 * earlier question: the earlier question is asked again with that slot swapped.
 *
 * A follow-up that stands on its own ("and 3des?", "what about IKEv1?") is answered by itself; this only
 * fills in what the short message leaves out.
 */

// "what about X?", "and X?", "and for X?", "how about X", "same for X", "for X?", "in X?"
const ELLIPSIS_RE =
  /^\s*(?:(?:ok(?:ay)?|so|and|also|but|hmm+)[,\s]+)?(?:what\s+about|how\s+about|and\s+(?:for|on|in|with|about)|and|same\s+(?:for|on|in)|for|in|with)\s+(.+?)\s*\??\s*$/i;
const MAX_REST_WORDS = 5;
const UNIT_ONLY_RE = /^(?:in\s+)?(?:seconds?|secs?|minutes?|mins?|hours?|hrs?)$/i;

/** Kinds of slot a question can have, each with the phrases that fill it. */
const SLOTS: RegExp[] = [
  // the phase
  /\bphase[\s-]*(?:1|2|one|two|i{1,2})\b|\bp[12]\b|\bike(?:[\s_-]*sa)?\b(?!v)|\bisakmp\b|\bipsec[\s-]+sas?\b|\bchild[\s_-]*sas?\b|\bquick[\s-]+mode\b|\bmain[\s-]+mode\b/gi,
  // the unit asked for
  /\b(?:in\s+)?(?:seconds?|secs?|minutes?|mins?|hours?|hrs?)\b/gi,
];

/** What a short follow-up adds ("phase 2" of "what about phase 2?"), or null when it is not one. */
export function ellipsisOf(text: string): string | null {
  const m = ELLIPSIS_RE.exec(text);
  if (!m) return null;
  const rest = m[1]!.trim();
  return rest.split(/\s+/).length <= MAX_REST_WORDS ? rest : null;
}

/**
 * The earlier question with the follow-up's slot swapped in ("phase 1 lifetime?" + "phase 2" -> "phase 2
 * lifetime?"), or null when the follow-up fills no slot the earlier question had.
 */
export function swapSlot(previous: string, rest: string): string | null {
  // "in minutes?" after "phase 1 lifetime?": the same fact in another unit.
  if (UNIT_ONLY_RE.test(rest)) return `${previous.replace(/\?\s*$/, '')} in ${rest.replace(/^in\s+/i, '')}`;
  for (const slot of SLOTS) {
    const inRest = rest.match(slot);
    if (!inRest) continue;
    slot.lastIndex = 0;
    if (!slot.test(previous)) {
      slot.lastIndex = 0;
      continue;
    }
    slot.lastIndex = 0;
    let done = false;
    const swapped = previous.replace(slot, () => {
      if (done) return '';
      done = true;
      return inRest.join(' ');
    });
    slot.lastIndex = 0;
    return swapped.replace(/\s{2,}/g, ' ').trim();
  }
  return null;
}
