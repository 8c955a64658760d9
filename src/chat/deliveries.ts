import { LRUCache } from 'lru-cache';

/**
 * Remembers deliveries already taken, so a platform's retry of the same event (Slack re-sends events it
 * thinks were missed, Teams re-sends invokes answered late) does the work once. The first delivery's
 * value (its turn, its invoke answer) is kept, and a retry gets that same value back.
 */
export class Deliveries<V extends object> {
  private readonly seen: LRUCache<string, V>;

  constructor(options: { ttlMs: number; max: number }) {
    this.seen = new LRUCache<string, V>({ max: options.max, ttl: options.ttlMs });
  }

  /**
   * Runs `first` unless one of `keys` was delivered before (a delivery may be known under several keys:
   * an event id and the message it carries). Returns the first delivery's value and whether this is it.
   */
  once(keys: readonly string[], first: () => V): { value: V; retry: boolean } {
    for (const key of keys) {
      const known = this.seen.get(key);
      if (known !== undefined) return { value: known, retry: true };
    }
    const value = first();
    for (const key of keys) this.seen.set(key, value);
    return { value, retry: false };
  }
}
