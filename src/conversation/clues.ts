/**
 * Timing clues: a symptom's duration or period ("drops at 59m58s", "every 8 hours", "after 10 s idle")
 * matched to the timers of the requirements (phase 2 lifetime 3600 s, phase 1 lifetime 28800 s, idle about
 * 10 s, DPD timeout after 3 missed requests) and to the topic that explains that timer. The answer names
 * the clue it used, so the user can tell whether the reasoning fits.
 */
import type { Requirements } from '../knowledge/schema.js';
import type { Entities } from '../nlu/types.js';

export interface TimingClue {
  /** The words of the message the clue comes from ("59m58s", "every 8 hours"). */
  said: string;
  seconds: number;
  /** The timer it matches, as the answer names it. */
  timer: string;
  topic: string;
  /** One sentence for the reply: which clue, which timer. */
  explanation: string;
}

interface Timer {
  name: string;
  seconds: number;
  /** Relative tolerance either side, or an absolute range. */
  range: [number, number];
  topic: string;
  /** The message must also say this (idle timers need "idle", not any 10 s). */
  needs?: RegExp;
}

// The duration describes the symptom (when it drops), not a configured value ("lifetime 28800").
const SYMPTOM_RE =
  /\b(?:every|each|after|at|drops?|dropp(?:ed|ing)|down|disconnect\w*|flap\w*|lost|loses?|dies|died|bounc\w*|goes\s+(?:down|inactive)|resets?|re-?keys?|renegotiat\w*|hourly|times?\s+out|timeout|idle)\b/i;
const CONFIGURED_RE = /\blifetime\b|\bset\s+(?:to|at)\b|\bconfigured\b|\bwe\s+have\b/i;
const IDLE_RE = /\bidle\b|\binactiv\w*\b|\bno\s+traffic\b|\bwithout\s+traffic\b|\bquiet\b|\bnothing\s+(?:is\s+)?(?:sent|flowing)\b/i;
const DPD_MISSES_RE =
  /\b(?:3|three)\s+(?:missed|unanswered|lost|failed)\s+(?:dpd|r-u-there|keep-?alives?|requests?)\b|\bdpd\s+(?:timeout|timed\s+out|fail\w*)\b/i;

function number(text: string | undefined, re: RegExp, fallback: number): number {
  const m = text ? re.exec(text) : null;
  return m ? Number(m[1]) : fallback;
}

function parameter(req: Requirements | undefined, name: string): string | undefined {
  for (const g of req?.groups ?? []) for (const p of g.parameters) if (p.name === name) return p.value;
  return undefined;
}

/** The timers, with their values taken from the requirements where they are stated. */
export function timersOf(req: Requirements | undefined): Timer[] {
  const p2 = req?.policy['p2-lifetime'];
  const p1 = req?.policy['p1-lifetime'];
  const p2s = p2?.expect ?? 3600;
  const p2workaround = p2?.workaround ?? 3060;
  const p1s = p1?.expect ?? 28800;
  const idle = number(parameter(req, 'Idle timeout'), /(\d+)\s*s\b/, 10);
  const dpdLow = number(parameter(req, 'DPD timeout'), /(\d+)\s*-\s*\d+\s*s/, 30);
  const dpdHigh = number(parameter(req, 'DPD timeout'), /\d+\s*-\s*(\d+)\s*s/, 40);
  return [
    // The cloud rekeys phase 2 between its lifetime minus the margin and the lifetime itself (51-60 min).
    {
      name: `the phase 2 (IPsec SA) lifetime of ${p2s} s`,
      seconds: p2s,
      range: [Math.round(p2workaround * 0.97), Math.round(p2s * 1.05)],
      topic: 'ikev2-hourly-drop',
    },
    {
      name: `the phase 1 (IKE) lifetime of ${p1s} s`,
      seconds: p1s,
      range: [Math.round(p1s * 0.95), Math.round(p1s * 1.05)],
      topic: 'phase1-ike-failure',
    },
    {
      name: `the idle time of about ${idle} s after which the cloud starts dead peer detection`,
      seconds: idle,
      range: [Math.max(1, Math.round(idle / 2)), idle * 2],
      topic: 'keep-traffic-flowing',
      needs: IDLE_RE,
    },
    {
      name: `the dead peer detection timeout (${dpdLow}-${dpdHigh} s, 3 unanswered requests)`,
      seconds: dpdHigh,
      range: [Math.round(dpdLow * 0.8), Math.round(dpdHigh * 1.25)],
      topic: 'dpd-idle-instability',
    },
  ];
}

/** The first duration of the message that matches a timer, or null. */
export function timingClue(text: string, entities: Entities, req: Requirements | undefined): TimingClue | null {
  const timers = timersOf(req);
  if (DPD_MISSES_RE.test(text)) {
    const dpd = timers[3]!;
    const said = DPD_MISSES_RE.exec(text)![0];
    return { said, seconds: dpd.seconds, timer: dpd.name, topic: dpd.topic, explanation: `Clue: "${said}" matches ${dpd.name}.` };
  }
  if (!SYMPTOM_RE.test(text)) return null;
  for (const d of entities.durations) {
    // "lifetime 28800" states a setting; only durations of the symptom are clues.
    const at = text.toLowerCase().indexOf(d.text.toLowerCase());
    const before = at >= 0 ? text.slice(Math.max(0, at - 25), at) : '';
    if (CONFIGURED_RE.test(before)) continue;
    for (const t of timers) {
      if (d.seconds < t.range[0] || d.seconds > t.range[1]) continue;
      if (t.needs && !t.needs.test(text)) continue;
      return { said: d.text, seconds: d.seconds, timer: t.name, topic: t.topic, explanation: `Clue: "${d.text}" matches ${t.name}.` };
    }
  }
  return null;
}
