/**
 * Fact questions about durations, answered by arithmetic and by the policy rather than by looking up a
 * sentence: "how many seconds is 51 minutes?" (a conversion), "phase 2 lifetime 28800 ok?" (a value judged
 * against the policy's range and expected value). The durations come from the entity extractor, which
 * already reads "8h", "51 minutes", "59m58s" and a bare number after "lifetime".
 */
import { judgeValue } from '../evidence/config/judge.js';
import type { Policy } from '../knowledge/schema.js';
import { extractEntities } from '../nlu/entities.js';

const PHASE1_RE = /\bphase[\s-]*(?:1|one)\b|\bp1\b|\bike\b(?!v)|\bisakmp\b|\bike[\s_-]*sa\b/i;
const PHASE2_RE = /\bphase[\s-]*(?:2|two)\b|\bp2\b|\bipsec[\s-]+sa\b|\bchild[\s_-]*sa\b|\bquick\s+mode\b/i;
const LIFETIME_RE = /\blife[\s-]?times?\b|\bre-?key\w*\b|\bre-?negotiation\s+time\b/i;

type Unit = 'seconds' | 'minutes' | 'hours';
const UNIT_SECONDS: Record<Unit, number> = { seconds: 1, minutes: 60, hours: 3600 };
// "how many seconds", "in minutes", "= how many sec", "to hours"
const TARGET_RE = /\b(?:how\s+many|in|into|to|as)\s+(seconds?|secs?|s|minutes?|mins?|hours?|hrs?|h)\b/i;

function unitOf(word: string): Unit {
  const w = word.toLowerCase();
  if (w.startsWith('h')) return 'hours';
  if (w.startsWith('m')) return 'minutes';
  return 'seconds';
}

function format(seconds: number, unit: Unit): string {
  const n = seconds / UNIT_SECONDS[unit];
  const shown = Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/\.?0+$/, '');
  return unit === 'seconds' ? `${shown} s` : `${shown} ${n === 1 ? unit.slice(0, -1) : unit}`;
}

/** "51 minutes = 3060 s." when the question converts one duration into another unit; else null. */
export function conversionAnswer(text: string): string | null {
  const target = TARGET_RE.exec(text);
  if (!target) return null;
  const durations = extractEntities(text).durations;
  if (durations.length !== 1) return null;
  const d = durations[0]!;
  const unit = unitOf(target[1]!);
  // The duration already in the asked unit is no conversion ("lifetime in seconds?" names no duration).
  if (new RegExp(String.raw`\b${target[1]}\b`, 'i').test(d.text) && !/\d\s*[a-z]/i.test(d.text.replace(target[1]!, ''))) return null;
  return `${d.text.trim()} = ${format(d.seconds, unit)}.`;
}

/**
 * "phase 2 lifetime 28800 ok?": Yes or No from the policy's range for that phase's lifetime, with the
 * expected value. Null when the question names no lifetime, no duration, or no phase.
 */
export function lifetimeAnswer(policy: Policy | undefined, text: string): string | null {
  if (!policy || !LIFETIME_RE.test(text)) return null;
  const durations = extractEntities(text).durations;
  if (durations.length !== 1) return null;
  const p1 = PHASE1_RE.test(text);
  const p2 = PHASE2_RE.test(text);
  if (p1 === p2) return null;
  const name = p1 ? 'p1-lifetime' : 'p2-lifetime';
  const entry = policy[name];
  const secs = durations[0]!.seconds;
  const j = judgeValue(name, entry, String(secs), null);
  const phase = p1 ? 'Phase 1 (IKE)' : 'Phase 2 (IPsec SA)';
  const expected = `the cloud side expects ${entry.says}`;
  return j.verdict === 'ok'
    ? `Yes. A ${phase} lifetime of ${secs} s is within ${entry.min}-${entry.max} s; ${expected}.`
    : `No. A ${phase} lifetime of ${secs} s is outside ${entry.min}-${entry.max} s; ${expected}.`;
}
