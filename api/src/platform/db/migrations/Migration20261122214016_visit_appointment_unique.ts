import { Migration } from '@mikro-orm/migrations';

export class Migration20261122214016_visit_appointment_unique extends Migration {
  override name = 'Migration20261122214016_visit_appointment_unique';

  override up(): void | Promise<void> {
    this.addSql(`create unique index "visit_appointment_item_id_unique" on "visit" ("appointment_item_id") where "appointment_item_id" is not null;`);
    this.addSql(`create unique index "visit_appointment_ical_uid_unique" on "visit" ("appointment_ical_uid") where "appointment_ical_uid" is not null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "visit_appointment_item_id_unique";`);
    this.addSql(`drop index "visit_appointment_ical_uid_unique";`);
  }
}
