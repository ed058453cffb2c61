import { ref } from '@mikro-orm/core';
import type { AccessPolicy } from '../platform/auth/access-policy.js';
import type { Em } from '../platform/db/orm.js';
import { DomainEventKind, recordEvent } from '../platform/events/domain-events.js';
import { checkId } from '../platform/graphql/lookup.js';
import type { Partner } from '../partners/partner.entity.js';
import type { School } from '../schools/school.entity.js';
import { HeadteacherFeedback } from './headteacher-feedback.entity.js';
import { FEEDBACK_RATINGS, type HeadteacherFeedbackAnswers } from './headteacher-feedback.rules.js';

/**
 * Records a headteacher's feedback on their partner in the caller's transaction (the school's
 * link's submission, school-side/partner-feedback.service.ts, which marks the link used and
 * audits the use in the same one), with HEADTEACHER_FEEDBACK_RECEIVED.
 */
export function recordHeadteacherFeedback(
  tx: Em,
  args: { school: School; partner: Partner; answers: HeadteacherFeedbackAnswers; recordedBy: string; requestedBy: string },
  now: Date,
): HeadteacherFeedback {
  const feedback = Object.assign(new HeadteacherFeedback(), {
    school: ref(args.school),
    partner: ref(args.partner),
    ...Object.fromEntries(FEEDBACK_RATINGS.map((r) => [r.key, args.answers.ratings[r.key] ?? null])),
    comments: args.answers.comments,
    respondent: args.answers.respondent,
    receivedAt: now,
    recordedBy: args.recordedBy,
    requestedBy: args.requestedBy,
  });
  tx.persist(feedback);
  recordEvent(
    tx,
    { kind: DomainEventKind.HEADTEACHER_FEEDBACK_RECEIVED, schoolId: args.school.id, partnerId: args.partner.id, data: { feedbackId: feedback.id } },
    now,
  );
  return feedback;
}

/** A partner's feedback from headteachers, newest first: for senior advisers (the handbook records it for the manager). */
export function feedbackOnPartner(em: Em, access: AccessPolicy, partnerId: string): Promise<HeadteacherFeedback[]> {
  access.assertManager("read headteachers' feedback on a partner");
  return em.find(HeadteacherFeedback, { partner: checkId(partnerId, 'partnerId') }, { orderBy: { receivedAt: 'desc', id: 'asc' } });
}
