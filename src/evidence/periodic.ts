/**
 * Drops that come back on a clock. About every 60 minutes is the phase-2 rekey (the guide's IKEv2 hourly
 * drop); about every 8 hours is the phase-1 lifetime. Downs closer than a minute are one event.
 */
export interface Periodicity {
  kind: 'hourly' | 'phase1-lifetime';
  /** Median interval in seconds. */
  interval: number;
  drops: number;
}

export function findPeriodicity(times: readonly number[]): Periodicity | undefined {
  const events: number[] = [];
  for (const t of [...times].sort((a, b) => a - b)) {
    if (events.length === 0 || t - events[events.length - 1]! >= 60) events.push(t);
  }
  if (events.length < 3) return undefined;
  const gaps = events.slice(1).map((t, i) => t - events[i]!);
  const sorted = [...gaps].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const near = gaps.filter((g) => Math.abs(g - median) <= median * 0.15).length;
  if (near < Math.max(2, Math.ceil(gaps.length * 0.6))) return undefined;
  if (median >= 50 * 60 && median <= 70 * 60) return { kind: 'hourly', interval: median, drops: events.length };
  if (median >= 7.25 * 3600 && median <= 8.75 * 3600) return { kind: 'phase1-lifetime', interval: median, drops: events.length };
  return undefined;
}
