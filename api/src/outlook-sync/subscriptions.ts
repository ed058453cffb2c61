import type { Em } from '../platform/db/orm.js';
import type { Logger } from '../platform/logger.js';
import type { Mailbox } from './calendar-change.js';
import { CalendarSubscription } from './calendar-subscription.entity.js';
import type { ClientStates } from './client-state.js';
import type { GraphCalendar } from './graph-calendar.js';
import { describeFailure, stateOf, update } from './sync-state.js';

export interface SubscriptionDeps {
  graph: GraphCalendar;
  clientStates: ClientStates;
  logger: Logger;
  /** Where Graph sends change and lifecycle notifications (notifications.router.ts). */
  notificationUrl: string;
  lifecycleUrl: string;
  /** How long a subscription is asked for, and how long before its end it is renewed. */
  lifetimeMinutes: number;
  renewMinutes: number;
}

const MINUTE_MS = 60_000;

/** Whether a row needs the subscription job: no subscription, or one due for renewal. Real time: Graph's expiry. */
export function needsWork(row: Pick<CalendarSubscription, 'subscriptionId' | 'expiresAt'>, renewMinutes: number, now = new Date()): boolean {
  return !row.subscriptionId || !row.expiresAt || row.expiresAt.getTime() - now.getTime() <= renewMinutes * MINUTE_MS;
}

/**
 * Makes sure the mailbox has a live subscription: renews one due for renewal (which also
 * reauthorises it), creates one when there is none or Graph no longer has it. Returns true when
 * a subscription was created: the caller reads the mailbox by delta, as changes may have been
 * missed in between.
 */
export async function ensureSubscription(em: Em, mailbox: Mailbox, deps: SubscriptionDeps): Promise<boolean> {
  const log = deps.logger.child({ component: 'calendar-sync', partnerId: mailbox.partnerId });
  const row = await stateOf(em, mailbox);
  if (!needsWork(row, deps.renewMinutes)) return false;
  const expiresAt = new Date(Date.now() + deps.lifetimeMinutes * MINUTE_MS);
  try {
    if (row.subscriptionId) {
      const renewed = await deps.graph.renewSubscription(row.subscriptionId, expiresAt);
      if (renewed) {
        await update(em, row.id, { expiresAt: renewed.expiresAt, lastError: null, lastErrorAt: null }, { subscriptionId: row.subscriptionId });
        log.info({ subscriptionId: row.subscriptionId, expiresAt: renewed.expiresAt }, 'calendar subscription renewed');
        return false;
      }
      log.warn({ subscriptionId: row.subscriptionId }, 'calendar subscription gone from Graph: creating another');
    }
    const { clientState, hash, keyVersion } = deps.clientStates.issue();
    // A notification arriving before the row names the new id is dropped; the resync that follows creation covers it.
    const created = await deps.graph.createSubscription({
      email: mailbox.email,
      notificationUrl: deps.notificationUrl,
      lifecycleNotificationUrl: deps.lifecycleUrl,
      clientState,
      expiresAt,
    });
    await update(em, row.id, {
      subscriptionId: created.id,
      expiresAt: created.expiresAt,
      clientStateHash: hash,
      clientStateKeyVersion: keyVersion,
      lastError: null,
      lastErrorAt: null,
    });
    log.info({ subscriptionId: created.id, expiresAt: created.expiresAt }, 'calendar subscription created');
    return true;
  } catch (error) {
    await update(em, row.id, { lastError: describeFailure(error), lastErrorAt: new Date() });
    throw error;
  }
}

/**
 * The subscriptions sync holds that Graph no longer has (expired, removed without a lifecycle
 * notice reaching us) are forgotten, so the subscription job creates them again. A row changed
 * since it was read keeps its new subscription (the update names the old id).
 */
export async function forgetVanished(em: Em, graph: GraphCalendar, logger: Logger): Promise<string[]> {
  const rows = await em.find(CalendarSubscription, { subscriptionId: { $ne: null } }, { fields: ['id', 'subscriptionId', 'partner'], refresh: true });
  if (!rows.length) return [];
  const live = await graph.subscriptionIds();
  const vanished: string[] = [];
  for (const row of rows) {
    if (live.has(row.subscriptionId!)) continue;
    if (await update(em, row.id, { subscriptionId: null, expiresAt: null }, { subscriptionId: row.subscriptionId! })) {
      logger.warn({ component: 'calendar-sync', subscriptionId: row.subscriptionId, partnerId: row.partner.id }, 'calendar subscription no longer in Graph');
      vanished.push(row.partner.id);
    }
  }
  return vanished;
}
