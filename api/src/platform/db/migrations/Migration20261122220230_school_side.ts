import { Migration } from '@mikro-orm/migrations';

export class Migration20261122220230_school_side extends Migration {
  override name = 'Migration20261122220230_school_side';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "school_section" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "visit_id" uuid not null, "self_evaluation" jsonb not null, "evidence_to_show" text null, "wants_from_visit" text null, "completed_by" varchar(255) not null, "submitted_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`alter table "school_section" add constraint "school_section_visit_id_unique" unique ("visit_id");`);

    this.addSql(
      `create table "outbound_email" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "visit_id" uuid null, "to_address" varchar(255) not null, "subject" varchar(255) not null, "body" text not null, "status" text not null default 'queued', "attempts" smallint not null default 0, "last_error" text null, "next_attempt_at" timestamptz null, "sent_at" timestamptz null, primary key ("id"));`,
    );
    this.addSql(`create index "outbound_email_visit_id_index" on "outbound_email" ("visit_id");`);
    this.addSql(`create index "outbound_email_status_next_attempt_at_index" on "outbound_email" ("status", "next_attempt_at");`);

    this.addSql(
      `create table "access_link" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "visit_id" uuid not null, "note_id" uuid null, "purpose" text not null, "recipient_email" varchar(255) not null, "recipient_name" varchar(255) null, "expires_at" timestamptz not null, "revoked_at" timestamptz null, "last_opened_at" timestamptz null, "used_at" timestamptz null, "created_by" varchar(255) not null, primary key ("id"));`,
    );
    this.addSql(`create index "access_link_visit_id_purpose_index" on "access_link" ("visit_id", "purpose");`);

    this.addSql(`alter table "judgement" add "headteacher_comment" text null;`);

    this.addSql(
      `alter table "school_section" add constraint "school_section_visit_id_foreign" foreign key ("visit_id") references "visit" ("id") on delete cascade;`,
    );

    this.addSql(
      `alter table "outbound_email" add constraint "outbound_email_visit_id_foreign" foreign key ("visit_id") references "visit" ("id") on delete set null;`,
    );
    this.addSql(`alter table "outbound_email" add constraint "outbound_email_status_check" check ("status" in ('queued', 'sent', 'failed'));`);

    this.addSql(
      `alter table "access_link" add constraint "access_link_visit_id_foreign" foreign key ("visit_id") references "visit" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "access_link" add constraint "access_link_note_id_foreign" foreign key ("note_id") references "note_of_visit" ("id") on delete cascade;`,
    );
    this.addSql(`alter table "access_link" add constraint "access_link_purpose_check" check ("purpose" in ('school_section', 'headteacher_response'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "school_section" cascade;`);
    this.addSql(`drop table if exists "outbound_email" cascade;`);
    this.addSql(`drop table if exists "access_link" cascade;`);

    this.addSql(`alter table "judgement" drop column "headteacher_comment";`);
  }
}
