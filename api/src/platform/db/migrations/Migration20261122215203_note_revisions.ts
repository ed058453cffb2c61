import { Migration } from '@mikro-orm/migrations';

export class Migration20261122215203_note_revisions extends Migration {
  override name = 'Migration20261122215203_note_revisions';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "note_revision" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "note_id" uuid not null, "revision" smallint not null, "circulated_at" timestamptz not null, "circulated_by" varchar(255) not null, "content" jsonb not null, primary key ("id"));`,
    );
    this.addSql(`alter table "note_revision" add constraint "note_revision_note_id_revision_unique" unique ("note_id", "revision");`);

    this.addSql(`alter table "note_of_visit" add "revision" smallint not null default 1, add "correction_reason" text null;`);

    this.addSql(
      `alter table "note_revision" add constraint "note_revision_note_id_foreign" foreign key ("note_id") references "note_of_visit" ("id") on delete restrict;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "note_revision" cascade;`);

    this.addSql(`alter table "note_of_visit" drop column "revision", drop column "correction_reason";`);
  }
}
