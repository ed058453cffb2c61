import type { ReadDb } from '../db/orm.js';
import type { Logger } from '../logger.js';
import type { CounterStore, CountEntry } from './counter-store.js';

/** How often an instance removes windows that have ended (one statement, whichever instance is due). */
const PRUNE_EVERY_MS = 60_000;

/**
 * Counts in PostgreSQL (the table rate_limit_count, migration 20261204120000): one
 * `insert … on conflict do update … returning` per count, atomic across instances without a lock
 * held beyond the statement. The table is unlogged (no write-ahead log: counts of the last minute
 * need not survive a crash), and each instance prunes ended windows at most once a minute.
 */
export class PostgresCounterStore implements CounterStore {
  readonly kind = 'postgresql';
  private lastPrune = 0;

  constructor(
    private readonly db: ReadDb,
    private readonly logger: Logger,
  ) {}

  async add(key: string, amount: number, windowStart: number, windowMs: number): Promise<number> {
    // A read (introspection, a dry run) takes no row lock: the hot row of a busy client stays free for its counts.
    if (amount === 0) {
      const found = await this.db
        .getConnection()
        .execute<{ count: number }[]>('select count from rate_limit_count where key = ? and window_start = ?', [key, new Date(windowStart)]);
      return Number(found[0]?.count ?? 0);
    }
    return (await this.addMany([{ key, amount }], windowStart, windowMs))[0]!;
  }

  async addMany(entries: readonly CountEntry[], windowStart: number, windowMs: number): Promise<number[]> {
    const start = new Date(windowStart);
    const rows = await this.db.getConnection().execute<{ key: string; count: number }[]>(
      `insert into rate_limit_count (key, window_start, count) values ${entries.map(() => '(?, ?, ?)').join(', ')}
         on conflict (key, window_start) do update set count = rate_limit_count.count + excluded.count
         returning key, count`,
      entries.flatMap((entry) => [entry.key, start, entry.amount]),
    );
    this.pruneEndedWindows(windowStart, windowMs);
    const counts = new Map(rows.map((row) => [row.key, Number(row.count)]));
    return entries.map((entry) => counts.get(entry.key)!);
  }

  private pruneEndedWindows(windowStart: number, windowMs: number): void {
    if (windowStart - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = windowStart;
    // Not awaited: the request does not wait for housekeeping. A failure is retried next window.
    this.db
      .getConnection()
      .execute('delete from rate_limit_count where window_start < ?', [new Date(windowStart - windowMs)])
      .catch((error: unknown) => this.logger.warn({ err: error }, 'could not prune ended rate-limit windows'));
  }

  async close(): Promise<void> {}
}
