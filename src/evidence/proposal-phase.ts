/**
 * What the proposal lists logged next to a "no proposal chosen" say about it: which phase was negotiated (an
 * ESP/AH list is phase 2, an IKE list phase 1) and, in phase 2, whether the lists differ only in their DH
 * group (PFS). strongSwan writes them as "received proposals: ESP:AES_CBC_128/HMAC_SHA1_96/MODP_2048/NO_EXT_SEQ".
 */

export interface ProposalVerdict {
  phase: 1 | 2;
  /** Phase 2 lists that would match if the DH (PFS) group were ignored. */
  dhOnly: boolean;
}

/** Key exchange (DH) transforms in strongSwan's notation, plus the "no PFS" marker. */
const DH_TOKEN = /^(?:MODP_|ECP_|CURVE_|NEWHOPE|NTRU|ML_KEM|KE\d+_|KYBER|BRAINPOOL|X25519|X448|FRODO|BIKE|HQC|NO_DH|DH_?\d)/i;

function lists(text: string): string[][] {
  const body = text.replace(/^.*?proposals?:\s*/i, '');
  return body
    .split(/,\s*/)
    .map((p) => p.replace(/^\s*(?:IKE|ESP|AH):/i, '').split('/'))
    .filter((tokens) => tokens.length > 0 && tokens[0] !== '');
}

function withoutDh(tokens: string[]): string {
  return tokens
    .filter((t) => !DH_TOKEN.test(t))
    .sort()
    .join('/');
}

function hasDh(tokens: string[]): boolean {
  return tokens.some((t) => DH_TOKEN.test(t));
}

/** Judge from the last received and configured lists (either may be missing); undefined when none is known. */
export function judgeProposals(received?: string, configured?: string): ProposalVerdict | undefined {
  const any = received ?? configured;
  if (!any) return undefined;
  const phase2 = /\b(?:ESP|AH):/i.test(any);
  const phase1 = /\bIKE:/i.test(any);
  if (!phase2 && !phase1) return undefined;
  if (!phase2) return { phase: 1, dhOnly: false };
  if (!received || !configured) return { phase: 2, dhOnly: false };
  const r = lists(received);
  const c = lists(configured);
  const dhOnly = r.some((rt) => c.some((ct) => withoutDh(rt) === withoutDh(ct) && (hasDh(rt) || hasDh(ct))));
  return { phase: 2, dhOnly };
}
