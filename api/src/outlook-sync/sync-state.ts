import { GraphError } from '@microsoft/microsoft-graph-client';
import type { Em } from '../platform/db/orm.js';
import type { Mailbox } from './calendar-change.js';
import { CalendarSubscription } from './calendar-subscription.entity.js';

/**
 * Reads and writes of calendar sync's bookkeeping (calendar-subscription.entity.ts). These are
 * single statements, not audited flushes: the row is sync's own progress (a delta link, an
 * expiry), rewritten on every run, not part of the record. What sync does to visits is audited
 * by CalendarVisits; subscription lifecycle events are logged.
 */

/** The mailbox's row, made when first seen; a changed address starts again (no subscription, a full read). */
export async function stateOf(em: Em, mailbox: Mailbox): Promise<CalendarSubscription> {
  await em.execute(
    `insert into calendar_subscription (id, created_at, updated_at, partner_id, mailbox) values (gen_random_uuid(), now(), now(), ?, ?) on conflict (partner_id) do nothing`,
    [mailbox.partnerId, mailbox.email],
  );
  const row = await em.findOneOrFail(CalendarSubscription, { partner: mailbox.partnerId }, { refresh: true });
  if (row.mailbox !== mailbox.email) {
    await update(em, row.id, { mailbox: mailbox.email, subscriptionId: null, expiresAt: null, clientStateHash: null, deltaLink: null });
    return em.findOneOrFail(CalendarSubscription, { id: row.id }, { refresh: true });
  }
  return row;
}

export type StateChange = Partial<
  Pick<
    CalendarSubscription,
    | 'mailbox'
    | 'subscriptionId'
    | 'expiresAt'
    | 'clientStateHash'
    | 'clientStateKeyVersion'
    | 'deltaLink'
    | 'deltaWindowStart'
    | 'lastSyncedAt'
    | 'lastError'
    | 'lastErrorAt'
  >
>;

export async function update(em: Em, id: string, change: StateChange, where: { subscriptionId?: string } = {}): Promise<number> {
  return em.nativeUpdate(CalendarSubscription, { id, ...where }, { ...change, updatedAt: new Date() });
}

/** A failure in words for the operator: Graph's status and code, never a URL (a delta link holds a token) or a header. */
export function describeFailure(error: unknown): string {
  if (error instanceof GraphError) return `Microsoft Graph answered ${error.statusCode}${error.code ? ` (${error.code})` : ''}`.slice(0, 500);
  return (error instanceof Error ? error.message : String(error)).replace(/https?:\/\/\S+/g, '(address)').slice(0, 500);
}
