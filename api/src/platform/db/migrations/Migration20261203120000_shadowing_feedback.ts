import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 22, quality assurance: shadowing visits with their written feedback, and headteachers'
 * feedback on their partner, which reaches the council through a link of a new purpose.
 */
export class Migration20261203120000_shadowing_feedback extends Migration {
  override name = 'Migration20261203120000_shadowing_feedback';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "shadowing" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "visit_id" uuid not null, "shadowed_partner_id" uuid not null, "shadower_id" uuid not null, "feedback_due_on" date not null, "feedback" text null, "feedback_given_at" timestamptz null, "given_by_id" uuid null, "booked_by" varchar(255) not null, "version" int not null default 1, primary key ("id"));`,
    );
    this.addSql(`create index "shadowing_visit_id_index" on "shadowing" ("visit_id");`);
    this.addSql(`create index "shadowing_shadower_id_index" on "shadowing" ("shadower_id");`);
    this.addSql(`create index "shadowing_shadowed_partner_id_created_at_index" on "shadowing" ("shadowed_partner_id", "created_at");`);
    this.addSql(`alter table "shadowing" add constraint "shadowing_visit_id_shadower_id_unique" unique ("visit_id", "shadower_id");`);
    this.addSql(`alter table "shadowing" add constraint "shadowing_visit_id_foreign" foreign key ("visit_id") references "visit" ("id") on delete cascade;`);
    this.addSql(
      `alter table "shadowing" add constraint "shadowing_shadowed_partner_id_foreign" foreign key ("shadowed_partner_id") references "partner" ("id") on delete restrict;`,
    );
    this.addSql(
      `alter table "shadowing" add constraint "shadowing_shadower_id_foreign" foreign key ("shadower_id") references "partner" ("id") on delete restrict;`,
    );
    this.addSql(
      `alter table "shadowing" add constraint "shadowing_given_by_id_foreign" foreign key ("given_by_id") references "partner" ("id") on delete set null;`,
    );

    this.addSql(
      `create table "headteacher_feedback" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "school_id" uuid not null, "partner_id" uuid not null, "challenge_and_support" smallint null, "knowledge_of_school" smallint null, "quality_of_notes" smallint null, "communication" smallint null, "comments" text null, "respondent" text not null, "received_at" timestamptz not null, "recorded_by" varchar(255) not null, "requested_by" varchar(255) not null, primary key ("id"));`,
    );
    this.addSql(`create index "headteacher_feedback_school_id_index" on "headteacher_feedback" ("school_id");`);
    this.addSql(`create index "headteacher_feedback_partner_id_received_at_index" on "headteacher_feedback" ("partner_id", "received_at");`);
    this.addSql(
      `alter table "headteacher_feedback" add constraint "headteacher_feedback_school_id_foreign" foreign key ("school_id") references "school" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "headteacher_feedback" add constraint "headteacher_feedback_partner_id_foreign" foreign key ("partner_id") references "partner" ("id") on delete cascade;`,
    );

    this.addSql(`alter table "access_link" drop constraint if exists "access_link_purpose_check";`);
    this.addSql(
      `alter table "access_link" add constraint "access_link_purpose_check" check ("purpose" in ('school_section', 'headteacher_response', 'partner_feedback'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`delete from "access_link" where "purpose" = 'partner_feedback';`);
    this.addSql(`alter table "access_link" drop constraint if exists "access_link_purpose_check";`);
    this.addSql(`alter table "access_link" add constraint "access_link_purpose_check" check ("purpose" in ('school_section', 'headteacher_response'));`);
    this.addSql(`drop table if exists "headteacher_feedback" cascade;`);
    this.addSql(`drop table if exists "shadowing" cascade;`);
  }
}
