import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 22, quality assurance: the mentor's review of a new partner's first note (its state on the
 * note, the mentor's comments), and samples of circulated notes evaluated on a pro forma. No data:
 * the handbook's default pro forma lives in code (quality/pro-forma.defaults.ts) until a manager saves one.
 */
export class Migration20261203110000_note_quality extends Migration {
  override name = 'Migration20261203110000_note_quality';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "note_sample" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "academic_year" varchar(7) not null, "seed" varchar(64) not null, "per_partner" smallint not null, "skipped_sampled_partners" boolean not null default false, "drawn_by_id" uuid not null, "drawn_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`create index "note_sample_academic_year_index" on "note_sample" ("academic_year");`);

    this.addSql(
      `create table "quality_pro_forma" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "name" varchar(255) not null, "active" boolean not null default true, "criteria" jsonb not null, "scale" jsonb not null, primary key ("id"));`,
    );

    this.addSql(
      `create table "note_sample_member" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "sample_id" uuid not null, "note_id" uuid not null, "partner_id" uuid not null, "visit_type" text not null, "position" smallint not null, primary key ("id"));`,
    );
    this.addSql(`create index "note_sample_member_sample_id_index" on "note_sample_member" ("sample_id");`);
    this.addSql(`create index "note_sample_member_note_id_index" on "note_sample_member" ("note_id");`);
    this.addSql(`create index "note_sample_member_partner_id_index" on "note_sample_member" ("partner_id");`);

    this.addSql(
      `create table "note_evaluation" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "sample_member_id" uuid not null, "note_id" uuid not null, "partner_id" uuid not null, "pro_forma_name" varchar(255) not null, "criteria" jsonb not null, "scale" jsonb not null, "scores" jsonb not null, "summary" text not null, "given_by_id" uuid not null, "given_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`alter table "note_evaluation" add constraint "note_evaluation_sample_member_id_unique" unique ("sample_member_id");`);
    this.addSql(`create index "note_evaluation_note_id_index" on "note_evaluation" ("note_id");`);
    this.addSql(`create index "note_evaluation_partner_id_index" on "note_evaluation" ("partner_id");`);

    this.addSql(
      `create table "mentor_comment" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "note_id" uuid not null, "author_id" uuid not null, "kind" text not null, "comment" text not null, primary key ("id"));`,
    );
    this.addSql(`create index "mentor_comment_note_id_index" on "mentor_comment" ("note_id");`);

    this.addSql(
      `alter table "note_of_visit" add "mentor_review_requested_at" timestamptz null, add "mentor_released_at" timestamptz null, add "mentor_released_by_id" uuid null;`,
    );
    this.addSql(
      `alter table "note_of_visit" add constraint "note_of_visit_mentor_released_by_id_foreign" foreign key ("mentor_released_by_id") references "partner" ("id") on delete restrict;`,
    );

    this.addSql(
      `alter table "note_sample" add constraint "note_sample_drawn_by_id_foreign" foreign key ("drawn_by_id") references "partner" ("id") on delete restrict;`,
    );

    this.addSql(
      `alter table "note_sample_member" add constraint "note_sample_member_sample_id_foreign" foreign key ("sample_id") references "note_sample" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "note_sample_member" add constraint "note_sample_member_note_id_foreign" foreign key ("note_id") references "note_of_visit" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "note_sample_member" add constraint "note_sample_member_partner_id_foreign" foreign key ("partner_id") references "partner" ("id") on delete restrict;`,
    );
    this.addSql(
      `alter table "note_sample_member" add constraint "note_sample_member_visit_type_check" check ("visit_type" in ('familiarisation', 'autumn', 'spring', 'summer', 'headteacher_performance_management', 'round_table', 'joint_evaluation', 'inspection_feedback', 'other'));`,
    );

    this.addSql(
      `alter table "note_evaluation" add constraint "note_evaluation_sample_member_id_foreign" foreign key ("sample_member_id") references "note_sample_member" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "note_evaluation" add constraint "note_evaluation_note_id_foreign" foreign key ("note_id") references "note_of_visit" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "note_evaluation" add constraint "note_evaluation_partner_id_foreign" foreign key ("partner_id") references "partner" ("id") on delete restrict;`,
    );
    this.addSql(
      `alter table "note_evaluation" add constraint "note_evaluation_given_by_id_foreign" foreign key ("given_by_id") references "partner" ("id") on delete restrict;`,
    );

    this.addSql(
      `alter table "mentor_comment" add constraint "mentor_comment_note_id_foreign" foreign key ("note_id") references "note_of_visit" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "mentor_comment" add constraint "mentor_comment_author_id_foreign" foreign key ("author_id") references "partner" ("id") on delete restrict;`,
    );
    this.addSql(`alter table "mentor_comment" add constraint "mentor_comment_kind_check" check ("kind" in ('handed_back', 'released'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "note_sample_member" drop constraint "note_sample_member_sample_id_foreign";`);
    this.addSql(`alter table "note_evaluation" drop constraint "note_evaluation_sample_member_id_foreign";`);

    this.addSql(`drop table if exists "note_sample" cascade;`);
    this.addSql(`drop table if exists "quality_pro_forma" cascade;`);
    this.addSql(`drop table if exists "note_sample_member" cascade;`);
    this.addSql(`drop table if exists "note_evaluation" cascade;`);
    this.addSql(`drop table if exists "mentor_comment" cascade;`);

    this.addSql(`alter table "note_of_visit" drop constraint "note_of_visit_mentor_released_by_id_foreign";`);

    this.addSql(`alter table "note_of_visit" drop column "mentor_review_requested_at", drop column "mentor_released_at", drop column "mentor_released_by_id";`);
  }
}
