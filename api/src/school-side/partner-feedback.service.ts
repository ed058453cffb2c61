import { LockMode } from '@mikro-orm/core';
import type { AccessPolicy } from '../platform/auth/access-policy.js';
import { runAs } from '../platform/audit/audit-context.js';
import { academicYearOf } from '../platform/dates/academic-year.js';
import { businessDateOf, longLondonDate } from '../platform/dates/today.js';
import type { Em } from '../platform/db/orm.js';
import { badInput } from '../platform/errors.js';
import { checkId, findOr404 } from '../platform/graphql/lookup.js';
import { Allocation } from '../partners/allocation.entity.js';
import { Partner } from '../partners/partner.entity.js';
import { recordHeadteacherFeedback } from '../quality/headteacher-feedback.service.js';
import type { HeadteacherFeedback } from '../quality/headteacher-feedback.entity.js';
import type { HeadteacherFeedbackAnswers } from '../quality/headteacher-feedback.rules.js';
import { School } from '../schools/school.entity.js';
import { Visit } from '../visits/visit.entity.js';
import { VisitStatus } from '../visits/visit.enums.js';
import { AccessLink, AccessLinkPurpose } from './access-link.entity.js';
import { issueLink } from './links.service.js';
import { linkUseEvent } from './school-answers.service.js';
import type { SchoolSideDeps } from './school-side.js';

/** The school's partner this academic year (its one allocation), or BAD_USER_INPUT asking which. */
async function currentPartnerOf(tx: Em, school: School, now: Date): Promise<Partner> {
  const year = academicYearOf(businessDateOf(now));
  const allocations = await tx.find(Allocation, { school: school.id, academicYear: year }, { populate: ['partner'], orderBy: { partner: { name: 'asc' } } });
  const partners = [...new Map(allocations.map((a) => [a.partner.id, a.partner.getEntity()])).values()];
  if (partners.length === 1) return partners[0]!;
  if (!partners.length) throw badInput(`${school.name} has no partner allocated for ${year}: give partnerId.`, 'partnerId');
  throw badInput(
    `${school.name} has ${partners.length} partners allocated for ${year} (${partners.map((p) => p.name).join(', ')}): give partnerId.`,
    'partnerId',
  );
}

/**
 * The visit a feedback link hangs on (links belong to a visit): the partner's latest visit to the
 * school that has taken place (else their next one booked). Feedback on a partner who never
 * visited would be about nobody's work, so it is refused.
 */
async function anchorVisit(tx: Em, school: School, partner: Partner, now: Date): Promise<Visit> {
  const visits = { school: school.id, leadPartner: partner.id, status: { $ne: VisitStatus.CANCELLED } };
  const held = await tx.findOne(Visit, { ...visits, startsAt: { $lte: now } }, { orderBy: { startsAt: 'desc' } });
  const visit = held ?? (await tx.findOne(Visit, visits, { orderBy: { startsAt: 'asc' } }));
  if (!visit)
    throw badInput(`${partner.name} has no visit to ${school.name} on record: the headteacher can give feedback once they have visited.`, 'partnerId');
  return visit;
}

/**
 * A senior adviser asks the school's headteacher for brief feedback on its partner (the current
 * one unless `partnerId` says which): an email with a signed link, queued in the same transaction.
 * A new request replaces an earlier unanswered one for the same partner and school.
 */
export async function requestHeadteacherFeedback(
  em: Em,
  access: AccessPolicy,
  deps: SchoolSideDeps,
  args: { schoolId: string; partnerId?: string | null; recipientEmail?: string | null },
  now = deps.clock.now(),
): Promise<AccessLink> {
  access.assertManager('ask a headteacher for feedback on their partner');
  const link = await em.fork().transactional(async (tx) => {
    const school = await findOr404(tx as Em, School, 'School', args.schoolId, 'schoolId');
    const partner = args.partnerId
      ? await findOr404(tx as Em, Partner, 'Partner', checkId(args.partnerId, 'partnerId'), 'partnerId')
      : await currentPartnerOf(tx as Em, school, now);
    const to = args.recipientEmail?.trim() || school.headteacher?.email;
    if (!to) throw badInput('The school has no headteacher email on record: give recipientEmail.', 'recipientEmail');
    const visit = await anchorVisit(tx as Em, school, partner, now);
    const issued = await issueLink(
      tx as Em,
      deps,
      { visit, purpose: AccessLinkPurpose.PARTNER_FEEDBACK, recipientEmail: to, recipientName: school.headteacher?.name },
      now,
    );
    // Not filed under the visit (no `visit`): the partner reads their visit's emails, and this one is about them.
    deps.outbox.queue(tx as Em, {
      to,
      subject: `${school.name}: your feedback on your school improvement partner`,
      body: [
        'Dear headteacher,',
        '',
        `As part of our quality assurance, we ask headteachers for brief feedback on their school improvement partner. Please tell us how ${partner.name} has worked with ${school.name}: a few ratings and any comments. Your feedback goes to the council's senior advisers.`,
        '',
        issued.url,
        '',
        `The link works until ${longLondonDate(issued.link.expiresAt)}, once. No account is needed.`,
        '',
        'School improvement service',
        `${deps.council.name}`,
      ].join('\n'),
    });
    return issued.link;
  });
  deps.outbox.kick();
  return link;
}

export type FeedbackOutcome = { ok: true; feedback: HeadteacherFeedback } | { ok: false; reason: 'used' };

/**
 * The headteacher's feedback through their link: stored, the link marked used and its use audited,
 * in one transaction. The link row is locked first, so two submissions at once store one.
 */
export function submitPartnerFeedback(em: Em, linkId: string, answers: HeadteacherFeedbackAnswers, now: Date, requestId?: string): Promise<FeedbackOutcome> {
  return runAs({ actor: `link:${linkId}`, requestId }, () =>
    em.fork().transactional(async (tx): Promise<FeedbackOutcome> => {
      const link = await tx.findOneOrFail(AccessLink, { id: linkId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (link.usedAt) return { ok: false, reason: 'used' };
      const visit = await link.visit.loadOrFail();
      const feedback = recordHeadteacherFeedback(
        tx as Em,
        {
          school: await visit.school.loadOrFail(),
          partner: await visit.leadPartner.loadOrFail(),
          answers,
          recordedBy: `link:${link.id}`,
          requestedBy: link.createdBy,
        },
        now,
      );
      link.usedAt = now;
      tx.persist(linkUseEvent(link, 'submit', { respondent: answers.respondent }, requestId));
      return { ok: true, feedback };
    }),
  );
}
