import ical, { ICalEventStatus } from 'ical-generator';
import { agendaText, type VisitDocument } from './visit-document.js';

/**
 * The visit as an iCalendar event. It keeps the appointment's own UID when the
 * visit came from Outlook, so importing it updates that meeting rather than
 * adding a second one.
 */
export function visitIcs(doc: VisitDocument, uid: string | null): string {
  const calendar = ical({ name: 'School visits', prodId: { company: 'School visits', product: 'API', language: 'EN-GB' } });
  calendar.createEvent({
    id: uid ?? `visit-${doc.visitId}@school-visits`,
    start: doc.startsAt,
    end: doc.endsAt,
    summary: doc.title,
    location: doc.location ?? undefined,
    description: agendaText(doc),
    status: doc.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  });
  return calendar.toString();
}
