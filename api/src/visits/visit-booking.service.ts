import { OptimisticLockError, ref, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { AccessPolicy } from '../platform/auth/access-policy.js';
import type { Em } from '../platform/db/orm.js';
import { checkVersion } from '../platform/db/versioning.js';
import { auditRecord } from '../platform/audit/audit-record.js';
import { academicYearOf } from '../platform/dates/academic-year.js';
import { businessDateOf } from '../platform/dates/today.js';
import { DomainEventKind, recordEvent, type DomainEventInput } from '../platform/events/domain-events.js';
import { badInput, conflict, forbidden } from '../platform/errors.js';
import { checkId, findOr404 } from '../platform/graphql/lookup.js';
import { Partner } from '../partners/partner.entity.js';
import { School } from '../schools/school.entity.js';
import { AgendaItem } from './agenda-item.entity.js';
import { AgendaTemplate } from './agenda-template.entity.js';
import { AppointmentLink } from './appointment-link.embeddable.js';
import type { AgendaItemInput, AttendeeInput, BookVisitInput } from './visit.input.js';
import { VisitAttendee } from './visit-attendee.entity.js';
import { Visit } from './visit.entity.js';
import { VisitStatus, VisitType } from './visit.enums.js';
import { allocationHolders, othersAllocated, warningsFor, type VisitWarning } from './visit-warnings.js';
import { assertCanEditVisit } from './visit.access.js';

const MAX_VISIT_HOURS = 12;
const MAX_AGENDA_ITEMS = 40;

/** A visit's times as the booking accepts them (an appointment moved in Outlook meets the same rule). */
export function checkTimes(startsAt: Date, endsAt: Date): void {
  if (endsAt <= startsAt) throw badInput('endsAt must be after startsAt.', 'endsAt');
  if (endsAt.getTime() - startsAt.getTime() > MAX_VISIT_HOURS * 3_600_000) {
    throw badInput(`A visit lasts at most ${MAX_VISIT_HOURS} hours; book several visits for longer work.`, 'endsAt');
  }
}

/** A visit of four hours or more is a day in school; shorter ones half a day. */
function defaultDays(type: VisitType, startsAt: Date, endsAt: Date) {
  return {
    inSchoolDays: endsAt.getTime() - startsAt.getTime() >= 4 * 3_600_000 ? 1 : 0.5,
    outOfSchoolDays: type === VisitType.HEADTEACHER_PERFORMANCE_MANAGEMENT ? 0.25 : 0.5,
  };
}

/** Replaces a visit's attendees, in this order (the booking's list, or the appointment's as calendar sync reads it). */
export async function replaceAttendees(em: Em, visit: Visit, attendees: AttendeeInput[]): Promise<void> {
  const named = attendees.flatMap((a, i) => (a.partnerId ? [{ field: `attendees.${i}.partnerId`, id: checkId(a.partnerId, `attendees.${i}.partnerId`) }] : []));
  const partnerIds = named.map((n) => n.id);
  const partners = partnerIds.length ? await em.find(Partner, { id: { $in: partnerIds } }) : [];
  const byId = new Map(partners.map((p) => [p.id, p]));
  for (const { field, id } of named) {
    if (!byId.has(id)) throw badInput(`Attendee ${Number(field.split('.')[1]) + 1}: no partner with id "${id}" exists; choose the partner again.`, field);
  }
  em.remove(await visit.attendees.load());
  await em.flush(); // deletes first: (visit, position) is unique
  attendees.forEach((a, i) =>
    em.persist(
      Object.assign(new VisitAttendee(), {
        visit: ref(visit),
        position: i + 1,
        name: a.name.trim(),
        email: a.email?.trim().toLowerCase() ?? null,
        role: a.role,
        partner: a.partnerId ? ref(byId.get(checkId(a.partnerId))!) : null,
      }),
    ),
  );
}

async function replaceAgenda(
  em: Em,
  visit: Visit,
  items: { title: string; detail?: string | null; ownerRole: AgendaItem['ownerRole']; minutes?: number | null }[],
): Promise<void> {
  if (items.length > MAX_AGENDA_ITEMS) throw badInput(`An agenda has at most ${MAX_AGENDA_ITEMS} items.`, 'items');
  em.remove(await visit.agendaItems.load());
  await em.flush(); // deletes first: (visit, position) is unique
  items.forEach((item, i) =>
    em.persist(
      Object.assign(new AgendaItem(), {
        visit: ref(visit),
        position: i + 1,
        title: item.title.trim(),
        detail: item.detail?.trim() || null,
        ownerRole: item.ownerRole,
        minutes: item.minutes ?? null,
      }),
    ),
  );
}

async function templateItems(em: Em, type: VisitType) {
  const template = await em.findOne(AgendaTemplate, { visitType: type });
  return template?.items ?? [];
}

type AppointmentKeys = { icalUid?: string | null; itemId?: string | null; seriesMasterId?: string | null };

/**
 * The keys that identify an appointment's visit. One occurrence of a recurring appointment is
 * known by its own item id only: the iCal UID an Outlook client gives is the series' (every
 * occurrence has it), so matching on it would hand one occurrence another occurrence's visit.
 * Calendar sync later stores the occurrence's own iCalUId from Graph (outlook-sync).
 */
function appointmentKeys(appointment: AppointmentKeys | null | undefined): { icalUid: string | null; itemId: string | null } {
  const occurrence = !!appointment?.seriesMasterId;
  return { icalUid: occurrence ? null : (appointment?.icalUid ?? null), itemId: appointment?.itemId ?? null };
}

/** The visit booked from an appointment, by its iCal UID or its Outlook item id (an occurrence of a series: by its item id only). */
export function findByAppointment(em: Em, appointment: AppointmentKeys | null | undefined): Promise<Visit | null> {
  const { icalUid, itemId } = appointmentKeys(appointment);
  const or = [];
  if (icalUid) or.push({ appointment: { icalUid } });
  if (itemId) or.push({ appointment: { itemId } });
  return or.length ? em.findOne(Visit, { $or: or }) : Promise.resolve(null);
}

/**
 * Makes concurrent bookings of one appointment wait for each other (until the
 * first commits), so the later ones find its visit instead of colliding with it.
 */
async function lockAppointment(tx: Em, appointment: BookVisitInput['appointment']): Promise<void> {
  const { icalUid, itemId } = appointmentKeys(appointment);
  const keys = [icalUid, itemId].filter((k): k is string => !!k).sort();
  for (const key of keys) await tx.execute('select pg_advisory_xact_lock(hashtext(?))', [`appointment:${key}`]);
}

function bookOnce(em: Em, access: AccessPolicy, input: BookVisitInput, now: Date): Promise<Visit> {
  return em.transactional((tx) => bookWithin(tx as Em, access, input, now));
}

/** What council systems are told of a visit (platform/events): in the change's own transaction. */
export function recordVisitEvent(tx: Em, visit: Visit, kind: DomainEventKind, now: Date, data?: DomainEventInput['data']): void {
  recordEvent(tx, { kind, visitId: visit.id, schoolId: visit.school.id, partnerId: visit.leadPartner.id, data }, now);
}

async function bookWithin(tx: Em, access: AccessPolicy, input: BookVisitInput, now: Date): Promise<Visit> {
  await lockAppointment(tx, input.appointment);
  const school = await findOr404(tx, School, 'School', input.schoolId, 'schoolId');
  const existing = await findByAppointment(tx, input.appointment);
  const before = existing ? allocationKey(existing) : null;
  const wasBooked = existing?.status === VisitStatus.BOOKED ? { startsAt: existing.startsAt, endsAt: existing.endsAt } : null;
  let visit: Visit;
  if (existing) {
    assertCanEditVisit(access, existing);
    visit = existing;
    if (visit.status === VisitStatus.COMPLETED) {
      throw conflict('This appointment’s visit has already taken place and is completed; book a new appointment for another visit.');
    }
    if (visit.status === VisitStatus.CANCELLED) {
      // Booking the appointment again brings its cancelled visit back.
      Object.assign(visit, { status: VisitStatus.BOOKED, cancelledAt: null, cancellationReason: null });
    }
  } else {
    visit = Object.assign(new Visit(), { status: VisitStatus.BOOKED });
    tx.persist(visit);
  }
  const leadPartnerId = input.leadPartnerId
    ? checkId(input.leadPartnerId, 'leadPartnerId')
    : access.principal.kind === 'person'
      ? access.principal.partnerId
      : '';
  if (!existing || input.leadPartnerId) {
    if (access.principal.kind !== 'person') throw forbidden('Services can read through this API but not change anything.');
    if (leadPartnerId !== access.principal.partnerId) access.assertManager('book a visit for another partner');
    visit.leadPartner = ref(await findOr404(tx, Partner, 'Partner', leadPartnerId, 'leadPartnerId'));
  }
  const days = defaultDays(input.type, input.startsAt, input.endsAt);
  Object.assign(visit, {
    school: ref(school),
    type: input.type,
    startsAt: input.startsAt,
    endsAt: input.endsAt,
    location: input.location?.trim() || school.address?.oneLine || null,
    inSchoolDays: input.inSchoolDays ?? (existing ? visit.inSchoolDays : days.inSchoolDays),
    outOfSchoolDays: input.outOfSchoolDays ?? (existing ? visit.outOfSchoolDays : days.outOfSchoolDays),
  });
  if (input.appointment) {
    const link = visit.appointment ?? new AppointmentLink();
    const keys = appointmentKeys(input.appointment);
    link.itemId = keys.itemId ?? link.itemId ?? null;
    link.icalUid = keys.icalUid ?? link.icalUid ?? null;
    link.organiserEmail = input.appointment.organiserEmail?.toLowerCase() ?? link.organiserEmail ?? null;
    link.seriesMasterId = input.appointment.seriesMasterId ?? link.seriesMasterId ?? null;
    visit.appointment = Object.assign(new AppointmentLink(), link);
  }
  if (!wasBooked) recordVisitEvent(tx, visit, DomainEventKind.VISIT_BOOKED, now);
  else if (wasBooked.startsAt.getTime() !== visit.startsAt.getTime() || wasBooked.endsAt.getTime() !== visit.endsAt.getTime()) {
    recordVisitEvent(tx, visit, DomainEventKind.VISIT_MOVED, now, movedFrom(wasBooked));
  }
  await tx.flush();
  if (before !== allocationKey(visit)) await auditOutOfAllocation(tx, visit);
  if (input.attendees) await replaceAttendees(tx, visit, input.attendees);
  if (input.useAgendaTemplate && (await visit.agendaItems.load()).length === 0) {
    await replaceAgenda(tx, visit, await templateItems(tx, input.type));
  }
  return visit;
}

/** What decides whether a booking is inside the lead partner's allocation: the school, the lead, the academic year. */
const allocationKey = (visit: Visit) => `${visit.school.id}|${visit.leadPartner.id}|${academicYearOf(businessDateOf(visit.startsAt))}`;

/**
 * A booking at a school allocated to other partners is allowed (the partner decides, and is
 * warned: NOT_ALLOCATED_TO_YOU) but recorded, in the booking's own transaction, so a senior
 * adviser can see who books outside their allocation (issue 20). It opens nothing: access
 * follows the allocation (platform/auth/access-policy.ts).
 */
async function auditOutOfAllocation(tx: Em, visit: Visit): Promise<void> {
  const others = othersAllocated(await allocationHolders(tx, visit.school.id, visit.startsAt), visit.leadPartner.id);
  if (!others) return;
  tx.persist(
    auditRecord({
      action: 'book_unallocated',
      entityType: 'Visit',
      entityId: visit.id,
      changes: {
        school: visit.school.id,
        leadPartner: visit.leadPartner.id,
        academicYear: academicYearOf(businessDateOf(visit.startsAt)),
        allocatedTo: others.map((o) => o.id),
      },
    }),
  );
  await tx.flush();
}

/** Carries a preview's result out of the transaction it rolls back. */
class PreviewRollback extends Error {
  constructor(readonly warnings: VisitWarning[]) {
    super('preview rolled back');
  }
}

/**
 * The warnings `bookVisit` would give, without booking anything: the booking is
 * made inside a transaction that is always rolled back, so the preview runs the
 * very rules (and sees the very overlaps) a real booking would.
 */
export async function previewBookingWarnings(em: Em, access: AccessPolicy, input: BookVisitInput, now: Date): Promise<VisitWarning[]> {
  checkTimes(input.startsAt, input.endsAt);
  try {
    await em.fork().transactional(async (tx) => {
      const visit = await bookWithin(tx as Em, access, input, now);
      const [warnings] = await warningsFor(tx as Em, [visit]);
      throw new PreviewRollback(warnings);
    });
  } catch (error) {
    if (error instanceof PreviewRollback) return error.warnings;
    throw error;
  }
  throw new Error('unreachable: a booking preview always rolls back');
}

const BOOKING_ATTEMPTS = 4;

/**
 * Books a visit from an appointment, or updates the visit already booked from it.
 * Bookings of one appointment racing each other meet at the unique index on the
 * appointment (or at the visit's version): the losers start again, find the
 * winner's visit and update it. Booking is idempotent, so starting again is safe.
 */
export async function bookVisit(em: Em, access: AccessPolicy, input: BookVisitInput, now: Date): Promise<Visit> {
  checkTimes(input.startsAt, input.endsAt);
  if (input.appointment && !input.appointment.itemId && !input.appointment.icalUid) {
    throw badInput('appointment needs its itemId or its icalUid (or both).', 'appointment');
  }
  if (input.appointment?.seriesMasterId && !input.appointment.itemId) {
    // its iCal UID is the whole series': only the occurrence's item id tells it from the others
    throw badInput('One occurrence of a recurring appointment is booked by its own itemId: save it first and send its itemId.', 'appointment.itemId');
  }
  for (let attempt = 1; ; attempt++) {
    try {
      return await bookOnce(em.fork() as Em, access, input, now);
    } catch (error) {
      const raced = error instanceof UniqueConstraintViolationException || error instanceof OptimisticLockError;
      if (!raced || !input.appointment || attempt >= BOOKING_ATTEMPTS) throw error;
    }
  }
}

async function loadForEdit(em: Em, access: AccessPolicy, id: string, expectedVersion: number | null | undefined): Promise<Visit> {
  const visit = await findOr404(em, Visit, 'Visit', id);
  assertCanEditVisit(access, visit);
  checkVersion(visit, expectedVersion, 'visit');
  return visit;
}

function requireStatus(visit: Visit, action: string): void {
  if (visit.status !== VisitStatus.BOOKED) {
    throw conflict(`This visit is ${visit.status}; only a booked visit can be ${action}.`);
  }
}

/**
 * Moves a booked visit: the one rule of the partner's reschedule and of an appointment moved in
 * Outlook (outlook-sync). Warnings, allocation use and the note's due dates shown on the visit are
 * worked out from its times when read; a started note's stored deadlines are the notes module's.
 */
export function moveBookedVisit(tx: Em, visit: Visit, startsAt: Date, endsAt: Date, now: Date): void {
  checkTimes(startsAt, endsAt);
  requireStatus(visit, 'rescheduled');
  const before = { startsAt: visit.startsAt, endsAt: visit.endsAt };
  Object.assign(visit, { startsAt, endsAt });
  if (before.startsAt.getTime() !== startsAt.getTime() || before.endsAt.getTime() !== endsAt.getTime()) {
    recordVisitEvent(tx, visit, DomainEventKind.VISIT_MOVED, now, movedFrom(before));
  }
}

const movedFrom = (before: { startsAt: Date; endsAt: Date }) => ({
  previousStartsAt: before.startsAt.toISOString(),
  previousEndsAt: before.endsAt.toISOString(),
});

/** Cancels a booked visit, keeping it on record with the reason (the partner's cancel, or the appointment's in Outlook). */
export function cancelBookedVisit(tx: Em, visit: Visit, reason: string, now: Date): void {
  requireStatus(visit, 'cancelled');
  Object.assign(visit, { status: VisitStatus.CANCELLED, cancelledAt: now, cancellationReason: reason });
  recordVisitEvent(tx, visit, DomainEventKind.VISIT_CANCELLED, now);
}

export function rescheduleVisit(
  em: Em,
  access: AccessPolicy,
  args: { id: string; expectedVersion?: number | null; startsAt: Date; endsAt: Date; location?: string | null },
  now: Date,
): Promise<Visit> {
  checkTimes(args.startsAt, args.endsAt);
  return em.fork().transactional(async (tx) => {
    const visit = await loadForEdit(tx as Em, access, args.id, args.expectedVersion);
    moveBookedVisit(tx as Em, visit, args.startsAt, args.endsAt, now);
    if (args.location !== undefined && args.location !== null) visit.location = args.location.trim() || null;
    return visit;
  });
}

export function cancelVisit(em: Em, access: AccessPolicy, args: { id: string; expectedVersion?: number | null; reason: string }, now: Date): Promise<Visit> {
  const reason = args.reason.trim();
  if (!reason) throw badInput('Say why the visit is cancelled: the reason is kept with it.', 'reason');
  return em.fork().transactional(async (tx) => {
    const visit = await loadForEdit(tx as Em, access, args.id, args.expectedVersion);
    cancelBookedVisit(tx as Em, visit, reason, now);
    return visit;
  });
}

export function completeVisit(
  em: Em,
  access: AccessPolicy,
  args: { id: string; expectedVersion?: number | null; inSchoolDays?: number | null; outOfSchoolDays?: number | null },
  now: Date,
): Promise<Visit> {
  return em.fork().transactional(async (tx) => {
    const visit = await loadForEdit(tx as Em, access, args.id, args.expectedVersion);
    requireStatus(visit, 'completed');
    if (visit.startsAt > now) throw badInput('This visit has not started yet: complete it once it has taken place.', 'id');
    Object.assign(visit, {
      status: VisitStatus.COMPLETED,
      completedAt: now,
      inSchoolDays: args.inSchoolDays ?? visit.inSchoolDays,
      outOfSchoolDays: args.outOfSchoolDays ?? visit.outOfSchoolDays,
    });
    recordVisitEvent(tx as Em, visit, DomainEventKind.VISIT_COMPLETED, now);
    return visit;
  });
}

export function setAgenda(em: Em, access: AccessPolicy, args: { visitId: string; expectedVersion?: number | null; items: AgendaItemInput[] }): Promise<Visit> {
  return em.fork().transactional(async (tx) => {
    const visit = await loadForEdit(tx as Em, access, args.visitId, args.expectedVersion);
    if (visit.status === VisitStatus.CANCELLED) throw conflict('This visit is cancelled; its agenda can no longer change.');
    if (visit.type === VisitType.ROUND_TABLE && !access.isManager) {
      throw forbidden('A round table meeting has a fixed agenda; only a senior adviser can change it.');
    }
    await replaceAgenda(tx as Em, visit, args.items);
    visit.updatedAt = new Date(); // the agenda is part of the visit: its version moves on
    return visit;
  });
}
