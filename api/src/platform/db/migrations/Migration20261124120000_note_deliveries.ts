import { Migration } from '@mikro-orm/migrations';

/** Circulation delivers (issue 17): each outbound email can belong to a note's circulation, and carries an attachment made at send time. */
export class Migration20261124120000_note_deliveries extends Migration {
  override name = 'Migration20261124120000_note_deliveries';

  override up(): void | Promise<void> {
    this.addSql(
      `alter table "outbound_email" add "note_id" uuid null, add "note_revision_id" uuid null, add "note_recipient_id" uuid null, add "recipient_role" text null, add "to_name" varchar(255) null, add "attachment" jsonb null;`,
    );
    this.addSql(
      `alter table "outbound_email" add constraint "outbound_email_note_id_foreign" foreign key ("note_id") references "note_of_visit" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "outbound_email" add constraint "outbound_email_note_revision_id_foreign" foreign key ("note_revision_id") references "note_revision" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "outbound_email" add constraint "outbound_email_note_recipient_id_foreign" foreign key ("note_recipient_id") references "note_recipient" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "outbound_email" add constraint "outbound_email_recipient_role_check" check ("recipient_role" in ('headteacher', 'chair_of_governors', 'council', 'other'));`,
    );
    this.addSql(`create index "outbound_email_note_id_index" on "outbound_email" ("note_id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "outbound_email_note_id_index";`);
    this.addSql(
      `alter table "outbound_email" drop constraint "outbound_email_note_id_foreign", drop constraint "outbound_email_note_revision_id_foreign", drop constraint "outbound_email_note_recipient_id_foreign", drop constraint "outbound_email_recipient_role_check";`,
    );
    this.addSql(
      `alter table "outbound_email" drop column "note_id", drop column "note_revision_id", drop column "note_recipient_id", drop column "recipient_role", drop column "to_name", drop column "attachment";`,
    );
  }
}
