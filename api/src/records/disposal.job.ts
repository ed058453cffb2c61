import { runAs } from '../platform/audit/audit-context.js';
import type { Clock } from '../platform/clock.js';
import { withJobLock } from '../platform/db/job-lock.js';
import type { Em, Orm } from '../platform/db/orm.js';
import type { Logger } from '../platform/logger.js';
import type { RetentionConfig } from '../platform/retention-config.js';
import { disposeExpiredRecords, type DisposalSummary } from './disposal.service.js';

/** The first run waits this long after start-up: a server restarting in a loop does not dispose on every start, and start-up stays quick. */
const FIRST_RUN_DELAY_MS = 15 * 60_000;

export interface DisposalJob {
  /**
   * Disposes of what is past retention now (or at `now`). One run at a time across every
   * server on the database: null when another holds the job's lock. The actor is the caller's
   * (a manager asking through the API), or "system:retention" for the schedule.
   */
  runOnce(now?: Date): Promise<DisposalSummary | null>;
  stop(): Promise<void>;
}

export function startDisposalJob(orm: Orm, retention: RetentionConfig, logger: Logger, clock: Clock): DisposalJob {
  let running: Promise<DisposalSummary | null> | null = null;
  let stopped = false;

  const runOnce = (now?: Date): Promise<DisposalSummary | null> => {
    // Within this process, a second caller shares the run under way rather than starting another.
    running ??= withJobLock(orm, 'disposal', () => disposeExpiredRecords(orm.em.fork() as Em, retention, now ?? clock.now(), () => stopped)).finally(() => {
      running = null;
    });
    return running;
  };

  const tick = () => {
    if (stopped) return;
    runAs({ actor: 'system:retention' }, runOnce)
      .then((summary) => {
        if (summary && Object.keys(summary.disposed).length)
          logger.info({ runId: summary.runId, disposed: summary.disposed }, 'records past retention disposed of');
      })
      .catch((error) => logger.error({ err: error }, 'disposal run failed; the next run tries again'));
  };
  const timers: NodeJS.Timeout[] = [];
  if (retention.job.enabled) {
    const first = setTimeout(
      () => {
        tick();
        const every = setInterval(tick, retention.job.intervalMs);
        every.unref();
        timers.push(every);
      },
      Math.min(FIRST_RUN_DELAY_MS, retention.job.intervalMs),
    );
    first.unref();
    timers.push(first);
  }
  return {
    runOnce,
    async stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      await running?.catch(() => undefined);
    },
  };
}
