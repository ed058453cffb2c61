import type { ApiClient } from '../shared/api/api-client.js';
import { ApiError } from '../shared/api/api-error.js';
import { visitTypeLabel } from '../shared/format.js';
import type { VisitForPaneFragment, VisitType } from '../shared/graphql/generated/graphql.js';
import { visitReferenceIn, type OutlookAppointment } from './office-adapter.js';
import { BookVisitMutation, RescheduleVisitMutation, VisitByIdQuery, VisitForAppointmentQuery } from './outlook.documents.js';

export type PaneVisit = VisitForPaneFragment;

export interface SchoolChoice {
  id: string;
  name: string;
  address: { oneLine: string } | null;
}

async function visitById(api: ApiClient, id: string): Promise<PaneVisit | null> {
  try {
    return (await api.request(VisitByIdQuery, { id })).visit ?? null;
  } catch (error) {
    // A stale reference (the visit was deleted, or typed into another appointment) is no link.
    if (error instanceof ApiError && (error.code === 'NOT_FOUND' || error.code === 'BAD_USER_INPUT')) return null;
    throw error;
  }
}

/**
 * The visit this appointment was booked as, however the pane can tell: the
 * organiser's custom property, the "Visit reference" line the agenda put in the
 * body (all an attendee has), or the item id the booking recorded.
 */
export async function findLinkedVisit(appointment: OutlookAppointment, api: ApiClient): Promise<PaneVisit | null> {
  const remembered = await appointment.visitId().catch(() => null);
  if (remembered) {
    const visit = await visitById(api, remembered);
    if (visit) return visit;
  }
  const reference = visitReferenceIn(await appointment.bodyText().catch(() => ''));
  if (reference) {
    const visit = await visitById(api, reference);
    if (visit) return visit;
  }
  const itemId = await appointment.itemId();
  if (!itemId) return null;
  return (await api.request(VisitForAppointmentQuery, { itemId })).visitForAppointment ?? null;
}

/** The visit type a date suggests: the term it falls in (the API warns when a type is out of term). */
export function suggestedVisitType(start: Date): VisitType {
  const month = start.getUTCMonth() + 1;
  if (month >= 9) return 'AUTUMN';
  if (month <= 3) return 'SPRING';
  return 'SUMMER';
}

export const appointmentSubject = (type: VisitType, schoolName: string) => `${visitTypeLabel(type)} - ${schoolName}`;

/**
 * Books the visit for this appointment and dresses the appointment for it:
 * subject, location, agenda at the top of the body, and the link back. Every step
 * can be repeated safely: the booking is idempotent on the item id, the agenda is
 * only inserted when the body does not already carry this visit's reference.
 */
export async function bookFromAppointment(
  appointment: OutlookAppointment,
  api: ApiClient,
  choice: { school: SchoolChoice; type: VisitType },
): Promise<PaneVisit> {
  // A compose item has no id until it is saved; the booking is keyed on that id.
  const itemId = await appointment.save();
  const [times, organiserEmail] = await Promise.all([appointment.times(), appointment.organiserEmail()]);
  const { bookVisit: visit } = await api.request(BookVisitMutation, {
    input: {
      schoolId: choice.school.id,
      type: choice.type,
      startsAt: times.start.toISOString(),
      endsAt: times.end.toISOString(),
      appointment: { itemId, organiserEmail },
    },
  });
  await appointment.setSubject(appointmentSubject(choice.type, visit.school.name));
  const location = visit.location ?? visit.school.address?.oneLine;
  if (location) await appointment.setLocation(location);
  if (visitReferenceIn(await appointment.bodyText()) !== visit.id) await appointment.prependHtml(visit.agendaHtml);
  await appointment.rememberVisit(visit.id);
  await appointment.save();
  return visit;
}

/** True when the appointment has been moved since the visit was booked (dragging it tells no add-in). */
export function timesDiffer(visit: Pick<PaneVisit, 'startsAt' | 'endsAt'>, times: { start: Date; end: Date }): boolean {
  return new Date(visit.startsAt).getTime() !== times.start.getTime() || new Date(visit.endsAt).getTime() !== times.end.getTime();
}

export async function moveVisitToAppointment(api: ApiClient, visit: PaneVisit, times: { start: Date; end: Date }): Promise<PaneVisit> {
  const { rescheduleVisit } = await api.request(RescheduleVisitMutation, {
    id: visit.id,
    expectedVersion: visit.version,
    startsAt: times.start.toISOString(),
    endsAt: times.end.toISOString(),
  });
  return rescheduleVisit;
}

/** The agenda as a Word file, attached to the appointment. */
export async function attachAgendaDocument(appointment: OutlookAppointment, api: ApiClient, visit: PaneVisit): Promise<string> {
  const blob = await api.download(visit.agendaDocxUrl);
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  const name = `Agenda - ${visit.school.name}.docx`.replace(/[\\/:*?"<>|]/g, '-');
  await appointment.attachFile(btoa(binary), name);
  return name;
}
