import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { badInput } from '../platform/errors.js';
import { AccessLink } from './access-link.entity.js';
import { requestHeadteacherFeedback } from './partner-feedback.service.js';
import type { SchoolSideContext } from './school-side.js';

@Resolver()
export class PartnerFeedbackResolver {
  @Mutation(() => AccessLink, {
    description:
      "A senior adviser asks a school's headteacher (or recipientEmail) for brief feedback on its partner (the one allocated this year unless partnerId is given), by an emailed link used once. Read the answers with headteacherFeedback(partnerId).",
  })
  requestHeadteacherFeedback(
    @Arg('schoolId', () => ID) schoolId: string,
    @Arg('partnerId', () => ID, { nullable: true }) partnerId: string | null,
    @Arg('recipientEmail', () => String, { nullable: true }) recipientEmail: string | null,
    @Ctx() { em, access, schoolSide, clock }: SchoolSideContext,
  ) {
    if (recipientEmail && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(recipientEmail))
      throw badInput('The recipient\'s email is not an email address: write it like "name@school.example".', 'recipientEmail');
    return requestHeadteacherFeedback(em, access, schoolSide, { schoolId, partnerId, recipientEmail }, clock.now());
  }
}
