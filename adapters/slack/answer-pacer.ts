/**
 * Acknowledgements before answers. Slack gives a request 3 s to be acknowledged; the answer may come
 * later. Under a burst (an incident: fifty engineers typing /vpn at once) the CPU spent on answers
 * (classifying, rendering Block Kit, calling the Web API) would delay the acks of requests still arriving,
 * because JavaScript runs one thing at a time and the event loop only reads new requests between tasks.
 *
 * So answers advance one step per event-loop turn: each `step()` waits for its own turn of the loop, and
 * between two steps Node reads the sockets and acknowledges whatever arrived. A step is small (well under
 * a millisecond), so an ack never waits behind more than one of them; answers still flow at thousands of
 * steps per second, and an answer with nothing queued ahead of it loses nothing measurable.
 */
export class AnswerPacer {
  private readonly waiting: (() => void)[] = [];
  private scheduled = false;

  step(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.waiting.length === 0) return;
    this.scheduled = true;
    // A setImmediate queued from inside a setImmediate callback runs in the next loop iteration, after the
    // poll phase: exactly one waiting step per iteration.
    setImmediate(() => {
      this.scheduled = false;
      this.waiting.shift()?.();
      this.schedule();
    });
  }
}
