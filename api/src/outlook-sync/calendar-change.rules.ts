import type { Event } from '@microsoft/microsoft-graph-types';
import { VisitStatus } from '../visits/visit.enums.js';

/**
 * What a change to an appointment in the lead partner's Outlook does to its visit (issue 21):
 * Outlook is the source of truth for when a visit happens and whether it does. Pure: the
 * service (calendar-visits.service.ts) reads the visit, asks these rules, and writes.
 */

export const CANCELLED_IN_OUTLOOK = 'Cancelled in Outlook';
export const DELETED_IN_OUTLOOK = 'Deleted in Outlook';

/**
 * The audit actions of calendar sync (audit_event.action holds at most 16 characters, so
 * "cancelled_in_outlook" will not fit): each names what happened to the visit and why.
 */
export const OutlookAuditAction = {
  MOVED: 'outlook_moved',
  CANCELLED: 'outlook_cancel',
  DELETED: 'outlook_deleted',
  /** Cancelled or deleted in Outlook, but a note of visit was started: the visit is kept and flagged. */
  NOTE_KEPT: 'outlook_flagged',
  ATTENDEES: 'outlook_attendee',
  LINKED: 'outlook_linked',
} as const;

/** What the rules look at in a visit. */
export interface VisitFacts {
  status: VisitStatus;
  startsAt: Date;
  endsAt: Date;
  appointmentCancelledAt?: Date | null;
  /** A note of visit exists for it (started). */
  hasNote: boolean;
}

export type GoneHow = 'cancelled' | 'deleted';

export type Outcome =
  | { kind: 'move'; startsAt: Date; endsAt: Date }
  | { kind: 'cancel'; reason: string }
  /** The note is kept: the visit stays booked, flagged as cancelled in Outlook, and its partner is told. */
  | { kind: 'keep_flagged' }
  | { kind: 'none'; why: string };

/** The appointment was cancelled or deleted in Outlook. */
export function whenAppointmentGone(visit: VisitFacts, how: GoneHow, now: Date): Outcome {
  if (visit.status !== VisitStatus.BOOKED) return { kind: 'none', why: `the visit is already ${visit.status}` };
  if (visit.startsAt <= now) return { kind: 'none', why: 'the visit has started or taken place: what happened is not undone' };
  if (visit.hasNote) {
    return visit.appointmentCancelledAt ? { kind: 'none', why: 'already flagged' } : { kind: 'keep_flagged' };
  }
  return { kind: 'cancel', reason: how === 'cancelled' ? CANCELLED_IN_OUTLOOK : DELETED_IN_OUTLOOK };
}

/** The appointment's times as Outlook has them now. */
export function whenAppointmentTimed(visit: VisitFacts, times: { startsAt: Date; endsAt: Date }): Outcome {
  if (visit.startsAt.getTime() === times.startsAt.getTime() && visit.endsAt.getTime() === times.endsAt.getTime()) {
    return { kind: 'none', why: 'same times' };
  }
  if (visit.status !== VisitStatus.BOOKED) return { kind: 'none', why: `the visit is ${visit.status}: it is not moved` };
  return { kind: 'move', startsAt: times.startsAt, endsAt: times.endsAt };
}

/** Graph's kinds of event: a series' master stands for every occurrence; an occurrence or exception for itself. */
export const isSeriesMaster = (event: Event) => event.type === 'seriesMaster';
