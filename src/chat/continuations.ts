import { randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';

/**
 * How long the rest of a long answer stays reachable through its "Show more" button, on every platform:
 * long enough for the next shift to read last night's answer, bounded by the entry count below.
 */
export const CONTINUATION_TTL_MS = 24 * 60 * 60 * 1000;
const MAX_ANSWERS = 2000;

/** Pages 2..n of long answers, by continuation token. */
export class Continuations<M extends object> {
  private readonly pages: LRUCache<string, M[]>;

  constructor(
    private readonly newToken: () => string = () => randomBytes(12).toString('base64url'),
    now?: () => number,
  ) {
    this.pages = new LRUCache<string, M[]>({ max: MAX_ANSWERS, ttl: CONTINUATION_TTL_MS, ...(now ? { perf: { now } } : {}) });
  }

  token(): string {
    return this.newToken();
  }

  /** Keeps pages 2..n of one answer; `rest[0]` is page 2. */
  save(token: string, rest: M[]): void {
    if (rest.length > 0) this.pages.set(token, rest);
  }

  /** Page `page` (2..n) of the answer kept under `token`, or undefined once it expired. */
  page(token: string, page: number): M | undefined {
    return this.pages.get(token)?.[page - 2];
  }
}
