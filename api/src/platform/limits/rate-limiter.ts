import { SharedCounter, type CounterStore, type WindowCount } from './counter-store.js';

/** The words of a request refused for the request rate (sign-in's and GraphQL's alike). */
export const tooManyRequests = (perMinute: number, wait: number): string =>
  `Too many requests: ${perMinute} a minute may be made, all servers together. Try again in ${wait} second${wait === 1 ? '' : 's'}.`;

/**
 * Requests per key (a principal; a school link; a client address) per minute, counted in the
 * shared store (counter-store.ts), so the limit holds across every instance. A guard against a
 * runaway client or a guessing script, not a quota. Refused requests count too: a flood stays
 * refused until its window ends.
 */
export class RateLimiter {
  /** Its counter, for counting a request together with its cost (cost-budget.ts). */
  readonly counter: SharedCounter;

  /** `name` keeps this limiter's counts apart from others' in the store. */
  constructor(store: CounterStore, name: string, perMinute: number, now?: () => number) {
    this.counter = new SharedCounter(store, name, perMinute, 60_000, now);
  }

  /** Counts a request; resolves to the seconds to wait when over the limit, else 0. */
  get perMinute(): number {
    return this.counter.limit;
  }

  async take(key: string): Promise<number> {
    return (await this.attempt(key)).retryAfterSeconds;
  }

  /**
   * Counts a request: the seconds to wait when over the limit (else 0), and whether this is
   * the first request refused in its window, so a caller can record a refusal once per
   * window rather than once per request of a flood.
   */
  async attempt(key: string): Promise<{ retryAfterSeconds: number; firstRefused: boolean }> {
    return this.judge(await this.counter.add(key, 1));
  }

  /** What a request's count (counted here or together with its cost) means. */
  judge({ count, limit, resetAt }: WindowCount): { retryAfterSeconds: number; firstRefused: boolean } {
    const over = count > limit;
    return { retryAfterSeconds: over ? this.counter.secondsUntil(resetAt) : 0, firstRefused: count === limit + 1 };
  }
}
