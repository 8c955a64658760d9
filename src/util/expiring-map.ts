/**
 * A map whose entries expire after a time-to-live and whose size is bounded (oldest entries go first),
 * so the adapter's memories (seen event ids, thread aliases, "Show more" pages) cannot grow without
 * limit in a busy workspace. Map insertion order doubles as age order.
 */
export class ExpiringMap<K, V> {
  private readonly entries = new Map<K, { value: V; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  has(key: K): boolean {
    return this.get(key) !== undefined;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: this.now() + this.ttlMs });
    this.evict();
  }

  /** Records `key` and tells whether it was new: the check-and-set of deduplication in one step. */
  addIfAbsent(key: K, value: V): boolean {
    if (this.has(key)) return false;
    this.set(key, value);
    return true;
  }

  get size(): number {
    return this.entries.size;
  }

  private evict(): void {
    const t = this.now();
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries && entry.expiresAt > t) break;
      this.entries.delete(key);
    }
  }
}
