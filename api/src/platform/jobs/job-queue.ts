import { PgBoss, fromKysely, fromPglite, type Job, type SendOptions } from 'pg-boss';
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
   */
  send<T extends object>(name: string, data: T, options?: SendJobOptions): Promise<string | null>;
  /**
   * Runs `name` about every `seconds` on exactly one instance, starting `firstAfterSeconds` from
   * now (default: at once). Each run queues the next when it ends, so runs never overlap and a
   * slow run delays the next rather than piling runs up.
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

export async function startJobQueue(orm: Orm, database: AppConfig['database'], logger: Logger): Promise<JobQueue> {
  const log = logger.child({ component: 'jobs' });
  const boss = new PgBoss({
    ...(await bossOptions(orm, database)),
    // Maintenance (archiving, expiry) on one instance at a time, as pg-boss arranges.
    supervise: true,
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
      retryDelay: 5,
      retryBackoff: true,
      expireInSeconds: options.expireSeconds ?? 15 * 60,
    });
    created.add(name);
  };
  const workers: string[] = [];
  let stopping = false;

  const send = async <T extends object>(name: string, data: T, options: SendJobOptions = {}) => {
    await ensureQueue(name);
    const sendOptions: SendOptions = { singletonKey: options.key, startAfter: options.delaySeconds ?? 0 };
    if (options.tx) sendOptions.db = fromKysely(options.tx.getKysely());
    return boss.send(name, data, sendOptions);
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
    workers.push(id);
  };

  const every: JobQueue['every'] = async (name, seconds, handler, options = {}) => {
    const next = () => send(name, {}, { key: 'every', delaySeconds: seconds });
    await work<object>(
      name,
      async () => {
        try {
          await handler();
        } finally {
          // Queued even when the run failed: a failing schedule keeps its rhythm (the failure is logged, and retried by pg-boss).
          if (!stopping) await next();
        }
      },
      // A failed run is not retried: the next run comes anyway.
      { retryLimit: 0, ...options },
    );
    // Every instance asks; the stately queue keeps one.
    await send(name, {}, { key: 'every', delaySeconds: options.firstAfterSeconds ?? 0 });
  };

  return {
    work,
    send,
    every,
    async stop(timeoutMs = 10_000) {
      stopping = true;
      await boss.stop({ graceful: true, timeout: timeoutMs });
    },
  };
}
