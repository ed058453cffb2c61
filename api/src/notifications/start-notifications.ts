import type { Outbox } from '../mail/outbox.js';
import { runAs } from '../platform/audit/audit-context.js';
import type { Clock } from '../platform/clock.js';
import type { Orm } from '../platform/db/orm.js';
import type { JobQueue } from '../platform/jobs/job-queue.js';
import type { Logger } from '../platform/logger.js';
import { TEAMS_MANIFEST_APP_ID, type NotificationsConfig } from '../platform/notifications-config.js';
import { tellDeadlines } from './notification-deadlines.js';
import { deliverPending } from './notification-delivery.js';
import { tellEvents } from './notification-events.js';
import type { TellDeps } from './notification-record.js';
import { teamsFeedFor, type TeamsFeed } from './teams-feed.js';
import { sendWeeklyDigests } from './weekly-digest.js';

export interface RunSummary {
  events: number;
  deadlines: number;
  feed: number;
  emailInstead: number;
  digests: number;
}

export interface Notifications {
  /** One turn: the new domain events, the deadlines, the Teams deliveries, this week's digests. Safe to run anywhere, any number of times at once. */
  runOnce(now?: Date): Promise<RunSummary>;
}

const SCHEDULE = 'notifications.run';

/**
 * Notifications composed (app.ts): the Teams feed when configured (else email only), and a turn every
 * NOTIFICATIONS_INTERVAL_SECONDS on one instance (the job queue's `every`). Every step is idempotent:
 * a turn run twice, or on two instances at once, tells each person each thing once.
 */
export async function startNotifications(options: {
  config: NotificationsConfig;
  orm: Orm;
  jobs: JobQueue;
  outbox: Outbox;
  clock: Clock;
  logger: Logger;
  /** Tests may pass their own feed. */
  feed?: TeamsFeed;
}): Promise<Notifications | null> {
  const { config, orm, jobs, outbox, clock } = options;
  if (!config.enabled) return null;
  const logger = options.logger.child({ component: 'notifications' });
  const teamsAppId = config.teamsFeed?.teamsAppId ?? TEAMS_MANIFEST_APP_ID;
  const feed = options.feed ?? (config.teamsFeed ? await teamsFeedFor(config.teamsFeed.graph, teamsAppId) : null);
  const deps: TellDeps = { outbox, feedOn: feed !== null, teamsAppId };

  const runOnce = (at?: Date) =>
    runAs({ actor: 'system:notifications' }, async (): Promise<RunSummary> => {
      const time = () => at ?? clock.now();
      const events = await tellEvents(orm, deps, time());
      const deadlines = await tellDeadlines(orm, deps, time());
      const delivered = feed ? await deliverPending(orm, deps, feed, logger, time) : { feed: 0, email: 0 };
      const digests = config.digest ? await sendWeeklyDigests(orm, deps, time()) : 0;
      const summary = { events, deadlines, feed: delivered.feed, emailInstead: delivered.email, digests };
      if (events || deadlines || delivered.feed || delivered.email || digests) {
        logger.info(summary, 'notifications sent');
        outbox.kick();
      }
      return summary;
    });

  await jobs.every(
    SCHEDULE,
    config.intervalSeconds,
    async () => {
      await runOnce();
    },
    { firstAfterSeconds: config.intervalSeconds },
  );
  logger.info({ teamsFeed: feed !== null, intervalSeconds: config.intervalSeconds, digest: config.digest }, 'notifications on');
  return { runOnce };
}
