import { Migration } from '@mikro-orm/migrations';

/** Retention and rights (issue 20): the disposal log, one row per batch of records disposed of under the retention schedule. */
export class Migration20261201130000_retention extends Migration {
  override name = 'Migration20261201130000_retention';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "disposal_log" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "run_id" uuid not null, "record_kind" varchar(64) not null, "rule" varchar(300) not null, "count" int not null, "ids_digest" varchar(64) not null, "cutoff" timestamptz not null, "disposed_at" timestamptz not null, "run_by" varchar(100) not null, primary key ("id"));`,
    );
    this.addSql(`create index "disposal_log_disposed_at_index" on "disposal_log" ("disposed_at");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "disposal_log" cascade;`);
  }
}
