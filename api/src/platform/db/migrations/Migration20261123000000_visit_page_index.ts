import { Migration } from '@mikro-orm/migrations';

/**
 * A partner's page of visits is the latest few of each of their schools, merged
 * (visits/visit.queries.ts): with the id in the index, each school's top is read from
 * the index alone. It replaces (school_id, starts_at), its prefix.
 */
export class Migration20261123000000_visit_page_index extends Migration {
  override name = 'Migration20261123000000_visit_page_index';

  override up(): void | Promise<void> {
    this.addSql(`create index "visit_school_id_starts_at_id_index" on "visit" ("school_id", "starts_at", "id");`);
    this.addSql(`drop index "visit_school_id_starts_at_index";`);
  }

  override down(): void | Promise<void> {
    this.addSql(`create index "visit_school_id_starts_at_index" on "visit" ("school_id", "starts_at");`);
    this.addSql(`drop index "visit_school_id_starts_at_id_index";`);
  }
}
