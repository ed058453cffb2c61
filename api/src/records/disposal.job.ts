import { runAs } from '../platform/audit/audit-context.js';
import type { Clock } from '../platform/clock.js';
import { withJobLock } from '../platform/db/job-lock.js';
import type { Em, Orm } from '../platform/db/orm.js';
import type { JobQueue } from '../platform/jobs/job-queue.js';
import type { Logger } from '../platform/logger.js';
import type { RetentionConfig } from '../platform/retention-config.js';
import { disposeExpiredRecords, type DisposalSummary } from './disposal.service.js';

/** The first run waits this long after start-up: a server restarting in a loop does not dispose on every start, and start-up stays quick. */
const FIRST_RUN_DELAY_MS = 15 * 60_000;
/** The schedule's name on the job queue. */
const DISPOSAL_SCHEDULE = 'records.disposal';
/** A run may take this long before the queue gives its turn to another server (one that died mid-run). */
const RUN_EXPIRY_SECONDS = 60 * 60;

export interface DisposalJob {
  /**
   * Disposes of what is past retention now (or at `now`). One run at a time across every
   * server on the database: null when another holds the job's lock. The actor is the caller's
   * (a manager asking through the API), or "system:retention" for the schedule.
   */
  runOnce(now?: Date): Promise<DisposalSummary | null>;
  stop(): Promise<void>;
}

/**
 * The disposal job: on the job queue's schedule (one server per turn) when retention's job is
 * enabled, and on demand (runOnce). Either way a run holds the job lock (job-lock.ts), which also
 * keeps a manager's run on one server from overlapping the schedule's on another, and the CLI's.
 */
export async function startDisposalJob(orm: Orm, jobs: JobQueue, retention: RetentionConfig, logger: Logger, clock: Clock): Promise<DisposalJob> {
  let running: Promise<DisposalSummary | null> | null = null;
  let stopped = false;

  const runOnce = (now?: Date): Promise<DisposalSummary | null> => {
    // Within this process, a second caller shares the run under way rather than starting another.
    running ??= withJobLock(orm, 'disposal', () => disposeExpiredRecords(orm.em.fork() as Em, retention, now ?? clock.now(), () => stopped)).finally(() => {
      running = null;
    });
    return running;
  };

  const scheduledRun = async () => {
    if (stopped) return;
    try {
      const summary = await runAs({ actor: 'system:retention' }, () => runOnce());
      if (summary && Object.keys(summary.disposed).length)
        logger.info({ runId: summary.runId, disposed: summary.disposed }, 'records past retention disposed of');
    } catch (error) {
      logger.error({ err: error }, 'disposal run failed; the next run tries again');
    }
  };
  if (retention.job.enabled) {
    const seconds = retention.job.intervalMs / 1000;
    await jobs.every(DISPOSAL_SCHEDULE, seconds, scheduledRun, {
      firstAfterSeconds: Math.min(FIRST_RUN_DELAY_MS, retention.job.intervalMs) / 1000,
      expireSeconds: RUN_EXPIRY_SECONDS,
    });
  }
  return {
    runOnce,
    async stop() {
      stopped = true;
      await running?.catch(() => undefined);
    },
  };
}
