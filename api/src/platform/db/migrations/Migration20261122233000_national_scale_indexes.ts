import { Migration } from '@mikro-orm/migrations';

/**
 * Indexes chosen from EXPLAIN on the national benchmark data set (scripts/bench):
 * - notes not yet circulated, with the columns the lateness rule reads: the
 *   overdue-notes report for an authority went from 213 ms to 26 ms;
 * - a partner's schools from the visits they led, read from the index alone
 *   (AccessPolicy.visibleSchoolIds, on every request of a partner): 4.4 ms to 1.3 ms;
 * - a school's visit ids from the index alone, for joins from schools to notes.
 */
export class Migration20261122233000_national_scale_indexes extends Migration {
  override name = 'Migration20261122233000_national_scale_indexes';

  override up(): void | Promise<void> {
    this.addSql(
      `create index "note_of_visit_open_visit_id_index" on "note_of_visit" ("visit_id") include ("status", "draft_due_on", "circulation_due_on") where "status" <> 'circulated';`,
    );
    this.addSql(`create index "visit_lead_partner_id_school_id_index" on "visit" ("lead_partner_id", "school_id");`);
    this.addSql(`create index "visit_school_id_id_index" on "visit" ("school_id", "id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "note_of_visit_open_visit_id_index";`);
    this.addSql(`drop index "visit_lead_partner_id_school_id_index";`);
    this.addSql(`drop index "visit_school_id_id_index";`);
  }
}
