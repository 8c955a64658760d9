import { PARAMETER_NAMES, type ParameterName, type Policy, type PolicyEntry } from '../../knowledge/schema.js';
import { members } from './algorithms.js';
import { redactText } from '../redact.js';
import type { ConfigParameter, ConfigParser, FixTarget, ParsedTunnel, QuotedLine, ReadValue, Verdict } from './model.js';

/** Worse verdicts win when a proposal list mixes members (index = badness). */
const BADNESS: Verdict[] = ['ok', 'risk', 'unsupported', 'missing', 'violation'];
export const worst = (a: Verdict, b: Verdict): Verdict => (BADNESS.indexOf(a) >= BADNESS.indexOf(b) ? a : b);

const SET_PARAMETERS = new Set<ParameterName>([
  'ike-version',
  'ike-mode',
  'auth',
  'p1-encryption',
  'p1-integrity',
  'p1-dh',
  'p2-protocol',
  'p2-mode',
  'p2-encryption',
  'p2-integrity',
  'pfs',
  'dpd',
  'nat-t',
]);

/** Traffic-selector pairs are written "local <=> remote" and separated by "; ". */
export const selectorPairs = (value: string): string[] =>
  value
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p !== '');

interface Judgement {
  verdict: Verdict;
  reason: string;
}

function judgeMember(entry: PolicyEntry, member: string): Verdict {
  const inList = (l: (string | number)[] | undefined) => (l ?? []).some((x) => String(x) === member);
  if (inList(entry.accept)) return 'ok';
  if (inList(entry.platform)) return 'unsupported';
  return 'violation';
}

/** Judges one normalised value against its policy entry. `ikeVersion` decides the IKEv2 hourly-drop risk. */
export function judgeValue(name: ParameterName, entry: PolicyEntry, value: string, ikeVersion: string | null): Judgement {
  if ((name === 'p1-lifetime' || name === 'p2-lifetime') && members(value).length > 1) {
    // several policies/profiles, each with its own lifetime: the worst one decides
    return members(value)
      .map((m) => judgeValue(name, entry, m, ikeVersion))
      .reduce((a, b) => (worst(a.verdict, b.verdict) === a.verdict ? a : b));
  }
  if (name === 'p1-lifetime' || name === 'p2-lifetime') {
    const secs = Number(value);
    if (!Number.isFinite(secs)) return { verdict: 'violation', reason: `unreadable lifetime ${value}` };
    if ((entry.min !== undefined && secs < entry.min) || (entry.max !== undefined && secs > entry.max))
      return { verdict: 'violation', reason: `${secs} s is outside ${entry.min ?? 0}-${entry.max ?? '∞'} s (expected ${entry.expect} s)` };
    if (name === 'p2-lifetime' && ikeVersion === 'ikev2' && entry.workaround !== undefined && secs > entry.workaround)
      return {
        verdict: 'risk',
        reason: `IKEv2 with a ${secs} s phase-2 lifetime rekeys at the same time as the cloud side: the tunnel may drop every hour; use ${entry.workaround} s`,
      };
    return { verdict: 'ok', reason: `${secs} s is within ${entry.min}-${entry.max} s` };
  }
  if (name === 'traffic-selectors') {
    const pairs = selectorPairs(value).length;
    const max = entry.maxPairs ?? 1;
    return pairs > max
      ? { verdict: 'violation', reason: `${pairs} selector pairs: the cloud side negotiates ${max} pair per tunnel` }
      : { verdict: 'ok', reason: `${pairs} selector pair` };
  }
  // A required feature switched off (or off by the platform's default) is "missing", as the corpus contract
  // defines it (docs/evidence-corpus-format.md: "required but absent, e.g. PFS off"); DPD is required too.
  if (name === 'pfs' && value === 'off') return { verdict: 'missing', reason: 'PFS is off; the cloud side requires it' };
  if (name === 'dpd' && value === 'off')
    return { verdict: 'missing', reason: 'Dead Peer Detection is off; the cloud side expects DPD answers (3 misses close the tunnel)' };
  if (SET_PARAMETERS.has(name)) {
    let verdict: Verdict = 'ok';
    const bad: string[] = [];
    for (const m of members(value)) {
      const v = judgeMember(entry, m);
      if (v !== 'ok') bad.push(`${m} (${v === 'unsupported' ? 'valid on AWS, not supported by OutSystems' : 'not accepted'})`);
      verdict = worst(verdict, v);
    }
    return { verdict, reason: bad.length ? bad.join('; ') : 'within the requirements' };
  }
  return { verdict: 'ok', reason: 'informational' };
}

/** What a fix should set: the accepted members already configured, else the strongest accepted value. */
export function fixTarget(name: ParameterName, entry: PolicyEntry, current: string | null, verdict: Verdict): FixTarget {
  const accepted = (entry.accept ?? []).map(String);
  const keep = current ? members(current).filter((m) => accepted.includes(m)) : [];
  const preferred: Partial<Record<ParameterName, string>> = {
    'p1-encryption': 'aes256',
    'p2-encryption': 'aes256',
    'p1-integrity': 'sha256',
    'p2-integrity': 'sha256',
    'p1-dh': '14',
    pfs: '14',
    'ike-version': 'ikev2',
    'ike-mode': 'main',
    auth: 'psk',
    'p2-protocol': 'esp',
    'p2-mode': 'tunnel',
    dpd: 'on',
    'nat-t': 'on',
  };
  let value: string;
  if (name === 'p1-lifetime') value = String(entry.expect ?? 28800);
  else if (name === 'p2-lifetime') value = String(verdict === 'risk' ? (entry.workaround ?? 3060) : (entry.expect ?? 3600));
  else if (name === 'traffic-selectors') value = current ? (selectorPairs(current)[0] ?? '') : '';
  else value = keep.length > 0 && keep.length < members(current ?? '').length ? keep.join(', ') : (preferred[name] ?? accepted[0] ?? '');
  return { name, value, current };
}

export function quote(rawLines: string[], n: number | null): QuotedLine | null {
  if (n === null || n < 1 || n > rawLines.length) return null;
  return { n, text: redactText(rawLines[n - 1]!.trim()) };
}

const COMPANIONS: ParameterName[] = [
  'p1-encryption',
  'p1-integrity',
  'p1-dh',
  'p1-lifetime',
  'p2-encryption',
  'p2-integrity',
  'pfs',
  'p2-lifetime',
];

/**
 * The tunnel as a fix should see it: a fix that rewrites a whole proposal ("ike=aes256-sha256-modp2048",
 * an Azure policy, an ASA transform set) repeats the other members, which must not carry a bad value over.
 * Each proposal member is replaced by its first acceptable value, or the preferred one.
 */
function tunnelForFixes(tunnel: ParsedTunnel, policy: Policy, ikeVersion: string | null): ParsedTunnel {
  const params = { ...tunnel.params };
  for (const name of COMPANIONS) {
    const current = params[name]?.value;
    const ok = current ? members(current).find((m) => judgeValue(name, policy[name], m, ikeVersion).verdict === 'ok') : undefined;
    const value =
      ok ?? fixTarget(name, policy[name], current ?? null, name === 'p2-lifetime' && ikeVersion === 'ikev2' ? 'risk' : 'violation').value;
    params[name] = { value, line: params[name]?.line ?? null };
  }
  return { ...tunnel, params };
}

/** Judges every parameter of every tunnel: stated values, documented defaults, and required-but-absent ones. */
export function judgeTunnels(parser: ConfigParser, tunnels: ParsedTunnel[], policy: Policy, rawLines: string[]): ConfigParameter[] {
  const out: ConfigParameter[] = [];
  for (const tunnel of tunnels) {
    const read = (name: ParameterName): ReadValue | undefined => {
      const stated = tunnel.params[name];
      if (stated && stated.value !== '') return stated;
      const d = parser.defaults[name];
      return d ? { value: d.value, line: null, defaultFrom: d.source } : undefined;
    };
    const ikeVersion = read('ike-version')?.value ?? null;
    const forFixes = tunnelForFixes(tunnel, policy, ikeVersion);
    for (const name of PARAMETER_NAMES) {
      const entry = policy[name];
      const rv = read(name);
      // main/aggressive mode exists only in IKEv1: a default says nothing about an IKEv2 tunnel
      if (name === 'ike-mode' && ikeVersion === 'ikev2' && rv?.defaultFrom !== undefined) continue;
      if (!rv) {
        if (!entry.required) continue;
        const target = fixTarget(name, entry, null, 'missing');
        out.push({
          tunnel: tunnel.name,
          name,
          value: null,
          default: false,
          required: entry.says,
          verdict: 'missing',
          line: null,
          reason: 'not configured, and required',
          fix: parser.fix(forFixes, target),
        });
        continue;
      }
      const { verdict, reason } = judgeValue(name, entry, rv.value, ikeVersion);
      const param: ConfigParameter = {
        tunnel: tunnel.name,
        name,
        value: rv.value,
        default: rv.defaultFrom !== undefined,
        required: entry.says,
        verdict,
        line: quote(rawLines, rv.line),
        reason: rv.defaultFrom !== undefined ? `not configured: platform default; ${reason}` : reason,
        fix: verdict === 'ok' ? null : parser.fix(forFixes, fixTarget(name, entry, rv.value, verdict)),
      };
      if (rv.defaultFrom !== undefined) param.defaultSource = rv.defaultFrom;
      out.push(param);
    }
  }
  return out;
}
