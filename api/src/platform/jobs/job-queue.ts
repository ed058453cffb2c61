import { PgBoss, fromKysely, fromPglite, type Job, type SendOptions } from 'pg-boss';
import { TransactionContext } from '@mikro-orm/core';
import { PgliteConnection } from '@mikro-orm/pglite';
import type { AppConfig } from '../config.js';
import type { Em, Orm } from '../db/orm.js';
import type { Logger } from '../logger.js';

/**
 * Background and scheduled work on one PostgreSQL job queue (pg-boss), on real PostgreSQL and
 * on the embedded database alike. The queue's tables live in their own schema (`pgboss`), so a
 * job can be queued in the transaction of the write that asks for it, and a job is taken by one
 * instance however many run: pg-boss claims with SKIP LOCKED.
 *
 * Every queue is "stately": for one key at most one job waits and one runs. A hint sent while
 * the same work waits is absorbed by the waiting job; one sent while it runs waits for the next
 * turn, so a hint that arrives mid-run is never lost.
 */
export interface JobQueue {
  /**
   * Handles jobs of `name` in this process. A throw fails the attempt; pg-boss retries it with
   * backoff up to `retryLimit` times. `expireSeconds` is how long an attempt may run before
   * another instance may take it again (an instance that died mid-job).
   */
  work<T extends object>(name: string, handler: (data: T) => Promise<void>, options?: WorkOptions): Promise<void>;
  /**
   * Queues a job. With `key`, at most one job of this name and key waits at a time (see above);
   * `delaySeconds` holds it back; `tx` queues it in that transaction (it exists only if the
   * transaction commits). Null when an identical job already waits.
   *
   * Inside a transaction, pass it as `tx`, or send after the commit: `send` refuses (throws) when
   * called inside an ORM transaction without `tx`. Sent outside the transaction, the job would
   * exist even if the write rolled back and could run before the write is visible; and on the
   * embedded database it is a deadlock: PGlite runs one transaction at a time, so the queue's
   * statement waits for the open transaction while the transaction awaits the send.
   */
  send<T extends object>(name: string, data: T, options?: SendJobOptions): Promise<string | null>;
  /**
   * Runs `name` about every `seconds` on exactly one instance, starting `firstAfterSeconds` from
   * now (default: at once). Each run queues the next as it starts, so an instance that stops or
   * dies mid-run does not end the schedule (another instance takes the next turn); the queue
   * never runs two at once (stately), so a run slower than `seconds` delays the next rather than
   * piling runs up. A run that throws is logged and not retried (the next turn comes anyway); a
   * turn whose instance stopped or died before finishing it is run again by another instance, as
   * is one still running past `expireSeconds`: a handler must bear being run twice.
   */
  every(name: string, seconds: number, handler: () => Promise<void>, options?: WorkOptions & { firstAfterSeconds?: number }): Promise<void>;
  /** Stops taking jobs and waits (up to `timeoutMs`) for those running here to end. */
  stop(timeoutMs?: number): Promise<void>;
}

export interface WorkOptions {
  /** Jobs of this name run at once in this process (default 1). */
  concurrency?: number;
  retryLimit?: number;
  expireSeconds?: number;
  /** How often an idle worker looks for jobs (default 1 s; pg-boss's least is 0.5 s). */
  pollingIntervalSeconds?: number;
  /** The wait before a failed (or expired) attempt is tried again, doubled each time (default 5 s). */
  retryDelaySeconds?: number;
}

export interface JobQueueOptions {
  /** How often an instance looks for attempts past their expiry, among other upkeep (default 60 s; tests shorten it). */
  superviseIntervalSeconds?: number;
}

export interface SendJobOptions {
  key?: string;
  delaySeconds?: number;
  tx?: Em;
}

const SCHEMA = 'pgboss';

/** The pg-boss options for this database: its own small pool on PostgreSQL, the ORM's PGlite instance when embedded. */
async function bossOptions(orm: Orm, database: AppConfig['database']) {
  if (database.kind === 'postgresql') return { connectionString: database.url, max: 4, schema: SCHEMA, application_name: 'school-visits-jobs' };
  const connection = orm.em.getConnection();
  if (!(connection instanceof PgliteConnection)) throw new Error('embedded database without a PGlite connection');
  // PGlite is one session: statements sent here wait for the ORM's open transaction (PGlite's own
  // transaction lock), so pg-boss's work never runs inside a request's transaction.
  return { db: fromPglite(await connection.getNativeClient()), backend: 'pglite' as const, schema: SCHEMA };
}

export async function startJobQueue(orm: Orm, database: AppConfig['database'], logger: Logger, options: JobQueueOptions = {}): Promise<JobQueue> {
  const log = logger.child({ component: 'jobs' });
  const boss = new PgBoss({
    ...(await bossOptions(orm, database)),
    // Maintenance (archiving, expiry) on one instance at a time, as pg-boss arranges.
    supervise: true,
    // Only when given: pg-boss checks the option's presence, not its value.
    ...(options.superviseIntervalSeconds ? { superviseIntervalSeconds: options.superviseIntervalSeconds } : {}),
    schedule: false,
  });
  boss.on('error', (error) => log.error({ err: error }, 'job queue error'));
  await boss.start();
  const created = new Set<string>();
  const ensureQueue = async (name: string, options: WorkOptions = {}) => {
    if (created.has(name)) return;
    await boss.createQueue(name, {
      policy: 'stately',
      retryLimit: options.retryLimit ?? 5,
      retryDelay: options.retryDelaySeconds ?? 5,
      retryBackoff: true,
      expireInSeconds: options.expireSeconds ?? 15 * 60,
    });
    created.add(name);
  };
  /** This process's workers by queue, woken at once by a job sent from here (rather than at their next poll). */
  const workers = new Map<string, string[]>();

  const send = async <T extends object>(name: string, data: T, options: SendJobOptions = {}) => {
    if (!options.tx && TransactionContext.getEntityManager()?.isInTransaction())
      throw new Error(`job "${name}" sent inside a transaction: pass the transaction as { tx }, or send after the commit`);
    await ensureQueue(name);
    const sendOptions: SendOptions = { singletonKey: options.key, startAfter: options.delaySeconds ?? 0 };
    if (options.tx) sendOptions.db = fromKysely(options.tx.getKysely());
    const id = await boss.send(name, data, sendOptions);
    // A job sent in a transaction is not there until the commit: the workers find it at their next poll.
    if (id && !options.tx && !options.delaySeconds) for (const worker of workers.get(name) ?? []) boss.notifyWorker(worker);
    return id;
  };

  const work = async <T extends object>(name: string, handler: (data: T) => Promise<void>, options: WorkOptions = {}) => {
    await ensureQueue(name, options);
    const id = await boss.work<T>(
      name,
      { batchSize: 1, localConcurrency: options.concurrency ?? 1, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1 },
      async ([job]: Job<T>[]) => {
        try {
          await handler(job.data);
        } catch (error) {
          log.warn({ err: error, job: name, jobId: job.id }, 'job failed; the queue tries it again later');
          throw error;
        }
      },
    );
    workers.set(name, [...(workers.get(name) ?? []), id]);
  };

  const every: JobQueue['every'] = async (name, seconds, handler, options = {}) => {
    await work<object>(
      name,
      async () => {
        // The next turn first: it waits while this one runs (stately), and survives this instance.
        await send(name, {}, { key: 'every', delaySeconds: seconds });
        try {
          await handler();
        } catch (error) {
          // Not retried: the next turn comes anyway.
          log.warn({ err: error, job: name }, 'scheduled run failed; the next turn tries again');
        }
      },
      // Retries are for a turn its instance never finished (stopped with the turn just taken, or
      // gone past the expiry): another instance takes it, so the schedule goes on.
      { retryLimit: 3, ...options },
    );
    // Every instance asks; the stately queue keeps one.
    await send(name, {}, { key: 'every', delaySeconds: options.firstAfterSeconds ?? 0 });
  };

  return {
    work,
    send,
    every,
    async stop(timeoutMs = 10_000) {
      await boss.stop({ graceful: true, timeout: timeoutMs });
    },
  };
}
