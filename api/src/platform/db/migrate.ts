import type { Constructor, MigrationObject } from '@mikro-orm/core';
import type { Migration } from '@mikro-orm/migrations';
import type { AbstractSqlConnection } from '@mikro-orm/sql';
import type { Orm } from './orm.js';
import { liftLimitsInTransaction } from './session-limits.js';

/**
 * Applies every committed migration not yet applied; returns their names.
 *
 * A migration can take minutes on a large database and must not trip the pool's 15 s statement
 * and 5 s lock timeouts, meant for requests: each run of migrations goes in a transaction of our
 * own with them lifted (session-limits.ts), handed to MikroORM as its master transaction.
 * Consecutive transactional migrations share one (all or nothing, as before). A migration that
 * opts out of transactions (ConcurrentIndexMigration, building indexes CONCURRENTLY on a session of
 * its own) runs alone: no earlier migration's uncommitted work may hold a lock its build would wait
 * for, and the transaction beside it only records it as applied once it is done. That transaction
 * stays idle meanwhile, hence the idle-in-transaction limit lifted too; it holds no snapshot, so
 * the concurrent build does not wait for it.
 */
export async function migrate(orm: Orm): Promise<string[]> {
  const pending = (await orm.migrator.getPending()).map((m) => m.name);
  const connection = orm.driver.getConnection() as AbstractSqlConnection;
  const applied: string[] = [];
  for (const names of runs(pending, transactionalByName(orm))) {
    const done = await connection.transactional(async (trx) => {
      await liftLimitsInTransaction(connection, trx);
      return orm.migrator.up({ migrations: names, transaction: trx });
    });
    applied.push(...done.map((m) => m.name));
  }
  return applied;
}

/** Pending names cut into runs: consecutive transactional migrations together, each other one alone. */
function runs(pending: string[], transactional: (name: string) => boolean): string[][] {
  const result: string[][] = [];
  for (const name of pending) {
    const last = result.at(-1);
    if (last && transactional(name) && transactional(last[0])) last.push(name);
    else result.push([name]);
  }
  return result;
}

/** Whether each listed migration runs in a transaction, asked of the migration itself (it may depend on the driver). */
function transactionalByName(orm: Orm): (name: string) => boolean {
  const list = (orm.config.get('migrations').migrationsList ?? []) as (MigrationObject | Constructor<Migration>)[];
  const byName = new Map<string, boolean>();
  for (const entry of list) {
    const cls = (typeof entry === 'function' ? entry : entry.class) as Constructor<Migration>;
    const instance = new cls(orm.driver, orm.config);
    byName.set(typeof entry === 'function' ? (instance.name ?? cls.name) : entry.name, instance.isTransactional());
  }
  // A migration not in the list (none here: the list is the migrations) is taken as transactional.
  return (name) => byName.get(name) ?? true;
}
