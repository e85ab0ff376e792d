/*
 * At most `limit` calls at once, the others waiting their turn in order:
 * findings pages are built a few at a time, so that many clients paging at
 * once queue for the database and the network instead of filling the event
 * loop that every other request of the replica (health checks included)
 * waits on.
 */
export class Slots {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) {
      await new Promise<void>(resolve => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      // The slot passes to the next caller as it is, or is freed.
      if (next) next();
      else this.running--;
    }
  }

  /** Calls running and waiting (for tests). */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }
}
