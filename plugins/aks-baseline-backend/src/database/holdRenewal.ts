/**
 * Keeps a replica's holds alive (run claims, taken clusters): renews them
 * every quarter of their time to live while the replica holds any. A
 * failed renewal is retried at the next tick; a hold expires only if every
 * renewal within its time to live fails, and another replica then takes
 * over.
 */
export class HoldRenewal {
  private timer?: ReturnType<typeof setInterval>;

  constructor(
    private readonly ttlMs: number,
    private readonly renew: () => Promise<void>,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.renew().catch(() => {});
    }, Math.max(10, Math.floor(this.ttlMs / 4)));
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
