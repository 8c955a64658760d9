/**
 * Runs the turns of one conversation one after another, so a quick follow-up ("still failing") sees
 * what the previous message established. A turn may release the conversation early: a connectivity
 * check that is already reporting progress has read everything it needs, and holding the thread for
 * its whole minute would leave "Show all steps" or "help" waiting behind it.
 */
export class ConversationQueue {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, work: (release: () => void) => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => released);
    this.tails.set(key, tail);
    try {
      await previous;
      return await work(release);
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  get active(): number {
    return this.tails.size;
  }
}
