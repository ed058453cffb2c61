import { Migration } from '@mikro-orm/migrations';

/**
 * Notifications (issue 22): who was told what (one row per key and person, the guard that sends each
 * once), each person's choices, and the consumer's claims on the domain events with its low-water mark.
 */
export class Migration20261203130000_notifications extends Migration {
  override name = 'Migration20261203130000_notifications';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "notification" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "key" varchar(200) not null, "recipient_id" uuid not null, "kind" text check ("kind" in ('draft_due_tomorrow', 'draft_late', 'circulation_late', 'headteacher_agreed', 'headteacher_disputed', 'awaiting_moderation', 'awaiting_mentor', 'mentor_commented', 'mentor_released', 'school_section_completed', 'appointment_cancelled_note_kept', 'note_evaluation_given', 'shadowing_feedback_given', 'headteacher_feedback_received', 'weekly_digest')) not null, "channel" text check ("channel" in ('teams', 'email', 'none')) not null, "status" text check ("status" in ('pending', 'sent_teams', 'sent_email')) not null default 'pending', "note_id" uuid null, "visit_id" uuid null, "title" text not null, "text" text not null, "lease_until" timestamptz null, "attempts" smallint not null default 0, "sent_at" timestamptz null, "feed_error" varchar(300) null, primary key ("id"));`,
    );
    this.addSql(`create index "notification_recipient_id_index" on "notification" ("recipient_id");`);
    this.addSql(`create index "notification_pending_index" on "notification" ("status", "lease_until");`);
    this.addSql(`alter table "notification" add constraint "notification_key_recipient_unique" unique ("key", "recipient_id");`);
    this.addSql(
      `alter table "notification" add constraint "notification_recipient_id_foreign" foreign key ("recipient_id") references "partner" ("id") on delete cascade;`,
    );
    this.addSql(
      `create table "notification_preference" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "partner_id" uuid not null, "kind" text check ("kind" in ('draft_due_tomorrow', 'draft_late', 'circulation_late', 'headteacher_agreed', 'headteacher_disputed', 'awaiting_moderation', 'awaiting_mentor', 'mentor_commented', 'mentor_released', 'school_section_completed', 'appointment_cancelled_note_kept', 'note_evaluation_given', 'shadowing_feedback_given', 'headteacher_feedback_received', 'weekly_digest')) not null, "channel" text check ("channel" in ('teams', 'email', 'none')) not null, primary key ("id"));`,
    );
    this.addSql(`alter table "notification_preference" add constraint "notification_preference_partner_kind_unique" unique ("partner_id", "kind");`);
    this.addSql(
      `alter table "notification_preference" add constraint "notification_preference_partner_id_foreign" foreign key ("partner_id") references "partner" ("id") on delete cascade;`,
    );
    this.addSql(`create table "notification_cursor" ("id" smallint not null, "below" bigint not null default '0', primary key ("id"));`);
    this.addSql(`create table "notification_event_claim" ("id" bigint not null, "handled_at" timestamptz not null default now(), primary key ("id"));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "notification_event_claim" cascade;`);
    this.addSql(`drop table if exists "notification_cursor" cascade;`);
    this.addSql(`drop table if exists "notification_preference" cascade;`);
    this.addSql(`drop table if exists "notification" cascade;`);
  }
}
