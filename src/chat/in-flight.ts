/** Tracks running work so shutdown can wait for answers already being written (bounded by a deadline). */
export class InFlight {
  private readonly running = new Set<Promise<unknown>>();

  track<T>(work: Promise<T>): Promise<T> {
    this.running.add(work);
    const forget = () => this.running.delete(work);
    work.then(forget, forget);
    return work;
  }

  get size(): number {
    return this.running.size;
  }

  /** Resolves true when everything finished, false when the deadline came first. */
  async drain(deadlineMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), deadlineMs);
      timer.unref();
    });
    try {
      while (this.running.size > 0) {
        const settled = Promise.allSettled([...this.running]).then(() => true as const);
        if (!(await Promise.race([settled, deadline]))) return false;
      }
      return true;
    } finally {
      clearTimeout(timer);
    }
  }
}
