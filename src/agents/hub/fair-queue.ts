/**
 * Jobs waiting for a free slot on one agent, served round-robin by requester: one caller with a hundred
 * jobs queued waits behind a second caller's one job, not the other way round. Bounded in total and per
 * requester, so neither memory nor one caller's share grows with a burst.
 */
export class FairQueue<T> {
  private readonly byRequester = new Map<string, T[]>();
  private size = 0;

  constructor(
    private readonly capacity: number,
    /** A requester may hold at most this many of the waiting places (at least 1). */
    private readonly perRequester: number = Math.max(1, Math.ceil(capacity / 2)),
  ) {}

  get length(): number {
    return this.size;
  }

  /**
   * Whether `push` would take an item of this requester now. A requester with nothing waiting always gets
   * one place, even in a queue filled beyond capacity by the rest of an admitted check: one caller's check
   * must not lock everybody else out (the excess is bounded by the number of requesters, one each).
   */
  hasRoom(requester: string): boolean {
    const mine = this.byRequester.get(requester)?.length ?? 0;
    return mine < this.perRequester && (this.size < this.capacity || mine === 0);
  }

  /**
   * False when the queue, or this requester's share of it, is full; `beyondCapacity` takes the item anyway
   * (the rest of a check already admitted: the caller bounds how many those can be).
   */
  push(requester: string, item: T, beyondCapacity = false): boolean {
    if (!beyondCapacity && !this.hasRoom(requester)) return false;
    const mine = this.byRequester.get(requester);
    if (mine) mine.push(item);
    else this.byRequester.set(requester, [item]);
    this.size++;
    return true;
  }

  /** The next item: the oldest of the requester whose turn it is (Map order, rotated after each take). */
  shift(): T | undefined {
    for (const [requester, items] of this.byRequester) {
      const item = items.shift();
      this.byRequester.delete(requester);
      // Back at the end of the rotation if it still has jobs waiting.
      if (items.length > 0) this.byRequester.set(requester, items);
      if (item !== undefined) {
        this.size--;
        return item;
      }
    }
    return undefined;
  }

  /** Takes one item out (a cancelled or timed-out waiting job). */
  remove(item: T): boolean {
    for (const [requester, items] of this.byRequester) {
      const i = items.indexOf(item);
      if (i === -1) continue;
      items.splice(i, 1);
      if (items.length === 0) this.byRequester.delete(requester);
      this.size--;
      return true;
    }
    return false;
  }

  drain(): T[] {
    const all = [...this.byRequester.values()].flat();
    this.byRequester.clear();
    this.size = 0;
    return all;
  }
}
