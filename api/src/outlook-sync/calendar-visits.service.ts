import { DomainEventKind, recordEvent } from '../platform/events/domain-events.js';
import { LockMode, OptimisticLockError, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Event } from '@microsoft/microsoft-graph-types';
import { loadWorkingCalendar } from '../calendar/council-closure-days.js';
import { moveNoteDeadlines, noteDeadlines } from '../notes/note-deadlines.js';
import { NoteOfVisit } from '../notes/note-of-visit.entity.js';
import { NoteStatus } from '../notes/note.enums.js';
import { runAs } from '../platform/audit/audit-context.js';
import { auditRecord } from '../platform/audit/audit-record.js';
import { systemClock, type Clock } from '../platform/clock.js';
import type { Em } from '../platform/db/orm.js';
import { AppError } from '../platform/errors.js';
import type { Logger } from '../platform/logger.js';
import { AppointmentLink } from '../visits/appointment-link.embeddable.js';
import { cancelBookedVisit, moveBookedVisit, replaceAttendees } from '../visits/visit-booking.service.js';
import { Visit } from '../visits/visit.entity.js';
import { VisitStatus } from '../visits/visit.enums.js';
import type { ApplySummary, CalendarChange, CalendarVisits, Mailbox, UnlinkedAppointment } from './calendar-change.js';
import { isSeriesMaster, OutlookAuditAction, whenAppointmentGone, whenAppointmentTimed, type GoneHow } from './calendar-change.rules.js';
import { attendeeDirectory, attendeesFromEvent, sameAttendees } from './event-attendees.js';
import { instantOf, UnknownTimeZoneError, UnreadableEventTimeError } from './event-times.js';

/**
 * What a change read from a partner's Outlook calendar does to the visits booked from it
 * (issue 21; the rules: calendar-change.rules.ts). Only the lead partner's mailbox speaks for a
 * visit. Each visit changes in a transaction of its own, locked, with its audit rows, as the
 * actor `system:outlook-sync`; applying the same change again changes nothing.
 */

export const OUTLOOK_SYNC_ACTOR = 'system:outlook-sync';

/** A visit that ended longer ago than this is not worth linking to its event: nothing sync does would change it. */
const UNLINKED_LOOKBACK_DAYS = 30;

export interface CalendarVisitsDeps {
  /** For `unlinked`'s "not long past". */
  clock?: Clock;
  /** Where a change that cannot be read (an unknown time zone) is reported; the other changes still apply. */
  logger?: Pick<Logger, 'warn'> | null;
}

type Tally = Partial<ApplySummary>;

const emptySummary = (): ApplySummary => ({ moved: 0, cancelled: 0, flagged: 0, attendeesChanged: 0, ignored: 0 });

function add(summary: ApplySummary, tally: Tally): void {
  for (const key of Object.keys(summary) as (keyof ApplySummary)[]) summary[key] += tally[key] ?? 0;
}

/** A change this service refuses to apply as read, rather than make a visit wrong: logged and counted as ignored. */
function isUnusableChange(error: unknown): error is Error {
  return error instanceof UnknownTimeZoneError || error instanceof UnreadableEventTimeError || error instanceof AppError;
}

function audit(tx: Em, visit: Visit, action: string, changes: Record<string, unknown>): void {
  tx.persist(auditRecord({ action, entityType: 'Visit', entityId: visit.id, changes }));
}

/**
 * One visit, in a transaction of its own, its row locked so a partner's edit waits for it (and is
 * then refused as stale, by its version). Should the versioned update still lose to a concurrent
 * edit, the visit is read again and the change applied once more.
 */
async function inVisitTransaction<T>(em: Em, visitId: string, work: (tx: Em, visit: Visit) => Promise<T>): Promise<T | null> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await em.fork().transactional(async (tx) => {
        const visit = await tx.findOne(Visit, visitId, { lockMode: LockMode.PESSIMISTIC_WRITE });
        return visit ? work(tx as Em, visit) : null;
      });
    } catch (error) {
      if (!(error instanceof OptimisticLockError) || attempt >= 2) throw error;
    }
  }
}

/** The visits this mailbox's event was booked as: by the event's immutable id, else by its iCal UID (not tied to another event). */
async function visitsOfEvent(em: Em, mailbox: Mailbox, event: { id?: string | null; iCalUId?: string | null }): Promise<string[]> {
  const find = (where: object) => em.fork().find(Visit, { leadPartner: mailbox.partnerId, ...where }, { fields: ['id'], orderBy: { id: 'asc' } });
  if (event.id) {
    const byId = await find({ appointment: { eventId: event.id } });
    if (byId.length) return byId.map((v) => v.id);
  }
  if (!event.iCalUId) return [];
  const byUid = await find({ appointment: { icalUid: event.iCalUId, eventId: null } });
  return byUid.map((v) => v.id);
}

/** The booked visits still to come of a series (each linked occurrence is its own visit). */
async function futureVisitsOfSeries(em: Em, mailbox: Mailbox, seriesMasterId: string, now: Date): Promise<string[]> {
  const visits = await em
    .fork()
    .find(
      Visit,
      { leadPartner: mailbox.partnerId, status: VisitStatus.BOOKED, startsAt: { $gt: now }, appointment: { seriesMasterId } },
      { fields: ['id'], orderBy: { startsAt: 'asc' } },
    );
  return visits.map((v) => v.id);
}

const hasNote = async (tx: Em, visit: Visit) => (await tx.count(NoteOfVisit, { visit: visit.id })) > 0;

/**
 * A started note's deadlines follow its visit's new date, for the steps not yet taken (the rule of
 * notes/note-deadlines.ts `rescheduleNoteDeadlines`): the visit's own "due" fields are worked out on
 * read, but a note keeps its deadlines. Plain SQL, leaving the note's version as it was (its author
 * editing it meanwhile is not told someone else changed it), audited here.
 */
async function noteDeadlinesFollow(tx: Em, visit: Visit): Promise<void> {
  const note = await tx.findOne(NoteOfVisit, { visit: visit.id });
  if (!note || note.status === NoteStatus.CIRCULATED || note.circulatedAt || note.firstCirculatedAt) return;
  await moveNoteDeadlines(tx, note, noteDeadlines(visit.startsAt, await loadWorkingCalendar(tx)), 'visit moved in Outlook');
}

export function createCalendarVisits(deps: CalendarVisitsDeps = {}): CalendarVisits {
  const clock = deps.clock ?? systemClock;
  const asSync = <T>(work: () => Promise<T>) => runAs({ actor: OUTLOOK_SYNC_ACTOR }, work);

  /**
   * The appointment is gone (cancelled or deleted): cancel the visit, or keep it for its note. Keeping it
   * records the event; the notifications module tells the partner (feed or email, their choice).
   */
  async function whenGone(tx: Em, visit: Visit, how: GoneHow, now: Date): Promise<Tally> {
    const outcome = whenAppointmentGone({ ...visit, hasNote: await hasNote(tx, visit) }, how, now);
    if (outcome.kind === 'cancel') {
      cancelBookedVisit(tx, visit, outcome.reason, now);
      audit(tx, visit, how === 'cancelled' ? OutlookAuditAction.CANCELLED : OutlookAuditAction.DELETED, { reason: outcome.reason });
      return { cancelled: 1 };
    }
    if (outcome.kind === 'keep_flagged') {
      visit.appointmentCancelledAt = now;
      audit(tx, visit, OutlookAuditAction.NOTE_KEPT, { appointment: how, kept: 'a note of visit was started' });
      recordEvent(
        tx,
        {
          kind: DomainEventKind.VISIT_APPOINTMENT_GONE_NOTE_KEPT,
          visitId: visit.id,
          schoolId: visit.school.id,
          partnerId: visit.leadPartner.id,
          data: { how },
        },
        now,
      );
      return { flagged: 1 };
    }
    return { ignored: 1 };
  }

  /** The event as Outlook has it now: its times, and who attends. */
  async function whenTimed(tx: Em, visit: Visit, event: Event, times: { startsAt: Date; endsAt: Date }, mailbox: Mailbox): Promise<Tally> {
    const tally: Tally = {};
    const outcome = whenAppointmentTimed({ ...visit, hasNote: false }, times);
    if (outcome.kind === 'move') {
      const was = { startsAt: visit.startsAt.toISOString(), endsAt: visit.endsAt.toISOString() };
      moveBookedVisit(tx, visit, outcome.startsAt, outcome.endsAt, clock.now());
      audit(tx, visit, OutlookAuditAction.MOVED, { was, startsAt: outcome.startsAt.toISOString(), endsAt: outcome.endsAt.toISOString() });
      await noteDeadlinesFollow(tx, visit);
      tally.moved = 1;
    }
    // Attendees of a visit held or cancelled are history: Outlook does not rewrite them (nor open the school to someone added later).
    if (event.attendees !== undefined && visit.status === VisitStatus.BOOKED) {
      const [school, lead, current] = await Promise.all([visit.school.loadOrFail(), visit.leadPartner.loadOrFail(), visit.attendees.load()]);
      const now = current.getItems().map((a) => ({ name: a.name, email: a.email, role: a.role, partnerId: a.partner?.id ?? null }));
      const next = attendeesFromEvent(event, {
        directory: await attendeeDirectory(tx, event, school),
        current: now,
        leadPartnerEmail: lead.email,
        mailboxEmail: mailbox.email,
      });
      if (!sameAttendees(now, next)) {
        await replaceAttendees(tx, visit, next);
        visit.updatedAt = new Date(); // the attendees are part of the visit: its version moves on
        audit(tx, visit, OutlookAuditAction.ATTENDEES, {
          attendees: next.length,
          partners: next.flatMap((a) => (a.partnerId ? [a.partnerId] : [])),
        });
        tally.attendeesChanged = 1;
      }
    }
    return Object.keys(tally).length ? tally : { ignored: 1 };
  }

  /** Runs `work` on each visit in its own transaction. */
  async function eachVisit(em: Em, mailbox: Mailbox, ids: string[], work: (tx: Em, visit: Visit) => Promise<Tally>): Promise<Tally> {
    const summary = emptySummary();
    if (!ids.length) return { ignored: 1 };
    for (const id of ids) {
      const tally = await inVisitTransaction(em, id, async (tx, visit) => {
        // Read again under the lock: only the lead partner's mailbox speaks for the visit.
        if (visit.leadPartner.id !== mailbox.partnerId) return { ignored: 1 };
        const done = await work(tx, visit);
        await tx.flush();
        return done;
      });
      add(summary, tally ?? { ignored: 1 });
    }
    return summary;
  }

  async function applyChange(em: Em, mailbox: Mailbox, change: CalendarChange, now: Date): Promise<Tally> {
    if (change.kind === 'removed') {
      // The event itself, or a series' master (then every occurrence still to come goes with it).
      const ids = new Set([...(await visitsOfEvent(em, mailbox, { id: change.eventId })), ...(await futureVisitsOfSeries(em, mailbox, change.eventId, now))]);
      return eachVisit(em, mailbox, [...ids], (tx, visit) => whenGone(tx, visit, 'deleted', now));
    }
    const { event } = change;
    if (isSeriesMaster(event)) {
      // A master's times are the series' pattern; each occurrence comes as its own event and is followed as such.
      if (!event.isCancelled || !event.id) return { ignored: 1 };
      return eachVisit(em, mailbox, await futureVisitsOfSeries(em, mailbox, event.id, now), (tx, visit) => whenGone(tx, visit, 'cancelled', now));
    }
    const ids = await visitsOfEvent(em, mailbox, event);
    if (!ids.length) return { ignored: 1 };
    if (event.isCancelled) return eachVisit(em, mailbox, ids, (tx, visit) => whenGone(tx, visit, 'cancelled', now));
    // Read before any transaction: an event whose time cannot be read changes nothing.
    const times = { startsAt: instantOf(event.start), endsAt: instantOf(event.end) };
    return eachVisit(em, mailbox, ids, (tx, visit) => whenTimed(tx, visit, event, times, mailbox));
  }

  async function apply(em: Em, mailbox: Mailbox, changes: CalendarChange[], now: Date): Promise<ApplySummary> {
    const summary = emptySummary();
    for (const change of changes) {
      try {
        add(summary, await applyChange(em, mailbox, change, now));
      } catch (error) {
        if (!isUnusableChange(error)) throw error;
        const eventId = change.kind === 'removed' ? change.eventId : change.event.id;
        deps.logger?.warn({ partnerId: mailbox.partnerId, eventId, reason: error.message }, 'calendar change not applied to its visit');
        summary.ignored += 1;
      }
    }
    return summary;
  }

  async function link(em: Em, mailbox: Mailbox, links: { visitId: string; event: Event }[], now: Date): Promise<ApplySummary> {
    const summary = emptySummary();
    for (const { visitId, event } of links) {
      let linked: boolean | null;
      try {
        linked = await inVisitTransaction(em, visitId, async (tx, visit) => {
          if (visit.leadPartner.id !== mailbox.partnerId || !event.id) return false;
          const was = visit.appointment ?? new AppointmentLink();
          const ids = { eventId: event.id, icalUid: event.iCalUId ?? was.icalUid ?? null, seriesMasterId: event.seriesMasterId ?? was.seriesMasterId ?? null };
          if (was.eventId === ids.eventId && was.icalUid === ids.icalUid && was.seriesMasterId === ids.seriesMasterId) return true;
          visit.appointment = Object.assign(new AppointmentLink(), was, ids);
          audit(tx, visit, OutlookAuditAction.LINKED, ids);
          await tx.flush();
          return true;
        });
      } catch (error) {
        // Another visit already holds this event or UID: which visit the appointment is, a person must say.
        if (!(error instanceof UniqueConstraintViolationException)) throw error;
        deps.logger?.warn({ partnerId: mailbox.partnerId, visitId, eventId: event.id }, 'calendar event already linked to another visit: not linked');
        linked = false;
      }
      if (linked) add(summary, await apply(em, mailbox, [{ kind: 'event', event }], now));
      else summary.ignored += 1;
    }
    return summary;
  }

  async function unlinked(em: Em, mailbox: Mailbox): Promise<UnlinkedAppointment[]> {
    const since = new Date(clock.now().getTime() - UNLINKED_LOOKBACK_DAYS * 86_400_000);
    const rows = await em.fork().execute<{ id: string; item_id: string }[]>(
      `select id, appointment_item_id as item_id from visit
        where lead_partner_id = ? and status = 'booked' and appointment_item_id is not null and appointment_event_id is null and ends_at > ?
        order by starts_at, id`,
      [mailbox.partnerId, since],
    );
    return rows.map((r) => ({ visitId: r.id, itemId: r.item_id }));
  }

  async function linkedEventIds(em: Em, mailbox: Mailbox, from: Date, to: Date): Promise<string[]> {
    const rows = await em.fork().execute<{ event_id: string }[]>(
      `select appointment_event_id as event_id from visit
        where lead_partner_id = ? and status = 'booked' and appointment_event_id is not null and starts_at >= ? and starts_at < ?`,
      [mailbox.partnerId, from, to],
    );
    return rows.map((r) => r.event_id);
  }

  return {
    unlinked,
    linkedEventIds,
    link: (em, mailbox, links, now) => asSync(() => link(em, mailbox, links, now)),
    apply: (em, mailbox, changes, now) => asSync(() => apply(em, mailbox, changes, now)),
  };
}
