/**
 * Acknowledgements before answers. Slack gives a request 3 s to be acknowledged; the answer may come
 * later. Under a burst (an incident: fifty engineers typing /vpn at once) the CPU spent on answers
 * (classifying, rendering Block Kit, calling the Web API) would delay the acks of requests still arriving,
 * because JavaScript runs one thing at a time and the event loop only reads new requests between tasks.
 *
 * So answers advance one step per event-loop turn (between two steps Node reads the sockets and
 * acknowledges whatever arrived), and while requests are still arriving (one came in the last `quietMs`)
 * answers wait for the burst to pass, but never longer than `maxDeferMs`, so a steady stream of requests
 * cannot starve them. An answer with nothing arriving around it loses nothing measurable.
 */
export class AnswerPacer {
  private readonly waiting: { resolve: () => void; since: number }[] = [];
  private scheduled = false;
  private lastArrival = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly quietMs = 3,
    private readonly maxDeferMs = 250,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** A request came in: answers hold back until requests stop arriving. */
  noteArrival(): void {
    this.lastArrival = this.now();
  }

  step(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push({ resolve, since: this.now() });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.waiting.length === 0) return;
    this.scheduled = true;
    const t = this.now();
    const sinceArrival = t - this.lastArrival;
    const oldestWaited = t - this.waiting[0]!.since;
    if (sinceArrival < this.quietMs && oldestWaited < this.maxDeferMs) {
      setTimeout(
        () => {
          this.scheduled = false;
          this.schedule();
        },
        Math.max(1, this.quietMs - sinceArrival),
      );
      return;
    }
    // A setImmediate queued from inside a setImmediate callback runs in the next loop iteration, after the
    // poll phase: exactly one waiting step per iteration.
    setImmediate(() => {
      this.scheduled = false;
      this.waiting.shift()?.resolve();
      this.schedule();
    });
  }
}
