import { createHash } from 'node:crypto';

/**
 * Counts in fixed windows (a minute, aligned on the clock so every instance agrees where a window
 * starts), shared by every instance of the server: the request rate per client, the query-cost
 * budget, the school's pages per address and per link. A store adds `amount` to a key's count in
 * one window, atomically, and answers the new count.
 */
export interface CounterStore {
  readonly kind: 'memory' | 'postgresql' | 'redis';
  /** Adds `amount` (0 reads; a negative amount gives back) to `key`'s count in the window starting at `windowStart`. */
  add(key: string, amount: number, windowStart: number, windowMs: number): Promise<number>;
  /** Several keys at once, in one round trip (a request and its cost): their new counts, in the order given. */
  addMany(entries: readonly CountEntry[], windowStart: number, windowMs: number): Promise<number[]>;
  close(): Promise<void>;
}

export interface CountEntry {
  key: string;
  amount: number;
}

export interface WindowCount {
  count: number;
  limit: number;
  /** When the window ends (ms since the epoch): the count starts again from 0. */
  resetAt: number;
}

/**
 * Keys are stored hashed: a key names a person, a service or a client's address, and the counts
 * live in a shared table or Redis for two windows. A hash keeps the address itself out of them.
 */
export const storedKey = (name: string, key: string): string => `${name}:${createHash('sha256').update(key).digest('base64url').slice(0, 32)}`;

/** One kind of limit (a name, a limit per window) counted in a store. */
export class SharedCounter {
  constructor(
    private readonly store: CounterStore,
    private readonly name: string,
    readonly limit: number,
    readonly windowMs = 60_000,
    /** Rate limits are security times: on the real clock (clock.ts), never the business clock. */
    private readonly now: () => number = Date.now,
  ) {}

  async add(key: string, amount: number): Promise<WindowCount> {
    const windowStart = this.windowStart();
    const count = await this.store.add(storedKey(this.name, key), amount, windowStart, this.windowMs);
    return { count, limit: this.limit, resetAt: windowStart + this.windowMs };
  }

  /**
   * Adds to this counter and others of the same window length in one round trip (one statement on
   * PostgreSQL, one MULTI on Redis): each request's count and its cost are counted together.
   */
  async addWith(key: string, amount: number, others: readonly { counter: SharedCounter; key: string; amount: number }[]): Promise<WindowCount[]> {
    const windowStart = this.windowStart();
    const all = [{ counter: this as SharedCounter, key, amount }, ...others];
    if (all.some((entry) => entry.counter.windowMs !== this.windowMs || entry.counter.store !== this.store)) {
      throw new Error('counted together: the same store and window length only');
    }
    const counts = await this.store.addMany(
      all.map((entry) => ({ key: storedKey(entry.counter.name, entry.key), amount: entry.amount })),
      windowStart,
      this.windowMs,
    );
    return all.map((entry, i) => ({ count: counts[i]!, limit: entry.counter.limit, resetAt: windowStart + this.windowMs }));
  }

  private windowStart(): number {
    return Math.floor(this.now() / this.windowMs) * this.windowMs;
  }

  /** The seconds until the window ends (at least 1): what Retry-After says. */
  secondsUntil(resetAt: number): number {
    return Math.max(1, Math.ceil((resetAt - this.now()) / 1000));
  }
}
