import type { Logger } from '../logger.js';
import type { CounterStore, CountEntry } from './counter-store.js';
import { MemoryCounterStore } from './memory-counter-store.js';

/** Longer than a healthy store ever takes; short enough that a hung store does not hold requests up. */
const STORE_TIMEOUT_MS = 1_000;

/**
 * A shared store that, when it fails or hangs, counts in this process instead: neither open nor
 * closed. Failing closed would refuse every request of every client while Redis or the table is
 * out (an outage of a guard turned into an outage of the service); failing open would drop the
 * limits altogether. Counting in memory keeps each instance's own limit (the limit as it was
 * before the counters were shared) until the store answers again. Said once per outage.
 */
export class ResilientCounterStore implements CounterStore {
  private readonly memory = new MemoryCounterStore();
  private failing = false;

  constructor(
    private readonly shared: CounterStore,
    private readonly logger: Logger,
  ) {}

  get kind(): CounterStore['kind'] {
    return this.shared.kind;
  }

  async add(key: string, amount: number, windowStart: number, windowMs: number): Promise<number> {
    return this.either(
      (store) => store.add(key, amount, windowStart, windowMs),
      () => this.memory.add(key, amount, windowStart, windowMs),
    );
  }

  async addMany(entries: readonly CountEntry[], windowStart: number, windowMs: number): Promise<number[]> {
    return this.either(
      (store) => store.addMany(entries, windowStart, windowMs),
      () => this.memory.addMany(entries, windowStart, windowMs),
    );
  }

  private async either<T>(shared: (store: CounterStore) => Promise<T>, inMemory: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer in ${STORE_TIMEOUT_MS} ms`)), STORE_TIMEOUT_MS);
      });
      const count = await Promise.race([shared(this.shared), timeout]);
      if (this.failing) {
        this.failing = false;
        this.logger.info({ store: this.shared.kind }, 'rate limits: the shared counters answer again');
      }
      return count;
    } catch (error) {
      if (!this.failing) {
        this.failing = true;
        this.logger.error({ err: error, store: this.shared.kind }, 'rate limits: the shared counters failed; counting in this process until they answer');
      }
      return inMemory();
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.shared.close(), this.memory.close()]);
  }
}
