/*
 * The entity refreshes that cluster runs ask for, merged: while one runs,
 * the next requests gather into one batch (each entity once), which runs
 * when it ends. A replica finishing clusters faster than it can refresh
 * their entities then refreshes each entity once per batch instead of once
 * per cluster: without it, every entity on every cluster is rebuilt once per
 * cluster run, which is most of a cycle's CPU on a large fleet
 * (bench/README.md, "Evaluation spread over replicas").
 */

export class CoalescedRefresh<T> {
  private running = false;
  private batch?: {
    items: Map<string, T>;
    done: Promise<void>;
    resolve: () => void;
  };

  constructor(
    /** Never rejects (failures are logged by the caller's function). */
    private readonly refresh: (items: T[]) => Promise<void>,
    private readonly keyOf: (item: T) => string,
  ) {}

  /** Resolves once a refresh that includes `items` has ended. */
  request(items: readonly T[]): Promise<void> {
    if (!this.batch) {
      let resolve!: () => void;
      const done = new Promise<void>(r => {
        resolve = r;
      });
      this.batch = { items: new Map(), done, resolve };
    }
    const batch = this.batch;
    for (const item of items) batch.items.set(this.keyOf(item), item);
    this.next();
    return batch.done;
  }

  private next(): void {
    const batch = this.batch;
    if (this.running || !batch) return;
    this.batch = undefined;
    this.running = true;
    this.refresh([...batch.items.values()])
      .catch(() => undefined)
      .finally(() => {
        this.running = false;
        batch.resolve();
        this.next();
      });
  }
}
