import type { CounterStore, CountEntry } from './counter-store.js';

/**
 * Counts in this process: the store for the embedded database, which one process alone may open
 * (db/embedded-lock.ts), so this process is every instance there is; and the fallback while a
 * shared store cannot be reached (resilient-counter-store.ts).
 */
export class MemoryCounterStore implements CounterStore {
  readonly kind = 'memory';
  private readonly counts = new Map<string, { windowStart: number; count: number }>();

  async add(key: string, amount: number, windowStart: number, windowMs: number): Promise<number> {
    let entry = this.counts.get(key);
    if (!entry || entry.windowStart !== windowStart) {
      if (this.counts.size > 10_000) this.prune(windowStart - windowMs);
      entry = { windowStart, count: 0 };
      this.counts.set(key, entry);
    }
    entry.count += amount;
    return entry.count;
  }

  async addMany(entries: readonly CountEntry[], windowStart: number, windowMs: number): Promise<number[]> {
    return Promise.all(entries.map((entry) => this.add(entry.key, entry.amount, windowStart, windowMs)));
  }

  private prune(before: number): void {
    for (const [key, entry] of this.counts) if (entry.windowStart < before) this.counts.delete(key);
  }

  async close(): Promise<void> {
    this.counts.clear();
  }
}
