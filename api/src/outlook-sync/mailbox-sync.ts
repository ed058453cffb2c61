import type { Event } from '@microsoft/microsoft-graph-types';
import type { Em } from '../platform/db/orm.js';
import type { Logger } from '../platform/logger.js';
import type { CalendarChange, CalendarVisits, Mailbox } from './calendar-change.js';
import { DeltaExpired, restIdOfEwsId, type DeltaWindow, type GraphCalendar } from './graph-calendar.js';
import { describeFailure, stateOf, update } from './sync-state.js';

const DAY_MS = 86_400_000;
/** The calendar delta reads: a year back (late notes, recent moves) to eighteen months ahead (visits are booked a year out). */
const WINDOW_BACK_DAYS = 365;
const WINDOW_AHEAD_DAYS = 548;
/** A delta link keeps the window it began with; once that start is this stale a fresh window is read. */
const WINDOW_REFRESH_DAYS = 30;

export function deltaWindow(now: Date): DeltaWindow {
  return { start: new Date(now.getTime() - WINDOW_BACK_DAYS * DAY_MS), end: new Date(now.getTime() + WINDOW_AHEAD_DAYS * DAY_MS) };
}

export interface MailboxSyncDeps {
  graph: GraphCalendar;
  visits: CalendarVisits;
  logger: Logger;
}

/**
 * One mailbox's sync: read its calendar by delta (from the stored link, or the whole window) and
 * hand the changes over to CalendarVisits, then link the visits booked from it that have no Graph
 * event yet (linking applies each event as it is now, so nothing read before the link is lost).
 * Notifications only say "look"; this read is the truth. `now` is the business clock (the
 * window, what the changes mean).
 */
export async function syncMailbox(em: Em, mailbox: Mailbox, deps: MailboxSyncDeps, now: Date): Promise<void> {
  const log = deps.logger.child({ component: 'calendar-sync', partnerId: mailbox.partnerId });
  const state = await stateOf(em, mailbox);
  try {
    const window = deltaWindow(now);
    const stale = !state.deltaWindowStart || window.start.getTime() - state.deltaWindowStart.getTime() > WINDOW_REFRESH_DAYS * DAY_MS;
    let read;
    let windowStart = stale ? window.start : state.deltaWindowStart!;
    let full = stale || !state.deltaLink;
    try {
      read = await deps.graph.readDelta(mailbox.email, full ? null : state.deltaLink!, window);
    } catch (error) {
      if (!(error instanceof DeltaExpired)) throw error;
      log.info('delta link expired (410): reading the whole calendar window again');
      read = await deps.graph.readDelta(mailbox.email, null, window);
      windowStart = window.start;
      full = true;
    }
    const changes = full ? [...read.changes, ...(await vanishedSinceLastRead(em, mailbox, deps, read.changes, window))] : read.changes;
    const summary = changes.length ? await deps.visits.apply(em, mailbox, changes, now) : null;
    // Linked after the read, not before: an event linked first and deleted before the read would be
    // one the read never saw, and delta reports the removal only of events a read has seen.
    await linkBookings(em, mailbox, deps, now);
    await update(em, state.id, { deltaLink: read.deltaLink, deltaWindowStart: windowStart, lastSyncedAt: new Date(), lastError: null, lastErrorAt: null });
    if (summary) log.info({ changes: changes.length, full, ...summary }, 'calendar changes applied');
    else log.debug('calendar read: no changes');
  } catch (error) {
    await update(em, state.id, { lastError: describeFailure(error), lastErrorAt: new Date() });
    throw error;
  }
}

/**
 * A full read returns what is in the window, never what left it: an event deleted while sync was
 * not following (before a 410, before a new window) would leave its visit booked for good. So the
 * visits linked to events in the window that the read did not return are handed over as removed.
 */
async function vanishedSinceLastRead(em: Em, mailbox: Mailbox, deps: MailboxSyncDeps, read: CalendarChange[], window: DeltaWindow): Promise<CalendarChange[]> {
  const seen = new Set(read.flatMap((c) => (c.kind === 'event' ? [c.event.id] : [])));
  const linked = await deps.visits.linkedEventIds(em, mailbox, window.start, window.end);
  return linked.filter((id) => !seen.has(id)).map((eventId) => ({ kind: 'removed', eventId }));
}

/** Visits booked from this mailbox whose Graph event is not yet known: each event read by the REST form of its Office.js id (answered with its immutable id) and linked. */
async function linkBookings(em: Em, mailbox: Mailbox, deps: MailboxSyncDeps, now: Date): Promise<void> {
  const unlinked = await deps.visits.unlinked(em, mailbox);
  if (!unlinked.length) return;
  const links: { visitId: string; event: Event }[] = [];
  for (const { visitId, itemId } of unlinked) {
    const event = await deps.graph.event(mailbox.email, restIdOfEwsId(itemId));
    if (event) links.push({ visitId, event });
  }
  if (links.length) await deps.visits.link(em, mailbox, links, now);
}
