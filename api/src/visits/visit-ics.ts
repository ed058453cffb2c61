import ical, { ICalEventStatus } from 'ical-generator';
import { agendaText, type VisitDocument } from './visit-document.js';

/**
 * The iCalendar SEQUENCE of a visit at this version. The visit's version moves on
 * every change (a move, a cancellation, an agenda edit), so each change raises the
 * sequence and calendars that already hold the event take the new one rather than
 * ignoring it (RFC 5545, 3.8.7.4). A new visit (version 1) is SEQUENCE 0.
 */
export const icsSequence = (version: number) => Math.max(0, version - 1);

/**
 * The visit as an iCalendar event. It keeps the appointment's own UID when the
 * visit came from Outlook, so importing it updates that meeting rather than
 * adding a second one.
 */
export function visitIcs(doc: VisitDocument, uid: string | null, version: number): string {
  const calendar = ical({ name: 'School visits', prodId: { company: 'School visits', product: 'API', language: 'EN-GB' } });
  calendar.createEvent({
    id: uid ?? `visit-${doc.visitId}@school-visits`,
    sequence: icsSequence(version),
    start: doc.startsAt,
    end: doc.endsAt,
    summary: doc.title,
    location: doc.location ?? undefined,
    description: agendaText(doc),
    status: doc.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  });
  return calendar.toString();
}
