import { Migration } from '@mikro-orm/migrations';

/** Council closure days (issue 17): days the council closes of its own accord, which working-day deadlines skip. */
export class Migration20261130000000_council_closure_days extends Migration {
  override name = 'Migration20261130000000_council_closure_days';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "council_closure_day" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "date" date not null, "reason" varchar(200) not null, primary key ("id"));`,
    );
    this.addSql(`alter table "council_closure_day" add constraint "council_closure_day_date_unique" unique ("date");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "council_closure_day" cascade;`);
  }
}
