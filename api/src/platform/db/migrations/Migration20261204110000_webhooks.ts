import { Migration } from '@mikro-orm/migrations';

/**
 * Webhooks (issue 23): council systems' subscriptions (the signing secret sealed), a delivery per
 * subscription and event with each attempt, and the consumer's claims on the domain events with its mark.
 */
export class Migration20261204110000_webhooks extends Migration {
  override name = 'Migration20261204110000_webhooks';

  override up(): void | Promise<void> {
    this.addSql(`create table "webhook_cursor" ("id" smallint not null, "below" bigint not null default '0', primary key ("id"));`);

    this.addSql(`create table "webhook_event_claim" ("id" bigint not null, "handled_at" timestamptz not null default now(), primary key ("id"));`);

    this.addSql(
      `create table "webhook_subscription" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "owner" varchar(120) not null, "url" text not null, "event_types" jsonb not null, "description" varchar(200) null, "grants" jsonb not null, "active" boolean not null default true, "secret_sealed" text not null, "previous_secret_sealed" text null, "previous_secret_expires_at" timestamptz null, "from_event_id" bigint not null default '0', "version" int not null default 1, primary key ("id"));`,
    );
    this.addSql(`create index "webhook_subscription_owner_index" on "webhook_subscription" ("owner");`);

    this.addSql(
      `create table "webhook_delivery" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "subscription_id" uuid not null, "event_id" bigint not null, "event_type" text not null, "webhook_id" varchar(60) not null, "occurred_at" timestamptz not null, "payload" text not null, "status" text not null default 'pending', "attempt_count" smallint not null default 0, "next_attempt_at" timestamptz null, "lease_until" timestamptz null, "delivered_at" timestamptz null, primary key ("id"));`,
    );
    this.addSql(`create index "webhook_delivery_subscription_id_created_at_index" on "webhook_delivery" ("subscription_id", "created_at");`);
    this.addSql(`create index "webhook_delivery_due_index" on "webhook_delivery" ("status", "next_attempt_at");`);
    this.addSql(`alter table "webhook_delivery" add constraint "webhook_delivery_subscription_id_event_id_unique" unique ("subscription_id", "event_id");`);

    this.addSql(
      `create table "webhook_attempt" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "delivery_id" uuid not null, "attempted_at" timestamptz not null, "http_status" smallint null, "duration_ms" int not null, "error" varchar(300) null, primary key ("id"));`,
    );
    this.addSql(`create index "webhook_attempt_delivery_id_index" on "webhook_attempt" ("delivery_id");`);

    this.addSql(
      `alter table "webhook_delivery" add constraint "webhook_delivery_subscription_id_foreign" foreign key ("subscription_id") references "webhook_subscription" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "webhook_delivery" add constraint "webhook_delivery_event_type_check" check ("event_type" in ('visit.booked', 'visit.moved', 'visit.cancelled', 'visit.completed', 'note.circulated', 'note.corrected', 'school.risk_category_changed', 'school.register_changed'));`,
    );
    this.addSql(`alter table "webhook_delivery" add constraint "webhook_delivery_status_check" check ("status" in ('pending', 'delivered', 'failed'));`);

    this.addSql(
      `alter table "webhook_attempt" add constraint "webhook_attempt_delivery_id_foreign" foreign key ("delivery_id") references "webhook_delivery" ("id") on delete cascade;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "webhook_delivery" drop constraint "webhook_delivery_subscription_id_foreign";`);
    this.addSql(`alter table "webhook_attempt" drop constraint "webhook_attempt_delivery_id_foreign";`);

    this.addSql(`drop table if exists "webhook_cursor" cascade;`);
    this.addSql(`drop table if exists "webhook_event_claim" cascade;`);
    this.addSql(`drop table if exists "webhook_subscription" cascade;`);
    this.addSql(`drop table if exists "webhook_delivery" cascade;`);
    this.addSql(`drop table if exists "webhook_attempt" cascade;`);
  }
}
