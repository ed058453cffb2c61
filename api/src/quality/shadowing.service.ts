import { ref } from '@mikro-orm/core';
import type { AccessPolicy } from '../platform/auth/access-policy.js';
import { currentActor } from '../platform/audit/audit-context.js';
import type { Em } from '../platform/db/orm.js';
import { checkVersion } from '../platform/db/versioning.js';
import { badInput, conflict } from '../platform/errors.js';
import { DomainEventKind, recordEvent } from '../platform/events/domain-events.js';
import { checkId, findOr404 } from '../platform/graphql/lookup.js';
import { loadWorkingCalendar } from '../calendar/council-closure-days.js';
import { Partner } from '../partners/partner.entity.js';
import { VisitAttendee } from '../visits/visit-attendee.entity.js';
import { Visit } from '../visits/visit.entity.js';
import { AttendeeRole, VisitStatus } from '../visits/visit.enums.js';
import { Shadowing } from './shadowing.entity.js';
import { actingPartnerId, assertCanBookShadowing, assertCanGiveShadowingFeedback } from './shadowing.access.js';
import { effectiveDueOn, isLateState, SHADOWING_FEEDBACK_MAX_LENGTH, shadowingFeedbackDueOn, shadowingState } from './shadowing.rules.js';

/**
 * Makes the shadower an attendee of the visit (last in the list), unless they already are one:
 * attending partners see the visit in their list and calendar (AccessPolicy.ownVisitSql).
 */
async function addShadowerAsAttendee(tx: Em, visit: Visit, shadower: Partner): Promise<void> {
  const attendees = (await visit.attendees.load()).getItems();
  if (attendees.some((a) => a.partner?.id === shadower.id)) return;
  tx.persist(
    Object.assign(new VisitAttendee(), {
      visit: ref(visit),
      position: Math.max(0, ...attendees.map((a) => a.position)) + 1,
      name: shadower.name,
      email: shadower.email.toLowerCase(),
      role: AttendeeRole.PARTNER,
      partner: ref(shadower),
    }),
  );
  visit.updatedAt = new Date(); // the attendees are part of the visit: its version moves on
}

/**
 * Books a shadowing of a booked visit: the shadowed partner is the visit's lead, the shadower
 * someone else (a senior adviser or another partner), who joins the visit's attendees. Booking
 * the same shadower on the same visit again returns the shadowing already booked.
 */
export function shadowVisit(em: Em, access: AccessPolicy, args: { visitId: string; shadowerId: string }): Promise<Shadowing> {
  const shadowerId = checkId(args.shadowerId, 'shadowerId');
  return em.fork().transactional(async (tx) => {
    const visit = await findOr404(tx as Em, Visit, 'Visit', args.visitId, 'visitId');
    const lead = await visit.leadPartner.loadOrFail();
    assertCanBookShadowing(access, lead);
    const existing = await tx.findOne(Shadowing, { visit: visit.id, shadower: shadowerId });
    if (existing) return existing;
    if (visit.status !== VisitStatus.BOOKED) throw conflict(`This visit is ${visit.status}; only a booked visit can be shadowed.`);
    if (shadowerId === lead.id) throw badInput('A partner cannot shadow their own visit: choose someone else to shadow it.', 'shadowerId');
    const shadower = await findOr404(tx as Em, Partner, 'Partner', shadowerId, 'shadowerId');
    if (!shadower.active) throw badInput(`${shadower.name} is no longer active: choose someone else to shadow the visit.`, 'shadowerId');
    const calendar = await loadWorkingCalendar(tx as Em);
    const shadowing = Object.assign(new Shadowing(), {
      visit: ref(visit),
      shadowedPartner: ref(lead),
      shadower: ref(shadower),
      feedbackDueOn: shadowingFeedbackDueOn(visit.startsAt, calendar),
      bookedBy: currentActor().actor,
    });
    tx.persist(shadowing);
    await addShadowerAsAttendee(tx as Em, visit, shadower);
    return shadowing;
  });
}

/**
 * The shadower's written feedback (or a senior adviser's on their behalf), once: after it the
 * record is kept as given, with the due date it was judged on. Feedback after the due date is
 * kept and counted as late. Records SHADOWING_FEEDBACK_GIVEN for the shadowed partner.
 */
export function giveShadowingFeedback(
  em: Em,
  access: AccessPolicy,
  args: { id: string; feedback: string; expectedVersion?: number | null },
  now: Date,
): Promise<Shadowing> {
  const feedback = args.feedback.replaceAll('\u0000', '').trim();
  if (!feedback) throw badInput('Write the feedback: the partner reads it as the written feedback on their visit.', 'feedback');
  if (feedback.length > SHADOWING_FEEDBACK_MAX_LENGTH) {
    throw badInput(`Keep the feedback to ${SHADOWING_FEEDBACK_MAX_LENGTH} characters (it has ${feedback.length}).`, 'feedback');
  }
  return em.fork().transactional(async (tx) => {
    const shadowing = await findOr404(tx as Em, Shadowing, 'Shadowing', args.id);
    assertCanGiveShadowingFeedback(access, shadowing);
    checkVersion(shadowing, args.expectedVersion, 'shadowing');
    if (shadowing.feedbackGivenAt) throw conflict('The written feedback for this shadowing has already been given; it is kept as it was given.');
    const visit = await shadowing.visit.loadOrFail();
    if (visit.status === VisitStatus.CANCELLED) throw conflict('This visit was cancelled, and its shadowing with it: there is no feedback to give.');
    if (visit.startsAt > now) throw badInput('This visit has not taken place yet: give the written feedback after it.', 'id');
    const calendar = await loadWorkingCalendar(tx as Em);
    Object.assign(shadowing, {
      feedbackDueOn: effectiveDueOn(shadowing, visit, calendar),
      feedback,
      feedbackGivenAt: now,
      givenBy: ref(tx.getReference(Partner, actingPartnerId(access))),
    });
    recordEvent(
      tx as Em,
      {
        kind: DomainEventKind.SHADOWING_FEEDBACK_GIVEN,
        visitId: visit.id,
        schoolId: visit.school.id,
        partnerId: shadowing.shadowedPartner.id,
        data: { shadowingId: shadowing.id, late: isLateState(shadowingState(shadowing, visit, now, calendar)) },
      },
      now,
    );
    return shadowing;
  });
}
