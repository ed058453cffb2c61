import { Migration } from '@mikro-orm/migrations';

/**
 * Shared rate-limit counters (platform/limits/postgres-counter-store.ts): a count per hashed key
 * and window. Unlogged: a crash may lose the last minute's counts, which only means a client's
 * window starts again; in exchange no count is written to the write-ahead log.
 */
export class Migration20261204120000_rate_limits extends Migration {
  override name = 'Migration20261204120000_rate_limits';

  override up(): void | Promise<void> {
    this.addSql(
      `create unlogged table "rate_limit_count" ("key" varchar(64) not null, "window_start" timestamptz not null, "count" int not null, primary key ("key", "window_start"));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "rate_limit_count" cascade;`);
  }
}
