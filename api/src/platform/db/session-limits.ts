import type { AbstractSqlConnection } from '@mikro-orm/sql';

/**
 * The limits every pooled connection carries (db/orm.ts driverOptions): right for requests,
 * wrong for deliberate long work. A migration on a large table waits for locks and runs for
 * minutes; the start-up lock's transaction waits for another instance's migrations and then
 * sits idle. Such work lifts them on its own connection only, never on the pool's others.
 */
const LIMITS = ['lock_timeout', 'statement_timeout', 'idle_in_transaction_session_timeout'] as const;

/** Lifts the limits until the transaction ends (`set local`): nothing to undo, even when it fails. */
export async function liftLimitsInTransaction(connection: AbstractSqlConnection, trx: Parameters<AbstractSqlConnection['execute']>[3]): Promise<void> {
  for (const setting of LIMITS) await connection.execute(`set local ${setting} = 0`, [], 'run', trx);
}

/**
 * Lifts the limits for a session that works outside a transaction (CREATE INDEX CONCURRENTLY
 * cannot run in one); `restoreLimits` must follow before the connection goes back to the pool.
 */
export async function liftLimitsInSession(connection: AbstractSqlConnection, session: Parameters<AbstractSqlConnection['execute']>[3]): Promise<void> {
  for (const setting of LIMITS) await connection.execute(`set ${setting} = 0`, [], 'run', session);
}

/** Back to the values the connection opened with (the pool's, given at connect time). */
export async function restoreLimits(connection: AbstractSqlConnection, session: Parameters<AbstractSqlConnection['execute']>[3]): Promise<void> {
  for (const setting of LIMITS) await connection.execute(`reset ${setting}`, [], 'run', session);
}
