import { runAs } from '../platform/audit/audit-context.js';
import type { Clock } from '../platform/clock.js';
import type { CalendarSyncConfig } from '../platform/config.js';
import type { Em, Orm } from '../platform/db/orm.js';
import { graphStatus, retryAfterSeconds } from '../platform/graph/graph-client.js';
import type { JobQueue } from '../platform/jobs/job-queue.js';
import type { Logger } from '../platform/logger.js';
import type { CalendarVisits, Mailbox } from './calendar-change.js';
import { CalendarSubscription } from './calendar-subscription.entity.js';
import type { ClientStates } from './client-state.js';
import type { GraphCalendar } from './graph-calendar.js';
import { syncMailbox } from './mailbox-sync.js';
import { mailboxOf, mailboxesToSync } from './mailboxes.js';
import { ensureSubscription, forgetVanished, needsWork } from './subscriptions.js';
import { stateOf, update } from './sync-state.js';

/**
 * Calendar sync's work on the job queue (platform/jobs/job-queue.ts), so that however many API
 * instances run, each piece is done once:
 *
 * - `calendar-sync.mailbox`, keyed by partner: link bookings, read by delta, apply. Notifications
 *   for one mailbox collapse into the one waiting job.
 * - `calendar-sync.subscription`, keyed by partner (push): create, renew or recreate its subscription.
 * - `calendar-sync.subscriptions`, scheduled (push): queues the subscription job of every mailbox
 *   with none, one due for renewal, or one Graph no longer has; drops those of partners gone.
 * - `calendar-sync.reconcile`, scheduled: queues every mailbox's sync (the safety net in push mode,
 *   the polling itself in poll mode). Its first run at start-up covers any gap while stopped.
 */
export const CALENDAR_JOBS = {
  mailbox: 'calendar-sync.mailbox',
  subscription: 'calendar-sync.subscription',
  subscriptions: 'calendar-sync.subscriptions',
  reconcile: 'calendar-sync.reconcile',
} as const;

/** Background work's actor in the audit trail: visits changed by sync are recorded as done by it. */
export const CALENDAR_SYNC_ACTOR = 'system:calendar-sync';

/** One change or lifecycle notification as Graph posts it (only what sync reads). */
export interface GraphNotification {
  subscriptionId?: string;
  clientState?: string | null;
  changeType?: string;
  lifecycleEvent?: 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed' | string;
}

export interface CalendarSyncDeps {
  orm: Orm;
  jobs: JobQueue;
  graph: GraphCalendar;
  visits: CalendarVisits;
  clientStates: ClientStates;
  config: CalendarSyncConfig;
  logger: Logger;
  /** The business clock: what a change means (calendar-change.ts) and the delta window. */
  clock: Clock;
}

export interface CalendarSync {
  mode: CalendarSyncConfig['mode'];
  /** Registers the workers and schedules; `baseUrl` is where Graph reaches this API (PUBLIC_URL, or the server's own address). */
  start(baseUrl: string): Promise<void>;
  /** Change notifications: each whose clientState matches queues its mailbox's sync. */
  notified(items: GraphNotification[]): Promise<void>;
  /** Lifecycle notifications: renew, recreate and resync, or resync. */
  lifecycle(items: GraphNotification[]): Promise<void>;
  /** Queues one mailbox's sync now. */
  syncSoon(partnerId: string): Promise<void>;
}

/**
 * Mailboxes are read a few at a time by each instance (each is mostly waiting on Graph), and an
 * idle worker looks for work twice a second: a notification's change reaches its visit in seconds.
 */
const JOB_WORK = { concurrency: 4, pollingIntervalSeconds: 0.5 };

export const NOTIFICATION_PATH = '/graph/notifications';
export const LIFECYCLE_PATH = '/graph/lifecycle';

export function createCalendarSync(deps: CalendarSyncDeps): CalendarSync {
  const { orm, jobs, config } = deps;
  const log = deps.logger.child({ component: 'calendar-sync' });
  const newEm = () => orm.em.fork() as Em;
  const asSync = <T>(work: () => Promise<T>) => runAs({ actor: CALENDAR_SYNC_ACTOR }, work);
  /** Queues a job of one mailbox (keyed by its partner: one waits, one runs). */
  const queueFor = (name: string) => async (partnerId: string, delaySeconds?: number) => {
    await jobs.send(name, { partnerId }, { key: partnerId, delaySeconds });
  };
  const syncSoon = queueFor(CALENDAR_JOBS.mailbox);
  const subscribeSoon = queueFor(CALENDAR_JOBS.subscription);

  /**
   * A worker of one mailbox's jobs, as the sync actor. A partner gone meanwhile is nothing to do;
   * throttled (429) beyond the client's own retries is not a failure: the same job again after Retry-After.
   */
  const workPerMailbox = (name: string, work: (em: Em, mailbox: Mailbox) => Promise<void>) =>
    jobs.work<{ partnerId: string }>(
      name,
      ({ partnerId }) =>
        asSync(async () => {
          const em = newEm();
          const mailbox = await mailboxOf(em, partnerId);
          if (!mailbox) return;
          try {
            await work(em, mailbox);
          } catch (error) {
            if (graphStatus(error) !== 429) throw error;
            const delaySeconds = Math.max(1, Math.ceil(retryAfterSeconds(error) ?? 30));
            log.warn({ partnerId, delaySeconds }, 'Microsoft Graph is throttling: trying again after Retry-After');
            await queueFor(name)(partnerId, delaySeconds);
          }
        }),
      JOB_WORK,
    );

  /** The notifications whose clientState matches their subscription's, with the partner each is for; others are dropped and logged without the value. */
  const verified = async (items: GraphNotification[]) => {
    const ids = [...new Set(items.map((i) => i.subscriptionId).filter((id): id is string => typeof id === 'string' && id.length > 0))];
    const rows = ids.length ? await newEm().find(CalendarSubscription, { subscriptionId: { $in: ids } }, { refresh: true }) : [];
    const bySubscription = new Map(rows.map((r) => [r.subscriptionId!, r]));
    const accepted: { item: GraphNotification; row: CalendarSubscription }[] = [];
    for (const item of items) {
      const row = item.subscriptionId ? bySubscription.get(item.subscriptionId) : undefined;
      if (row && deps.clientStates.matches(item.clientState, { hash: row.clientStateHash, keyVersion: row.clientStateKeyVersion }))
        accepted.push({ item, row });
      else log.warn({ subscriptionId: item.subscriptionId ?? null, known: !!row }, 'calendar notification dropped: unknown subscription or wrong clientState');
    }
    return accepted;
  };

  return {
    mode: config.mode,
    syncSoon: (partnerId) => syncSoon(partnerId),

    async notified(items) {
      const partners = new Set((await verified(items)).map(({ row }) => row.partner.id));
      for (const partnerId of partners) await syncSoon(partnerId);
    },

    async lifecycle(items) {
      for (const { item, row } of await verified(items)) {
        const partnerId = row.partner.id;
        log.info({ partnerId, subscriptionId: item.subscriptionId, lifecycleEvent: item.lifecycleEvent }, 'calendar subscription lifecycle notification');
        if (item.lifecycleEvent === 'reauthorizationRequired') {
          // Renewing reauthorises: marked due now, the subscription job renews it.
          await update(newEm(), row.id, { expiresAt: new Date() }, { subscriptionId: item.subscriptionId! });
          await subscribeSoon(partnerId);
        } else if (item.lifecycleEvent === 'subscriptionRemoved') {
          // Gone: the subscription job creates another and then resyncs the mailbox.
          await update(newEm(), row.id, { subscriptionId: null, expiresAt: null }, { subscriptionId: item.subscriptionId! });
          await subscribeSoon(partnerId);
        } else if (item.lifecycleEvent === 'missed') {
          await syncSoon(partnerId);
        }
      }
    },

    async start(baseUrl) {
      await workPerMailbox(CALENDAR_JOBS.mailbox, (em, mailbox) => syncMailbox(em, mailbox, deps, deps.clock.now()));

      await jobs.every(CALENDAR_JOBS.reconcile, config.intervalSeconds, () =>
        asSync(async () => {
          for (const mailbox of await mailboxesToSync(newEm())) await syncSoon(mailbox.partnerId);
        }),
      );

      if (config.mode !== 'push') return;
      const subscriptionDeps = {
        ...deps,
        notificationUrl: baseUrl + NOTIFICATION_PATH,
        lifecycleUrl: baseUrl + LIFECYCLE_PATH,
        lifetimeMinutes: config.subscriptionMinutes,
        renewMinutes: config.renewMinutes,
      };
      await workPerMailbox(CALENDAR_JOBS.subscription, async (em, mailbox) => {
        if (await ensureSubscription(em, mailbox, subscriptionDeps)) await syncSoon(mailbox.partnerId);
      });

      await jobs.every(CALENDAR_JOBS.subscriptions, config.checkSeconds, () =>
        asSync(async () => {
          const em = newEm();
          const mailboxes = await mailboxesToSync(em);
          const current = new Set(mailboxes.map((m) => m.partnerId));
          // Partners who left: their subscriptions are deleted, their rows with them.
          for (const row of await em.find(CalendarSubscription, {}, { refresh: true })) {
            if (current.has(row.partner.id)) continue;
            if (row.subscriptionId) await deps.graph.deleteSubscription(row.subscriptionId);
            await em.nativeDelete(CalendarSubscription, { id: row.id });
          }
          const rows = [];
          for (const mailbox of mailboxes) rows.push(await stateOf(em, mailbox));
          const vanished = new Set(await forgetVanished(em, deps.graph, deps.logger));
          for (const row of rows) if (vanished.has(row.partner.id) || needsWork(row, config.renewMinutes)) await subscribeSoon(row.partner.id);
        }),
      );
    },
  };
}
