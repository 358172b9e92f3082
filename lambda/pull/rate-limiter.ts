/**
 * Spaces request starts at least 60000 / requestsPerMinute ms apart, across every parameter set
 * and page of one run: an API's per-minute quota holds however many requests the run makes.
 */
export class RateLimiter {
  private next = 0;
  private readonly intervalMs: number;

  constructor(requestsPerMinute: number, private readonly sleep: (ms: number) => Promise<void>, private readonly now: () => number = Date.now) {
    this.intervalMs = 60_000 / requestsPerMinute;
  }

  /** Resolves when the next request may start. */
  async acquire(): Promise<void> {
    const wait = this.next - this.now();
    if (wait > 0) await this.sleep(wait);
    this.next = Math.max(this.now(), this.next) + this.intervalMs;
  }
}
