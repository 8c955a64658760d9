import { randomBytes } from 'node:crypto';
import { LocalMemory, type SharedMemory } from './shared-memory.js';

/**
 * How long the rest of a long answer stays reachable through its "Show more" button, on every platform:
 * long enough for the next shift to read last night's answer. Kept in the shared memory (the database with
 * replicas, so the click may reach any replica), bounded there by the retention sweep.
 */
export const CONTINUATION_TTL_MS = 24 * 60 * 60 * 1000;
/** In-process memory only: the most answers kept. */
const MAX_LOCAL_ANSWERS = 2000;

/** Pages 2..n of long answers, by continuation token. */
export class Continuations<M extends object> {
  private readonly memory: SharedMemory;

  constructor(
    memory?: SharedMemory,
    private readonly newToken: () => string = () => randomBytes(12).toString('base64url'),
  ) {
    this.memory = memory ?? new LocalMemory({ max: MAX_LOCAL_ANSWERS });
  }

  token(): string {
    return this.newToken();
  }

  /** Keeps pages 2..n of one answer; `rest[0]` is page 2. */
  async save(token: string, rest: M[]): Promise<void> {
    if (rest.length > 0) await this.memory.put(`pages:${token}`, rest, CONTINUATION_TTL_MS);
  }

  /** Page `page` (2..n) of the answer kept under `token`, or undefined once it expired. */
  async page(token: string, page: number): Promise<M | undefined> {
    return (await this.memory.get<M[]>(`pages:${token}`))?.[page - 2];
  }
}
