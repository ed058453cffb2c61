import type { Transaction } from '@mikro-orm/core';
import { Migration } from '@mikro-orm/migrations';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import type { AbstractSqlConnection } from '@mikro-orm/sql';
import { liftLimitsInSession, restoreLimits } from '../session-limits.js';

export interface IndexDefinition {
  name: string;
  table: string;
  /** What follows `on "table"`: the columns, then any `include (...)` or `where ...`, as in CREATE INDEX. */
  on: string;
  unique?: boolean;
}

/**
 * The base of a migration that builds or drops indexes, and does nothing else: on PostgreSQL it
 * works CONCURRENTLY, so writes go on while an index on a large table is built (a plain CREATE
 * INDEX blocks them for the whole build). PostgreSQL refuses CONCURRENTLY in a transaction, so
 * the migration opts out of one (migrate.ts runs it alone) and does its work itself, in `up()`,
 * on a pooled connection of its own with the pool's timeouts lifted. A build that fails or is
 * killed leaves an INVALID index of that name, which IF NOT EXISTS would take as done: the next
 * attempt drops it first. Statements added with `addSql` would run after `up()` on any pooled
 * connection, with the timeouts: keep table changes in ordinary migrations.
 *
 * The embedded PGlite is one process running one transaction at a time: nobody writes beside a
 * build, so it gets the plain statements, in the migration run's transaction.
 *
 *   export class Migration2027..._visit_type_index extends ConcurrentIndexMigration {
 *     override name = 'Migration2027..._visit_type_index';
 *     override async up() { await this.createIndex({ name: 'visit_type_index', table: 'visit', on: '("type")' }); }
 *     override async down() { await this.dropIndex('visit_type_index'); }
 *   }
 */
export abstract class ConcurrentIndexMigration extends Migration {
  override isTransactional(): boolean {
    return !(this.driver instanceof PostgreSqlDriver);
  }

  protected async createIndex({ name, table, on, unique = false }: IndexDefinition): Promise<void> {
    const create = (how: string) => `create ${unique ? 'unique ' : ''}index ${how}if not exists ${quote(name)} on ${quote(table)} ${on}`;
    if (this.isTransactional()) return this.addSql(create(''));
    await this.onOwnSession(async (run) => {
      const [found] = await run<{ valid: boolean }>('select i.indisvalid as valid from pg_index i where i.indexrelid = to_regclass(?)', [quote(name)]);
      if (found && !found.valid) await run(`drop index concurrently if exists ${quote(name)}`);
      await run(create('concurrently '));
    });
  }

  protected async dropIndex(name: string): Promise<void> {
    if (this.isTransactional()) return this.addSql(`drop index if exists ${quote(name)}`);
    await this.onOwnSession((run) => run(`drop index concurrently if exists ${quote(name)}`));
  }

  private async onOwnSession(work: (run: <T>(sql: string, params?: unknown[]) => Promise<T[]>) => Promise<unknown>): Promise<void> {
    const connection = this.driver.getConnection() as AbstractSqlConnection;
    // Kysely's connection(): every statement below on one connection, taken from the pool and given back.
    await connection
      .getClient()
      .connection()
      .execute(async (session) => {
        const ctx = session as unknown as Transaction;
        const run = <T>(sql: string, params: unknown[] = []) => connection.execute<T[]>(sql, params, 'all', ctx);
        await liftLimitsInSession(connection, ctx);
        // An instance killed mid-build leaves its backend building on; checking for the lost client
        // every 2 s ends that build, so the next instance does not wait for it and then drop it.
        // Best effort: some platforms (not Linux) cannot check and refuse the setting.
        await run('set client_connection_check_interval = 2000').catch(() => undefined);
        let failed = false;
        try {
          await work(run);
        } catch (error) {
          failed = true;
          throw error;
        } finally {
          // Back to the pool with the pool's limits; a connection that cannot say so is broken
          // anyway, and must not hide why the work failed.
          await restoreLimits(connection, ctx)
            .then(() => run('reset client_connection_check_interval'))
            .catch((error: unknown) => {
              if (!failed) throw error;
            });
        }
      });
  }
}

/** A PostgreSQL identifier, quoted (names come from migrations, never from users). */
function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}
