import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import type { AbstractSqlConnection } from '@mikro-orm/sql';
import type { Orm } from './orm.js';
import { liftLimitsInTransaction } from './session-limits.js';

/**
 * Start-up work that must happen once however many instances start together
 * against one PostgreSQL (migrations, the demo county on an empty database):
 * each instance waits for a transaction-scoped advisory lock, so they take turns
 * and the later ones find the work done. The lock goes with the transaction, so
 * an instance killed half-way frees it (and its migration rolls back; an index
 * build cut short is dropped and built again by the next: concurrent-index.ts).
 *
 * The lock's transaction is held on a connection of its own, outside MikroORM's
 * entity managers, while the work runs on others: the pool needs two connections
 * (three while an index is built, on a session of its own: migrate.ts).
 * The embedded database is one process per folder anyway (embedded-lock.ts).
 */
const STARTUP_LOCK = 'school-visits:start-up';
/** How long an instance waits between tries for the lock: start-up work takes seconds, so a fraction of one is plenty. */
const RETRY_MS = 200;

async function tryLock(connection: AbstractSqlConnection, trx: Parameters<AbstractSqlConnection['commit']>[0]): Promise<boolean> {
  const [row] = await connection.execute<{ locked: boolean }[]>('select pg_try_advisory_xact_lock(hashtext(?)) as locked', [STARTUP_LOCK], 'all', trx);
  return row?.locked === true;
}

export async function withStartupLock<T>(orm: Orm, work: () => Promise<T>): Promise<T> {
  if (!(orm.driver instanceof PostgreSqlDriver)) return work();
  const connection = orm.driver.getConnection() as AbstractSqlConnection;
  const trx = await connection.begin();
  try {
    // This transaction waits for the lock as long as another instance's migrations take, then sits idle
    // while the work runs elsewhere: exempt it from the lock, statement and idle-in-transaction limits
    // (with the 5 s lock timeout, the second of two instances starting together gave up: the soak).
    await liftLimitsInTransaction(connection, trx);
    // Tried again and again rather than waited for in one statement: a statement waiting for the lock holds a
    // snapshot all the while, and an index the holder builds CONCURRENTLY (concurrent-index.ts) waits for every
    // older snapshot to end: each would wait for the other for ever (seen with two instances starting together).
    // Between tries this transaction runs no statement and holds no snapshot.
    while (!(await tryLock(connection, trx))) await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    const result = await work();
    await connection.commit(trx);
    return result;
  } catch (error) {
    await connection.rollback(trx).catch(() => undefined);
    throw error;
  }
}
