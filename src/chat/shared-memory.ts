import { LRUCache } from 'lru-cache';

/**
 * What the chat layer and the adapters remember between requests (a delivery already taken, a replayed
 * signature, "Show more" pages, a Teams invoke's answer), behind one small port. With several replicas it
 * is the database (src/store/chat-state.ts implements it), so a retry or a click handled by another replica
 * sees the same memory; alone, or in tests, it can be this process's memory. Keys are namespaced by their
 * users ("delivery:", "pages:", "slack:", "teams:"); values must survive JSON.
 */
export interface SharedMemory {
  /** True for the first caller, on any replica, to remember `key` until it expires; false for the others. */
  rememberOnce(key: string, ttlMs: number): Promise<boolean>;
  /** Stores (or replaces) a value for `ttlMs`. */
  put(key: string, value: unknown, ttlMs: number): Promise<void>;
  /** The value under `key`, or undefined once it expired. */
  get<T>(key: string): Promise<T | undefined>;
}

/** The in-process memory: one replica only (tests, the terminal chat), bounded by entry count. */
export class LocalMemory implements SharedMemory {
  private readonly entries: LRUCache<string, { value: unknown }>;

  constructor(options: { max?: number; now?: () => number } = {}) {
    const now = options.now;
    this.entries = new LRUCache<string, { value: unknown }>({ max: options.max ?? 50_000, ttl: 1, ...(now ? { perf: { now } } : {}) });
  }

  async rememberOnce(key: string, ttlMs: number): Promise<boolean> {
    if (this.entries.has(key)) return false;
    this.entries.set(key, { value: true }, { ttl: ttlMs });
    return true;
  }

  async put(key: string, value: unknown, ttlMs: number): Promise<void> {
    this.entries.set(key, { value }, { ttl: ttlMs });
  }

  async get<T>(key: string): Promise<T | undefined> {
    return this.entries.get(key)?.value as T | undefined;
  }
}
