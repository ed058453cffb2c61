/**
 * Requests per key (a principal; a school link; a client address) per minute, counted in
 * this process (a fixed window). With several instances each counts its own share; the
 * limit is a guard against a runaway client or a guessing script, not a quota.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { startedAt: number; count: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts a request; returns the seconds to wait when over the limit, else 0. */
  take(key: string): number {
    return this.attempt(key).retryAfterSeconds;
  }

  /**
   * Counts a request: the seconds to wait when over the limit (else 0), and whether this is
   * the first request refused in its window, so a caller can record a refusal once per
   * window rather than once per request of a flood.
   */
  attempt(key: string): { retryAfterSeconds: number; firstRefused: boolean } {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || now - window.startedAt >= 60_000) {
      if (this.windows.size > 10_000) this.prune(now);
      window = { startedAt: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count += 1;
    const over = window.count > this.perMinute;
    return {
      retryAfterSeconds: over ? Math.max(1, Math.ceil((window.startedAt + 60_000 - now) / 1000)) : 0,
      firstRefused: window.count === this.perMinute + 1,
    };
  }

  private prune(now: number): void {
    for (const [key, window] of this.windows) if (now - window.startedAt >= 60_000) this.windows.delete(key);
  }
}
