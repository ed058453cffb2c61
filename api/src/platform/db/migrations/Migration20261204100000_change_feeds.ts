import { ConcurrentIndexMigration } from './concurrent-index.js';

/**
 * Lists in order of change (`changedSince`, platform/pagination/change-order.ts): the rows changed
 * after an instant, in (updated_at, id) order, read from an index rather than sorted. Built
 * concurrently: the visit table is large and written all day.
 */
const TABLES = ['school', 'partner', 'visit'] as const;

export class Migration20261204100000_change_feeds extends ConcurrentIndexMigration {
  override name = 'Migration20261204100000_change_feeds';

  override async up(): Promise<void> {
    for (const table of TABLES) await this.createIndex({ name: `${table}_updated_at_id_index`, table, on: '("updated_at", "id")' });
  }

  override async down(): Promise<void> {
    for (const table of TABLES) await this.dropIndex(`${table}_updated_at_id_index`);
  }
}
