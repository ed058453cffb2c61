import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 21: a visit keeps the Graph identity of its appointment (the immutable event id, found
 * by calendar sync, and the series when it is one occurrence of a recurring appointment), and
 * when its appointment was cancelled in Outlook while a note was started (the visit is kept).
 */
export class Migration20261202100000_calendar_sync extends Migration {
  override name = 'Migration20261202100000_calendar_sync';

  override up(): void | Promise<void> {
    this.addSql(
      `alter table "visit" add column "appointment_event_id" varchar(512) null, add column "appointment_series_master_id" varchar(512) null, add column "appointment_cancelled_at" timestamptz null;`,
    );
    this.addSql(`create unique index "visit_appointment_event_id_unique" on "visit" ("appointment_event_id") where "appointment_event_id" is not null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index if exists "visit_appointment_event_id_unique";`);
    this.addSql(`alter table "visit" drop column "appointment_event_id", drop column "appointment_series_master_id", drop column "appointment_cancelled_at";`);
  }
}
