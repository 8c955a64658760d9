/**
 * Yes/no answers about algorithms, DH groups, IKE versions and modes, judged against the machine-readable
 * `policy:` block of requirements.yaml ("AES-GCM ok?", "group 5 on phase 1?", "is aggressive mode accepted?").
 * The policy says what OutSystems accepts and what only the AWS platform underneath would take; the answer
 * says which, per phase when the question does not name one.
 */
import type { Policy, PolicyEntry } from '../knowledge/schema.js';

type Phase = 'p1' | 'p2';

interface AskedItem {
  /** How the answer names it ("AES-256", "DH group 5"). */
  name: string;
  /** The policy values that count as this item (AES-GCM is either key length). */
  values: (string | number)[];
  /** Policy parameter per phase. */
  params: Partial<Record<Phase, keyof Policy>>;
}

const PHASE1_RE = /\bphase[\s-]*(?:1|one)\b|\bp1\b|\bike\b(?!v)|\bisakmp\b|\bike[\s_-]*sa\b/i;
const PHASE2_RE = /\bphase[\s-]*(?:2|two)\b|\bp2\b|\bipsec[\s-]+sa\b|\bchild[\s_-]*sa\b|\bpfs\b|\bquick\s+mode\b/i;

function askedItems(text: string): AskedItem[] {
  const t = text.toLowerCase();
  const items: AskedItem[] = [];
  const enc = { p1: 'p1-encryption', p2: 'p2-encryption' } as const;
  const integ = { p1: 'p1-integrity', p2: 'p2-integrity' } as const;
  for (const m of t.matchAll(/\baes[\s-]?(128|192|256)?(?:[\s-]?(gcm|cbc))?\b/g)) {
    const bits = m[1];
    const gcm = m[2] === 'gcm';
    const lengths = bits ? [bits] : ['128', '256'];
    items.push({
      name: `AES${bits ? `-${bits}` : ''}${gcm ? '-GCM' : ''}`,
      values: lengths.map((b) => `aes${b}${gcm ? 'gcm' : ''}`),
      params: enc,
    });
  }
  if (!/\baes\b/.test(t) && /\bgcm\b/.test(t)) items.push({ name: 'AES-GCM', values: ['aes128gcm', 'aes256gcm'], params: enc });
  if (/\b3des\b|\btriple[\s-]?des\b/.test(t)) items.push({ name: '3DES', values: ['3des'], params: enc });
  else if (/\bdes\b/.test(t)) items.push({ name: 'DES', values: ['des'], params: enc });
  for (const m of t.matchAll(/\bsha[\s-]?(1|2|256|384|512)\b/g)) {
    const bits = m[1] === '2' ? '256' : m[1]!;
    items.push({ name: `SHA-${bits}`, values: [`sha${bits}`], params: integ });
  }
  if (/\bmd5\b/.test(t)) items.push({ name: 'MD5', values: ['md5'], params: integ });
  for (const m of t.matchAll(/\b(?:dh|diffie[\s-]?hellman|group|grp|modp)[\s-]*(?:group|grp)?[\s-]*(\d{1,2})\b/g)) {
    const n = Number(m[1]);
    items.push({ name: `DH group ${n}`, values: [n], params: { p1: 'p1-dh', p2: 'pfs' } });
  }
  if (/\baggressive\b/.test(t)) items.push({ name: 'Aggressive mode', values: ['aggressive'], params: { p1: 'ike-mode' } });
  else if (/\bmain[\s-]+mode\b/.test(t)) items.push({ name: 'Main mode', values: ['main'], params: { p1: 'ike-mode' } });
  else
    for (const m of t.matchAll(/\bikev?\s?([12])\b/g))
      items.push({ name: `IKEv${m[1]}`, values: [`ikev${m[1]}`], params: { p1: 'ike-version' } });
  if (/\btransport[\s-]+mode\b/.test(t)) items.push({ name: 'Transport mode', values: ['transport'], params: { p2: 'p2-mode' } });
  if (/\b(?:certificates?|certs?|rsa[\s-]?sig|x\.?509)\b/.test(t))
    items.push({ name: 'Certificate authentication', values: ['cert'], params: { p1: 'auth' } });
  // Features asked about as a whole (no group number): on, or switched off ("can we disable DPD?"); only
  // when the question is about the rule ("could the IPS be rate limiting DPD?" is a diagnosis).
  if (!RULE_RE.test(t)) return items;
  const off = SWITCHED_OFF_RE.test(t);
  if (/\b(?:psk|pre[\s-]?shared(?:[\s-]+keys?)?)\b/.test(t) && !items.some((i) => i.values.includes('cert')))
    items.push({ name: 'Pre-shared key authentication', values: ['psk'], params: { p1: 'auth' } });
  if (/\bah\b|\bauthentication[\s-]+header\b/.test(t)) items.push({ name: 'AH', values: ['ah'], params: { p2: 'p2-protocol' } });
  else if (/\besp\b/.test(t) && !/\b(?:protocol\s+)?50\b/.test(t))
    items.push({ name: 'ESP', values: ['esp'], params: { p2: 'p2-protocol' } });
  else if (/\btunnel[\s-]+mode\b/.test(t) && !/\btransport[\s-]+mode\b/.test(t))
    items.push({ name: 'Tunnel mode', values: ['tunnel'], params: { p2: 'p2-mode' } });
  if (/\bpfs\b|\bperfect[\s-]+forward[\s-]+secrecy\b/.test(t) && !items.some((i) => i.name.startsWith('DH group')))
    items.push({ name: off ? 'Phase 2 without PFS' : 'PFS', values: [off ? 'off' : 'on'], params: { p2: 'pfs' } });
  if (/\bdpd\b|\bdead[\s-]+peer(?:[\s-]+detection)?\b/.test(t))
    items.push({
      name: off ? 'Turning Dead Peer Detection off' : 'Dead Peer Detection',
      values: [off ? 'off' : 'on'],
      params: { p1: 'dpd' },
    });
  if (/\bnat[\s-]*t\b|\bnatt\b|\bnat[\s-]+traversal\b/.test(t) && !off)
    items.push({ name: 'NAT traversal', values: ['on'], params: { p1: 'nat-t' } });
  return items;
}

const RULE_RE =
  /\b(?:support\w*|requir\w*|need\w*|mandatory|optional|allow\w*|accept\w*|ok|okay|fine|possible|must|have\s+to|can\s+(?:we|i|you)|disabl\w*|turn\w*\s+off|switch\w*\s+off|without|use|using|enabled?|instead)\b/;
// The question asks whether a feature may be left out ("is PFS optional?", "can we turn DPD off?").
const SWITCHED_OFF_RE =
  /\b(?:optional|disabled?|disabling|turn(?:ed|ing)?\s+(?:it\s+)?off|switch(?:ed|ing)?\s+(?:it\s+)?off|without|skip|no\s+(?:pfs|dpd)|not\s+(?:use|using|enable|have)|off)\b/;

type Verdict = 'yes' | 'platform-only' | 'no';

function judge(entry: PolicyEntry, values: (string | number)[]): Verdict {
  // PFS lists its groups and says it is required: PFS on is the rule, PFS off breaks it.
  if (entry.required !== undefined && values.every((v) => v === 'on' || v === 'off'))
    return values.includes('on') === entry.required ? 'yes' : 'no';
  if (values.some((v) => entry.accept?.includes(v))) return 'yes';
  if (values.some((v) => entry.platform?.includes(v))) return 'platform-only';
  return 'no';
}

const PHASE_NAME: Record<Phase, string> = { p1: 'phase 1', p2: 'phase 2' };

/** A yes/no answer from the policy, or null when the question names nothing the policy lists. */
export function policyAnswer(policy: Policy | undefined, text: string): string | null {
  if (!policy) return null;
  const items = askedItems(text);
  if (items.length !== 1) return null; // "aes256 sha256 dh14 ok?" is a proposal to judge: the evidence engine's job
  const item = items[0]!;
  const only1 = PHASE1_RE.test(text) && !PHASE2_RE.test(text);
  const only2 = PHASE2_RE.test(text) && !PHASE1_RE.test(text);
  const phases = (Object.keys(item.params) as Phase[]).filter((p) => (only1 ? p === 'p1' : only2 ? p === 'p2' : true));
  if (phases.length === 0) return null;
  const verdicts = phases.map((p) => {
    const entry = policy[item.params[p]!];
    return { phase: p, verdict: judge(entry, item.values), says: entry.says };
  });
  const word = (v: Verdict) => (v === 'yes' ? 'Yes' : 'No');
  const inPhase = (p: Phase) => (phases.length > 1 || Object.keys(item.params).length > 1 ? ` in ${PHASE_NAME[p]}` : '');
  const clause = ({ phase, verdict, says }: (typeof verdicts)[number]) => {
    const status =
      verdict === 'yes'
        ? 'is accepted'
        : verdict === 'platform-only'
          ? 'is not supported by OutSystems (only the AWS platform underneath would take it)'
          : 'is not accepted';
    return `${item.name} ${status}${inPhase(phase)}: ${says}.`;
  };
  const all = new Set(verdicts.map((v) => v.verdict));
  if (all.size === 1) {
    // The same verdict and the same rule in both phases: say it once.
    const sameRule = new Set(verdicts.map((v) => v.says)).size === 1;
    if (sameRule && verdicts.length > 1) {
      const v = verdicts[0]!;
      return `${word(v.verdict)}. ${clause({ ...v, phase: v.phase }).replace(` in ${PHASE_NAME[v.phase]}:`, ' in phase 1 and phase 2:')}`;
    }
    return `${word(verdicts[0]!.verdict)}. ${verdicts.map(clause).join(' ')}`;
  }
  // Different per phase (DH group 5: not in phase 1, fine for phase 2 PFS): say both, phase 1 first.
  return verdicts.map((v) => `${word(v.verdict)} for ${PHASE_NAME[v.phase]}: ${clause(v)}`).join(' ');
}
