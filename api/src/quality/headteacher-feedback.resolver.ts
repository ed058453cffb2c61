import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../platform/graphql/context.js';
import { Partner } from '../partners/partner.entity.js';
import { School } from '../schools/school.entity.js';
import { HeadteacherFeedback } from './headteacher-feedback.entity.js';
import { feedbackOnPartner } from './headteacher-feedback.service.js';

@Resolver(() => HeadteacherFeedback)
export class HeadteacherFeedbackResolver {
  @Query(() => [HeadteacherFeedback], {
    description: "Headteachers' feedback on a partner, newest first. For senior advisers only: the handbook records it for the manager.",
  })
  headteacherFeedback(@Arg('partnerId', () => ID) partnerId: string, @Ctx() { em, access }: GraphQLContext) {
    return feedbackOnPartner(em, access, partnerId);
  }

  @FieldResolver(() => School)
  school(@Root() feedback: HeadteacherFeedback) {
    return feedback.school.loadOrFail();
  }

  @FieldResolver(() => Partner)
  partner(@Root() feedback: HeadteacherFeedback) {
    return feedback.partner.loadOrFail();
  }
}
