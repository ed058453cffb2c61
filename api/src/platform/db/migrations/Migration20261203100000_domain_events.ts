import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 22: what happened to the record, written in the change's own transaction, for the
 * consumers that tell people (notifications) and, later, other council systems.
 */
export class Migration20261203100000_domain_events extends Migration {
  override name = 'Migration20261203100000_domain_events';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "domain_event" ("id" bigserial primary key, "kind" varchar(48) not null, "occurred_at" timestamptz not null, "actor" varchar(80) not null, "school_id" uuid null, "visit_id" uuid null, "note_id" uuid null, "partner_id" uuid null, "data" jsonb null);`,
    );
    this.addSql(`create index "domain_event_kind_index" on "domain_event" ("kind", "occurred_at");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "domain_event" cascade;`);
  }
}
