import { Migration } from '@mikro-orm/migrations';

const POSITIONED = ['finding', 'recommendation', 'note_target', 'note_recipient'];

/**
 * The note as a record nobody can lose: the headteacher's answers kept one by one,
 * the first sharing and circulation kept through corrections, phrases the partner
 * confirmed are not names, each revision's reason; list positions unique only at
 * commit, so a save can reorder items in place (their ids, and what refers to them,
 * survive); the open-notes index also holds the revision (a correction is never late).
 */
export class Migration20261124110000_note_record extends Migration {
  override name = 'Migration20261124110000_note_record';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "headteacher_response" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "note_id" uuid not null, "revision" smallint not null, "agreed" boolean not null, "comment" text null, "judgement_comments" jsonb not null, "respondent" text null, "recorded_via" text not null, "recorded_by" varchar(255) not null, "reason" text null, "responded_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`alter table "headteacher_response" add constraint "headteacher_response_recorded_via_check" check ("recorded_via" in ('link', 'manager'));`);
    this.addSql(`create index "headteacher_response_note_id_index" on "headteacher_response" ("note_id");`);
    this.addSql(
      `alter table "headteacher_response" add constraint "headteacher_response_note_id_foreign" foreign key ("note_id") references "note_of_visit" ("id") on delete cascade;`,
    );

    this.addSql(
      `alter table "note_of_visit" add "first_shared_at" timestamptz null, add "first_circulated_at" timestamptz null, add "confirmed_not_names" jsonb not null default '[]';`,
    );
    // The default stays: the previous release, running beside this one during a deploy, inserts notes without the column.
    this.addSql(`alter table "note_revision" add "correction_reason" text null;`);

    // What the record already says: the first circulation from the revisions, the first sharing where it was not reset.
    this.addSql(
      `update "note_of_visit" n set "first_circulated_at" = r."circulated_at" from "note_revision" r where r."note_id" = n."id" and r."revision" = 1;`,
    );
    this.addSql(
      `update "note_of_visit" set "first_shared_at" = coalesce("shared_at", "first_circulated_at") where "shared_at" is not null or "first_circulated_at" is not null;`,
    );
    // The answer already on a note becomes the first of its trail (how it was recorded was not kept before).
    this
      .addSql(`insert into "headteacher_response" ("id", "created_at", "updated_at", "note_id", "revision", "agreed", "comment", "judgement_comments", "respondent", "recorded_via", "recorded_by", "reason", "responded_at")
      select gen_random_uuid(), now(), now(), n."id", n."revision", n."headteacher_agreed", n."headteacher_comment",
        coalesce((select jsonb_agg(jsonb_build_object('area', j."area", 'comment', j."headteacher_comment") order by j."area") from "judgement" j where j."note_id" = n."id" and j."headteacher_comment" is not null), '[]'::jsonb),
        null,
        case when exists (select 1 from "access_link" l where l."note_id" = n."id" and l."used_at" is not null) then 'link' else 'manager' end,
        'unknown (recorded before answers were kept)', null, n."headteacher_responded_at"
      from "note_of_visit" n where n."headteacher_responded_at" is not null and n."headteacher_agreed" is not null;`);

    for (const table of POSITIONED) {
      this.addSql(`alter table "${table}" drop constraint "${table}_note_id_position_unique";`);
      this.addSql(`alter table "${table}" add constraint "${table}_note_id_position_unique" unique ("note_id", "position") deferrable initially deferred;`);
    }

    this.addSql(
      `create index "note_of_visit_open_visit_id_revision_index" on "note_of_visit" ("visit_id") include ("id", "author_id", "status", "draft_due_on", "circulation_due_on", "revision") where "status" <> 'circulated';`,
    );
    this.addSql(`drop index "note_of_visit_open_visit_id_cover_index";`);
  }

  override down(): void | Promise<void> {
    this.addSql(
      `create index "note_of_visit_open_visit_id_cover_index" on "note_of_visit" ("visit_id") include ("id", "author_id", "status", "draft_due_on", "circulation_due_on") where "status" <> 'circulated';`,
    );
    this.addSql(`drop index "note_of_visit_open_visit_id_revision_index";`);
    for (const table of POSITIONED) {
      this.addSql(`alter table "${table}" drop constraint "${table}_note_id_position_unique";`);
      this.addSql(`alter table "${table}" add constraint "${table}_note_id_position_unique" unique ("note_id", "position");`);
    }
    this.addSql(`alter table "note_revision" drop column "correction_reason";`);
    this.addSql(`alter table "note_of_visit" drop column "first_shared_at", drop column "first_circulated_at", drop column "confirmed_not_names";`);
    this.addSql(`drop table if exists "headteacher_response" cascade;`);
  }
}
