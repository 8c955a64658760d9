import { FamilyVote } from './family.js';

/**
 * Whether a chat message carries log lines (to be analysed, not classified as a question): at least one
 * line with a VPN log family's mark, or two lines that start with a timestamp and mention IKE/IPsec words.
 */
export function looksLikeLog(text: string): boolean {
  const lines = text.split('\n', 500);
  const vote = new FamilyVote();
  let stamped = 0;
  for (const line of lines) {
    vote.add(line);
    if (
      /^\s*(?:<\d+>)?(?:\d{4}[-/]\d{2}[-/]\d{2}|[A-Z][a-z]{2}\s+\d{1,2}\s+\d{2}:\d{2}:\d{2})/.test(line) &&
      /\b(?:IKE|ISAKMP|IPsec|ESP|SA|phase ?[12]|tunnel|peer|DPD)\b/i.test(line)
    )
      stamped += 1;
  }
  // One short question that merely names an error ("NO_PROPOSAL_CHOSEN, what now?") stays a question.
  if (lines.length === 1 && text.length < 120 && !/%[A-Z]+-\d-|\[\w{3}\]|logid=|kmd\[|pluto\[|charon/.test(text)) return false;
  return vote.marked > 0 || stamped >= 2;
}
