/**
 * A FIFO that keeps at most `capacity` items, dropping the OLDEST when full: while the hub is unreachable
 * the agent must not grow without bound, and the latest tunnel state matters more than the earliest.
 */
export class BoundedQueue<T> {
  private items: T[] = [];
  /** Items dropped since the queue was created (reported so an operator knows history has gaps). */
  dropped = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
  }

  push(item: T): void {
    this.items.push(item);
    if (this.items.length > this.capacity) {
      this.items.splice(0, this.items.length - this.capacity);
      this.dropped++;
    }
  }

  /** Puts items back at the head (a send that failed), still within capacity. */
  unshift(items: readonly T[]): void {
    this.items = [...items, ...this.items];
    while (this.items.length > this.capacity) {
      this.items.shift();
      this.dropped++;
    }
  }

  take(max: number): T[] {
    return this.items.splice(0, max);
  }

  get size(): number {
    return this.items.length;
  }
}
