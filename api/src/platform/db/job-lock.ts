import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import type { AbstractSqlConnection } from '@mikro-orm/sql';
import type { Orm } from './orm.js';
import { liftLimitsInTransaction } from './session-limits.js';

/**
 * A background job that must run on one server at a time (the disposal job): it runs while
 * this process holds a transaction-scoped advisory lock, tried without waiting, so when another
 * server is already running the job this one skips its turn (null) rather than queue behind it.
 * As with the start-up lock (startup-lock.ts), the lock's transaction sits on a connection of
 * its own while the job works on others, and a server killed mid-run frees it with its session.
 * The embedded database is one process per folder (embedded-lock.ts): the job just runs.
 */
export async function withJobLock<T>(orm: Orm, name: string, work: () => Promise<T>): Promise<T | null> {
  if (!(orm.driver instanceof PostgreSqlDriver)) return work();
  const connection = orm.driver.getConnection() as AbstractSqlConnection;
  const trx = await connection.begin();
  try {
    // Idle while the job works elsewhere: the idle-in-transaction limit would end it half-way.
    await liftLimitsInTransaction(connection, trx);
    const [row] = await connection.execute<{ locked: boolean }[]>('select pg_try_advisory_xact_lock(hashtext(?)) as locked', [`job:${name}`], 'all', trx);
    const result = row?.locked ? await work() : null;
    await connection.commit(trx);
    return result;
  } catch (error) {
    await connection.rollback(trx).catch(() => undefined);
    throw error;
  }
}
