/**
 * Reads a tunnel's drop history for the two patterns the guide names:
 * - drops recurring about every 60 minutes: the IKEv2 phase 2 lifetime (3600 s) expiring without a clean
 *   rekey; the guide's fix is a 51-minute phase 2 lifetime (topic ikev2-hourly-drop);
 * - drops after the tunnel carried no traffic for a while (the cloud end is responder-only and lets an idle
 *   tunnel go after about 10 s): keep traffic flowing (topic keep-traffic-flowing).
 * Pure functions over plain data, so tests feed made-up histories.
 */

export const HOURLY_TOPIC = 'ikev2-hourly-drop';
export const IDLE_TOPIC = 'keep-traffic-flowing';

export interface DropEvent {
  kind: 'up' | 'down';
  at: number;
  idleBeforeMs: number | null;
}

export interface DropDiagnosis {
  topic: typeof HOURLY_TOPIC | typeof IDLE_TOPIC;
  reason: string;
}

export interface DropAnalysisOptions {
  periodMs?: number;
  /** How far an interval may be from the period and still count as "about every 60 minutes". */
  toleranceMs?: number;
  /** Hourly intervals in a row needed (2 = three drops): one coincidence is not a pattern. */
  minIntervals?: number;
  /** The cloud end may drop a tunnel after about 10 s without traffic. */
  idleThresholdMs?: number;
}

const DEFAULTS: Required<DropAnalysisOptions> = {
  periodMs: 60 * 60_000,
  toleranceMs: 6 * 60_000,
  minIntervals: 2,
  idleThresholdMs: 10_000,
};

/** How much history the analysis needs before `current`. */
export function analysisWindowMs(options: DropAnalysisOptions = {}): number {
  const o = { ...DEFAULTS, ...options };
  return (o.periodMs + o.toleranceMs) * (o.minIntervals + 1);
}

/**
 * Diagnoses one `down` event given the agent's earlier events (any order; later ones are ignored).
 * The hourly pattern wins over idleness: a tunnel that drops on the hour while idle still needs the rekey fix.
 */
export function analyzeDrop(current: DropEvent, history: readonly DropEvent[], options: DropAnalysisOptions = {}): DropDiagnosis | null {
  if (current.kind !== 'down') return null;
  const o = { ...DEFAULTS, ...options };
  const downs = [...new Set([...history.filter((e) => e.kind === 'down' && e.at < current.at).map((e) => e.at), current.at])].sort(
    (a, b) => a - b,
  );
  const recent = downs.slice(-(o.minIntervals + 1));
  if (recent.length === o.minIntervals + 1) {
    const intervals = recent.slice(1).map((at, i) => at - recent[i]!);
    if (intervals.every((ms) => Math.abs(ms - o.periodMs) <= o.toleranceMs)) {
      return {
        topic: HOURLY_TOPIC,
        reason: `the tunnel dropped ${recent.length} times about an hour apart (${intervals.map(minutes).join(', ')}): the IKEv2 phase 2 lifetime of 60 minutes expires without a clean rekey`,
      };
    }
  }
  if (current.idleBeforeMs === null) {
    return {
      topic: IDLE_TOPIC,
      reason: 'the tunnel was already down when the keep-alive started: nothing on your side was sending traffic through it',
    };
  }
  if (current.idleBeforeMs >= o.idleThresholdMs) {
    return {
      topic: IDLE_TOPIC,
      reason: `the tunnel dropped after ${seconds(current.idleBeforeMs)} without keep-alive traffic; the cloud end lets a tunnel go after about 10 s idle, so ping every 5 s`,
    };
  }
  return null;
}

function minutes(ms: number): string {
  return `${Math.round(ms / 60_000)} min`;
}

function seconds(ms: number): string {
  return ms >= 120_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`;
}
