import type { LogFindingCode } from '../knowledge/log-signatures.js';
import type { CompiledSignature } from './catalogue.js';
import type { RawLine } from './log-reader.js';
import { readTimestamp } from './timestamps.js';
import type { TimelineEntry } from './types.js';

/**
 * The events of a log in order, bounded: a line that repeats the previous event (same signature, same code)
 * only counts up, and past `max` entries further events are counted as dropped.
 */
export class Timeline {
  readonly entries: TimelineEntry[] = [];
  dropped = 0;

  constructor(private readonly max: number) {}

  add(sig: CompiledSignature, line: RawLine, code: LogFindingCode | undefined, severity: TimelineEntry['severity']): void {
    const last = this.entries[this.entries.length - 1];
    if (last && last.signature === sig.id && last.code === code) {
      last.count += 1;
      last.lastN = line.n;
      return;
    }
    if (this.entries.length >= this.max) {
      this.dropped += 1;
      return;
    }
    const time = readTimestamp(line.text)?.text;
    this.entries.push({
      n: line.n,
      count: 1,
      ...(time ? { time } : {}),
      signature: sig.id,
      severity,
      normal: sig.normal,
      ...(code ? { code } : {}),
      means: sig.means,
      text: line.text,
    });
  }
}
