import type { ApiClient } from '../shared/api/api-client.js';
import { ApiError } from '../shared/api/api-error.js';
import { visitTypeLabel } from '../shared/format.js';
import type { AgendaItemInput, AgendaTemplatesForPaneQuery, AttendeeInput, VisitForPaneFragment, VisitType } from '../shared/graphql/generated/graphql.js';
import { withAgendaBlock } from './agenda-block.js';
import type { EmailAddressDetails } from './office-api.js';
import { visitReferenceIn, type OutlookAppointment } from './office-adapter.js';
import {
  BookVisitMutation,
  PartnersByEmailQuery,
  RescheduleVisitMutation,
  SetAgendaMutation,
  VisitByIdQuery,
  VisitForAppointmentQuery,
} from './outlook.documents.js';

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
 * Whether a visit found for this appointment is this appointment's own. An occurrence of a
 * recurring appointment carries its series' custom properties and body, so the property
 * and the "Visit reference" line name the visit of whichever occurrence was booked first:
 * for an occurrence, only a visit booked from this very item counts (or, for an attendee,
 * whose copy has another item id, one at this occurrence's time).
 */
function isThisAppointments(visit: PaneVisit, appointment: OutlookAppointment, itemId: string | null, times: { start: Date; end: Date }): boolean {
  if (!appointment.seriesId()) return true;
  if (itemId && visit.appointment?.itemId === itemId) return true;
  return appointment.surface === 'attendee' && !timesDiffer(visit, times);
}

/**
 * The visit this appointment was booked as, however the pane can tell: the
 * organiser's custom property, the "Visit reference" line the agenda put in the
 * body (all an attendee has), or the item id the booking recorded.
 */
export async function findLinkedVisit(appointment: OutlookAppointment, api: ApiClient): Promise<PaneVisit | null> {
  const [itemId, times] = await Promise.all([appointment.itemId(), appointment.times()]);
  const own = (visit: PaneVisit | null) => (visit && isThisAppointments(visit, appointment, itemId, times) ? visit : null);
  const remembered = await appointment.visitId().catch(() => null);
  if (remembered) {
    const visit = own(await visitById(api, remembered));
    if (visit) return visit;
  }
  const reference = visitReferenceIn(await appointment.bodyText().catch(() => ''));
  if (reference && reference !== remembered) {
    const visit = own(await visitById(api, reference));
    if (visit) return visit;
  }
  if (!itemId) return null;
  return (await api.request(VisitForAppointmentQuery, { itemId })).visitForAppointment ?? null;
}

/** The partner with exactly this email address, if any (the search also matches names and parts of addresses). */
async function partnerIdFor(api: ApiClient, email: string): Promise<string | null> {
  const { partners } = await api.request(PartnersByEmailQuery, { search: email });
  return partners.nodes.find((p) => p.email.toLowerCase() === email.toLowerCase())?.id ?? null;
}

/** The school's headteacher and chair by address (the school's card), so the visit records them in their roles. */
export interface KnownSchoolPeople {
  headteacherEmail?: string | null;
  chairOfGovernorsEmail?: string | null;
}

function schoolRole(email: string, known: KnownSchoolPeople | undefined): AttendeeInput['role'] {
  const same = (other: string | null | undefined) => !!other && other.trim().toLowerCase() === email.toLowerCase();
  if (same(known?.headteacherEmail)) return 'HEADTEACHER';
  if (same(known?.chairOfGovernorsEmail)) return 'CHAIR_OF_GOVERNORS';
  return 'SCHOOL_STAFF';
}

/**
 * The appointment's attendees as the visit's: a council partner by their account (they
 * then see the visit and get its overlap warnings), the school's headteacher and chair in
 * their roles when the pane knows their addresses, anyone else as school staff. The
 * organiser is the lead partner, not an attendee.
 */
export async function visitAttendees(
  appointment: OutlookAppointment,
  api: ApiClient,
  organiserEmail: string,
  known?: KnownSchoolPeople,
): Promise<AttendeeInput[]> {
  const { required, optional } = await appointment.attendees();
  const seen = new Set([organiserEmail.toLowerCase()]);
  const people: EmailAddressDetails[] = [];
  for (const person of [...required, ...optional]) {
    const email = person.emailAddress.trim().toLowerCase();
    if (!email || seen.has(email)) continue;
    seen.add(email);
    people.push(person);
  }
  return Promise.all(
    people.map(async (person): Promise<AttendeeInput> => {
      const partnerId = await partnerIdFor(api, person.emailAddress.trim());
      const name = person.displayName.trim() || person.emailAddress.trim();
      return partnerId
        ? { name, email: person.emailAddress.trim(), role: 'PARTNER', partnerId }
        : { name, email: person.emailAddress.trim(), role: schoolRole(person.emailAddress.trim(), known) };
    }),
  );
}

/** Puts the visit's agenda in the body's agenda block (replacing the one there), keeping everything else. */
export async function rewriteAgendaBlock(appointment: OutlookAppointment, visit: Pick<PaneVisit, 'agendaHtml'>): Promise<void> {
  const body = await appointment.bodyHtml();
  const next = withAgendaBlock(body, visit.agendaHtml);
  if (next !== body) await appointment.setBodyHtml(next);
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
 * can be repeated safely: the booking is idempotent on the item id (booking again
 * updates the same visit, attendees and type included), the agenda block is
 * replaced rather than added again.
 */
export async function bookFromAppointment(
  appointment: OutlookAppointment,
  api: ApiClient,
  choice: { school: SchoolChoice; type: VisitType; useAgendaTemplate?: boolean; known?: KnownSchoolPeople },
): Promise<PaneVisit> {
  // A compose item has no id until it is saved; the booking is keyed on that id.
  const itemId = await appointment.save();
  const [times, organiserEmail] = await Promise.all([appointment.times(), appointment.organiserEmail()]);
  const attendees = await visitAttendees(appointment, api, organiserEmail, choice.known);
  const seriesMasterId = appointment.seriesId();
  const { bookVisit: visit } = await api.request(BookVisitMutation, {
    input: {
      schoolId: choice.school.id,
      type: choice.type,
      startsAt: times.start.toISOString(),
      endsAt: times.end.toISOString(),
      appointment: { itemId, organiserEmail, ...(seriesMasterId ? { seriesMasterId } : {}) },
      attendees,
      ...(choice.useAgendaTemplate === undefined ? {} : { useAgendaTemplate: choice.useAgendaTemplate }),
    },
  });
  await appointment.setSubject(appointmentSubject(choice.type, visit.school.name));
  const location = visit.location ?? visit.school.address?.oneLine;
  if (location) await appointment.setLocation(location);
  await rewriteAgendaBlock(appointment, visit);
  await appointment.rememberVisit(visit.id);
  await appointment.save();
  return visit;
}

/**
 * Sends the appointment's attendees to its visit, as they are now: booking the same
 * appointment again updates that visit (never a second one), at the visit's own time
 * and type, agenda untouched.
 */
export async function updateVisitAttendees(appointment: OutlookAppointment, api: ApiClient, visit: PaneVisit, known?: KnownSchoolPeople): Promise<PaneVisit> {
  const organiserEmail = await appointment.organiserEmail();
  const itemId = (await appointment.itemId()) ?? visit.appointment?.itemId ?? null;
  const { bookVisit } = await api.request(BookVisitMutation, {
    input: {
      schoolId: visit.school.id,
      type: visit.type,
      startsAt: visit.startsAt,
      endsAt: visit.endsAt,
      location: visit.location,
      appointment: { itemId, organiserEmail },
      attendees: await visitAttendees(appointment, api, organiserEmail, known),
      useAgendaTemplate: false,
    },
  });
  return bookVisit;
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

/** The file name the agenda is attached under (what the pane looks for before attaching again). */
export const agendaFileName = (visit: Pick<PaneVisit, 'school'>, kind: 'docx' | 'pdf' = 'docx') =>
  `Agenda - ${visit.school.name}.${kind}`.replace(/[\\/:*?"<>|]/g, '-');

/**
 * The agenda as a Word file, attached to the appointment once: an attachment of that
 * name already on the item is left as it is. Returns whether it attached one now.
 */
export async function attachAgendaDocument(
  appointment: OutlookAppointment,
  api: ApiClient,
  visit: PaneVisit,
  kind: 'docx' | 'pdf' = 'docx',
): Promise<{ name: string; attached: boolean }> {
  const name = agendaFileName(visit, kind);
  if ((await appointment.attachmentNames()).includes(name)) return { name, attached: false };
  // The API serves the agenda as a tagged PDF beside the Word one, at the same path ending .pdf.
  const blob = await api.download(kind === 'pdf' ? visit.agendaDocxUrl.replace(/\.docx$/, '.pdf') : visit.agendaDocxUrl);
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  await appointment.attachFile(btoa(binary), name);
  return { name, attached: true };
}

export type AgendaTemplateForPane = AgendaTemplatesForPaneQuery['agendaTemplates'][number];
type AgendaLike = { title: string; detail: string | null; minutes: number | null; ownerRole: AgendaItemInput['ownerRole'] };

export const agendaInput = (items: readonly AgendaLike[]): AgendaItemInput[] =>
  items.map((i) => ({ title: i.title, detail: i.detail, minutes: i.minutes, ownerRole: i.ownerRole }));

/** Whether the visit's agenda is no longer its type's template as it stands: the partner edited it. */
export function agendaEdited(visit: Pick<PaneVisit, 'agenda'>, template: AgendaTemplateForPane | undefined): boolean {
  const key = (items: readonly AgendaLike[]) =>
    JSON.stringify(agendaInput(items).map((i) => [i.title.trim(), i.detail?.trim() || null, i.minutes ?? null, i.ownerRole]));
  return key(visit.agenda) !== key(template?.items ?? []);
}

/** Whether this person may change a visit of this type's agenda (a fixed one only a manager): what the API allows. */
export const mayEditAgenda = (type: VisitType, templates: readonly AgendaTemplateForPane[], isManager: boolean) =>
  isManager || !templates.find((t) => t.visitType === type)?.fixed;

/**
 * Books the appointment again as another type of visit (the same visit, updated), and,
 * when `replaceAgenda`, gives it the new type's agenda. The API starts an agenda from
 * the template only when the visit has none, and refuses a partner's edit of a fixed
 * (round table) agenda, so: while the old type's agenda may still be changed, it is
 * emptied first and the booking fills it; otherwise the booking comes first and the
 * new, editable, type's template is set after it.
 */
export async function changeVisitType(
  appointment: OutlookAppointment,
  api: ApiClient,
  visit: PaneVisit,
  change: { type: VisitType; replaceAgenda: boolean; templates: readonly AgendaTemplateForPane[]; isManager: boolean },
): Promise<PaneVisit> {
  const school = { id: visit.school.id, name: visit.school.name, address: visit.school.address };
  if (!change.replaceAgenda) return bookFromAppointment(appointment, api, { school, type: change.type, useAgendaTemplate: false });
  if (mayEditAgenda(visit.type, change.templates, change.isManager)) {
    await api.request(SetAgendaMutation, { visitId: visit.id, expectedVersion: visit.version, items: [] });
    return bookFromAppointment(appointment, api, { school, type: change.type, useAgendaTemplate: true });
  }
  const rebooked = await bookFromAppointment(appointment, api, { school, type: change.type, useAgendaTemplate: false });
  const items = agendaInput(change.templates.find((t) => t.visitType === change.type)?.items ?? []);
  const { setAgenda } = await api.request(SetAgendaMutation, { visitId: rebooked.id, expectedVersion: rebooked.version, items });
  await rewriteAgendaBlock(appointment, setAgenda);
  return setAgenda;
}
