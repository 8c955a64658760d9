import type { Policy, PolicyEntry } from '../knowledge/schema.js';

/**
 * Proposals as the logs write them ("IKE:3DES_CBC/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024", "encryption
 * 3DES-CBC", "Group 2 (1024 bit)", "aes256-sha256-modp2048"...) read into the policy's vocabulary
 * (aes128, sha256, DH group numbers) so they can be judged against `requirements.yaml`.
 */
export interface Proposal {
  encryption: string[];
  integrity: string[];
  dh: number[];
}

const ENCRYPTION: readonly [RegExp, string][] = [
  [/\b(?:3des|des3|tripledes|3des[-_]cbc|des[-_]ede3)/i, '3des'],
  [/(?<![3\w])des(?:[-_]cbc)?\b/i, 'des'],
  [/\baes[-_ ]?(?:cbc[-_ ]?)?\(?(128|192|256)\)?[-_ ]?gcm|\baes[-_]gcm[-_](?:16[-_])?(128|192|256)|\baes(128|192|256)gcm/i, 'aes$gcm'],
  [/\baes[-_ ]?(?:cbc[-_ ]?)?\(?(128|192|256)\b|\baes[-_]cbc[-_](128|192|256)|\baes(128|192|256)/i, 'aes$'],
];

const INTEGRITY: readonly [RegExp, string][] = [
  [/\b(?:hmac[-_])?md5/i, 'md5'],
  [/\b(?:hmac[-_])?sha2?[-_]?512|\bsha512/i, 'sha512'],
  [/\b(?:hmac[-_])?sha2?[-_]?384|\bsha384/i, 'sha384'],
  [/\b(?:hmac[-_])?sha2[-_]?256|\bsha[-_]?256/i, 'sha256'],
  [/\b(?:hmac[-_])?sha(?:1|-1)?(?:[-_]96)?\b(?![-_]?(?:2|256|384|512))/i, 'sha1'],
];

const MODP: Record<string, number> = {
  modp768: 1,
  modp1024: 2,
  modp1536: 5,
  modp2048: 14,
  modp3072: 15,
  modp4096: 16,
  modp6144: 17,
  modp8192: 18,
  ecp256: 19,
  ecp384: 20,
  ecp521: 21,
  modp1024s160: 22,
  modp2048s224: 23,
  modp2048s256: 24,
  curve25519: 31,
  x25519: 31,
};
const MODP_BITS: Record<string, number> = { '768': 1, '1024': 2, '1536': 5, '2048': 14, '3072': 15, '4096': 16, '6144': 17, '8192': 18 };

function collect(text: string, table: readonly [RegExp, string][]): string[] {
  const found = new Set<string>();
  for (const [re, name] of table) {
    const g = new RegExp(re.source, 'gi');
    for (const m of text.matchAll(g)) {
      const size = m.slice(1).find((x) => x !== undefined);
      found.add(name.replace('$', size ?? ''));
    }
  }
  // "3des" also contains "des": keep the stronger reading.
  if (found.has('3des')) found.delete('des');
  return [...found];
}

function dhGroups(text: string): number[] {
  const found = new Set<number>();
  for (const m of text.matchAll(/\b(?:modp|ecp)[-_]?(\d{3,4})(?:[-_]?s?(\d{3}))?|\bcurve[-_]?25519|\bx25519/gi)) {
    if (/25519/.test(m[0])) {
      found.add(31);
      continue;
    }
    const key = `${m[0].toLowerCase().startsWith('ecp') ? 'ecp' : 'modp'}${m[1]}${m[2] ? `s${m[2]}` : ''}`;
    const g = MODP[key];
    if (g !== undefined) found.add(g);
  }
  for (const m of text.matchAll(
    /\b(?:dh[-_ ]?)?group[-_ :]*(\d{1,2})\b(?:\s*\((\d{3,4}) ?bit\))?|\bdh(?:group)?[-_ =:]*(\d{1,2})\b|\bpfs[-_ ]?(?:group)?[-_ =:]*(\d{1,2})\b/gi,
  )) {
    const n = Number(m[1] ?? m[3] ?? m[4]);
    if (n >= 1 && n <= 32) found.add(n);
  }
  for (const m of text.matchAll(/\b(\d{3,4}) ?bit MODP\b|\bMODP (\d{3,4})\b/gi)) {
    const g = MODP_BITS[m[1] ?? m[2]!];
    if (g !== undefined) found.add(g);
  }
  return [...found].sort((a, b) => a - b);
}

export function readProposal(text: string): Proposal {
  // PRF_HMAC_SHA1 names the PRF, not the integrity algorithm; drop it before reading integrity.
  const withoutPrf = text.replace(/\bPRF_[A-Z0-9_]+/gi, ' ');
  return { encryption: collect(text, ENCRYPTION), integrity: collect(withoutPrf, INTEGRITY), dh: dhGroups(text) };
}

export function isEmpty(p: Proposal): boolean {
  return p.encryption.length === 0 && p.integrity.length === 0 && p.dh.length === 0;
}

export type Judgement = 'ok' | 'unsupported' | 'violation';

function judge(value: string | number, entry: PolicyEntry): Judgement {
  if (entry.accept?.some((a) => String(a) === String(value))) return 'ok';
  if (entry.platform?.some((a) => String(a) === String(value))) return 'unsupported';
  return 'violation';
}

const LABEL: Record<string, string> = {
  '3des': '3DES',
  des: 'DES',
  aes128: 'AES-128',
  aes192: 'AES-192',
  aes256: 'AES-256',
  aes128gcm: 'AES-128-GCM',
  aes256gcm: 'AES-256-GCM',
  md5: 'MD5',
  sha1: 'SHA-1',
  sha256: 'SHA-256',
  sha384: 'SHA-384',
  sha512: 'SHA-512',
};
const DH_NAME: Record<number, string> = {
  1: 'MODP_768',
  2: 'MODP_1024',
  5: 'MODP_1536',
  14: 'MODP_2048',
  15: 'MODP_3072',
  16: 'MODP_4096',
  17: 'MODP_6144',
  18: 'MODP_8192',
  19: 'ECP_256',
  20: 'ECP_384',
  21: 'ECP_521',
  22: 'MODP_1024_160',
  23: 'MODP_2048_224',
  24: 'MODP_2048_256',
  31: 'CURVE_25519',
};

export const label = (v: string): string => LABEL[v] ?? v.toUpperCase();
export const dhLabel = (g: number): string => `${DH_NAME[g] ?? `group ${g}`} (DH ${g})`;

/** "2, 14-18, 22-24" */
export function ranges(numbers: readonly (string | number)[]): string {
  const ns = [...new Set(numbers.map(Number))].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < ns.length; i++) {
    let j = i;
    while (j + 1 < ns.length && ns[j + 1] === ns[j]! + 1) j++;
    out.push(j > i ? `${ns[i]}-${ns[j]}` : String(ns[i]));
    i = j;
  }
  return out.join(', ');
}

export interface ProposalJudgement {
  phase: 1 | 2;
  proposal: Proposal;
  /** Values outside the OutSystems table, each with its verdict. */
  problems: { parameter: string; value: string; verdict: Exclude<Judgement, 'ok'> }[];
  /** "3DES/MODP_1024" */
  offending: string;
  /** "AES-128/256 with SHA-1/256/512 and DH 2, 14-18, 22-24" */
  accepted: string;
}

/** Judges a proposal (phase 1: IKE, phase 2: ESP with PFS) against the policy. */
export function judgeProposal(p: Proposal, phase: 1 | 2, policy: Policy): ProposalJudgement {
  const enc = phase === 1 ? policy['p1-encryption'] : policy['p2-encryption'];
  const integ = phase === 1 ? policy['p1-integrity'] : policy['p2-integrity'];
  const dh = phase === 1 ? policy['p1-dh'] : policy.pfs;
  const problems: ProposalJudgement['problems'] = [];
  for (const e of p.encryption) {
    const v = judge(e, enc);
    if (v !== 'ok') problems.push({ parameter: phase === 1 ? 'p1-encryption' : 'p2-encryption', value: label(e), verdict: v });
  }
  for (const i of p.integrity) {
    const v = judge(i, integ);
    if (v !== 'ok') problems.push({ parameter: phase === 1 ? 'p1-integrity' : 'p2-integrity', value: label(i), verdict: v });
  }
  for (const g of p.dh) {
    const v = judge(g, dh);
    if (v !== 'ok') problems.push({ parameter: phase === 1 ? 'p1-dh' : 'pfs', value: dhLabel(g), verdict: v });
  }
  const encNames = (enc.accept ?? []).map(String);
  const aesSizes = encNames.filter((a) => /^aes\d+$/.test(a)).map((a) => a.slice(3));
  const encText = aesSizes.length === encNames.length && aesSizes.length > 0 ? `AES-${aesSizes.join('/')}` : encNames.map(label).join('/');
  const integText = (integ.accept ?? [])
    .map((a) => label(String(a)))
    .join('/')
    .replace(/\/SHA-/g, '/');
  const accepted = `${encText} with ${integText} and DH ${ranges(dh.accept ?? [])}`;
  const offending = problems.map((x) => x.value.replace(/ \(DH \d+\)$/, '')).join('/');
  return { phase, proposal: p, problems, offending, accepted };
}
