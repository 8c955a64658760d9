/**
 * Timestamps as VPN devices write them, read to seconds since an arbitrary epoch: only the differences
 * matter (how often a tunnel drops). Syslog stamps carry no year; a log spanning New Year is rare enough.
 */
const MONTHS: Record<string, number> = { jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11 };

// ISO-like: 2024-03-01T10:00:00, 2024/03/01 10:00:00, FortiGate date=2024-03-01 time=10:00:00.
const ISO = /(\d{4})[-/](\d{2})[-/](\d{2})(?:[T ]|"? time="?)(\d{2}):(\d{2}):(\d{2})/;
// Syslog: "Mar  1 10:00:00", "Dec 7 23:23:32".
const SYSLOG = /\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\s+(\d{1,2})\s+(?:\d{4}\s+)?(\d{2}):(\d{2}):(\d{2})/i;

export interface Stamp {
  /** Seconds, comparable between lines of one log. */
  seconds: number;
  text: string;
}

export function readTimestamp(line: string): Stamp | undefined {
  const head = line.length > 200 ? line.slice(0, 200) : line;
  const iso = ISO.exec(head);
  if (iso) {
    const [, y, mo, d, h, mi, s] = iso;
    return { seconds: Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s!) / 1000, text: iso[0] };
  }
  const sys = SYSLOG.exec(head);
  if (sys) {
    const [, mon, d, h, mi, s] = sys;
    return { seconds: Date.UTC(2001, MONTHS[mon!.toLowerCase()]!, +d!, +h!, +mi!, +s!) / 1000, text: sys[0] };
  }
  return undefined;
}
