import { Migration } from '@mikro-orm/migrations';

/**
 * Calendar sync (issue 21): one row per partner's mailbox with its Graph change-notification
 * subscription (id, expiry, a keyed hash of its clientState) and how far delta has read it.
 */
export class Migration20261202110000_calendar_subscriptions extends Migration {
  override name = 'Migration20261202110000_calendar_subscriptions';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "calendar_subscription" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "partner_id" uuid not null, "mailbox" varchar(320) not null, "subscription_id" varchar(200) null, "expires_at" timestamptz null, "client_state_hash" varchar(64) null, "client_state_key_version" smallint null, "delta_link" text null, "delta_window_start" timestamptz null, "last_synced_at" timestamptz null, "last_error" text null, "last_error_at" timestamptz null, primary key ("id"));`,
    );
    this.addSql(`alter table "calendar_subscription" add constraint "calendar_subscription_partner_unique" unique ("partner_id");`);
    this.addSql(`alter table "calendar_subscription" add constraint "calendar_subscription_subscription_unique" unique ("subscription_id");`);
    this.addSql(
      `alter table "calendar_subscription" add constraint "calendar_subscription_partner_id_foreign" foreign key ("partner_id") references "partner" ("id") on delete cascade;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "calendar_subscription" cascade;`);
  }
}
