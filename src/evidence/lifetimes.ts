import type { RawLine } from './log-reader.js';

/**
 * SA lifetimes a log names explicitly: the lifetime one side proposed and the one that was accepted or is
 * configured on the other (strongSwan "received 3600s lifetime, configured 28800s", Openswan "peer requested
 * 86400 seconds which exceeds our limit 28800 seconds", IOS "life duration (basic) of 1200" followed by
 * "Returning Actual lifetime: 600"). IKEv1 peers settle on the shorter value, so the tunnel comes up, but the
 * two sides then rekey at different times: the guide's lifetime mismatch.
 */
export interface LifetimeMismatch {
  phase: 1 | 2 | undefined;
  proposed: number;
  accepted: number;
  lines: RawLine[];
}

/** Lines after a proposed lifetime within which the accepted one belongs to the same negotiation. */
const WINDOW = 40;

/** Seconds from "3600", "3600s", "28,800" or IOS's VPI bytes "0x0 0x1 0x51 0x80". */
export function lifetimeSeconds(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  if (/^0x/i.test(t)) {
    const bytes = t.split(/\s+/).map((b) => Number.parseInt(b, 16));
    if (bytes.some((b) => !Number.isFinite(b) || b < 0 || b > 255)) return undefined;
    return bytes.reduce((acc, b) => acc * 256 + b, 0);
  }
  const n = Number(t.replace(/[,s]/g, ''));
  return Number.isFinite(n) ? n : undefined;
}

export class Lifetimes {
  private proposed: { seconds: number; line: RawLine } | undefined;

  /** A lifetime line; returns the mismatch when this line completes a pair whose values differ. */
  add(groups: Record<string, string | undefined>, phase: 1 | 2 | undefined, line: RawLine): LifetimeMismatch | undefined {
    const proposed = lifetimeSeconds(groups.lifeProposed);
    const accepted = lifetimeSeconds(groups.lifeAccepted);
    // "0" means "not given" in IOS's bookkeeping lines ("Acceptable atts:life: 0").
    if (proposed !== undefined && accepted !== undefined) {
      this.proposed = undefined;
      return proposed !== accepted && proposed > 0 && accepted > 0 ? { phase, proposed, accepted, lines: [line] } : undefined;
    }
    if (proposed !== undefined && proposed > 0) {
      this.proposed = { seconds: proposed, line };
      return undefined;
    }
    if (accepted === undefined || accepted <= 0 || !this.proposed || line.n - this.proposed.line.n > WINDOW) return undefined;
    const before = this.proposed;
    this.proposed = undefined;
    return before.seconds !== accepted ? { phase, proposed: before.seconds, accepted, lines: [before.line, line] } : undefined;
  }
}
