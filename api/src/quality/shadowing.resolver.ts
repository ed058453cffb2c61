import { Arg, Ctx, Field, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { businessDateOf } from '../platform/dates/today.js';
import { badInput } from '../platform/errors.js';
import type { GraphQLContext } from '../platform/graphql/context.js';
import { DateScalar } from '../platform/graphql/scalars.js';
import { requestWorkingCalendar } from '../calendar/council-closure-days.js';
import { Partner } from '../partners/partner.entity.js';
import { Visit } from '../visits/visit.entity.js';
import { Shadowing } from './shadowing.entity.js';
import { assertCanSeeShadowing } from './shadowing.access.js';
import { shadowingDue, visibleShadowings } from './shadowing.queries.js';
import { effectiveDueOn, isLateState, ShadowingState, shadowingState } from './shadowing.rules.js';
import { giveShadowingFeedback, shadowVisit } from './shadowing.service.js';

@ObjectType({
  description: "One partner's shadowing as the handbook asks it: at least one shadowed visit every two years, written feedback in five working days.",
})
class ShadowingDueRow {
  @Field(() => Partner) partner!: Partner;
  @Field(() => DateScalar, { nullable: true, description: 'The last visit they were shadowed on (held, not cancelled); empty when never.' })
  lastShadowedOn!: string | null;
  @Field(() => DateScalar, { description: 'Two years after the last shadowed visit, or today when never shadowed.' })
  nextDueBy!: string;
  @Field({ description: 'Never shadowed, or the two years are up.' }) overdue!: boolean;
  @Field(() => DateScalar, { nullable: true, description: 'The next shadowed visit booked, if any.' }) nextBookedOn!: string | null;
  @Field(() => Int, { description: 'Shadowed visits held whose written feedback has not been given.' }) feedbackOutstanding!: number;
  @Field(() => Int, { description: 'Written feedback past its due date: not given yet, or given late.' }) feedbackLate!: number;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

@Resolver(() => Shadowing)
export class ShadowingResolver {
  @Mutation(() => Shadowing, {
    description:
      "Books a shadowing of a booked visit (a senior adviser, or the lead partner's mentor): the shadower joins the visit's attendees. Booking the same shadower again returns the shadowing already booked.",
  })
  shadowVisit(@Arg('visitId', () => ID) visitId: string, @Arg('shadowerId', () => ID) shadowerId: string, @Ctx() { em, access }: GraphQLContext) {
    return shadowVisit(em, access, { visitId, shadowerId });
  }

  @Mutation(() => Shadowing, {
    description:
      'The written feedback on a shadowed visit, by the shadower or a senior adviser, once. Given after its due date it is kept and counted as late.',
  })
  giveShadowingFeedback(
    @Arg('id', () => ID) id: string,
    @Arg('feedback') feedback: string,
    @Arg('expectedVersion', () => Int, { nullable: true }) expectedVersion: number | null,
    @Ctx() { em, access, clock }: GraphQLContext,
  ) {
    return giveShadowingFeedback(em, access, { id, feedback, expectedVersion }, clock.now());
  }

  @Query(() => [Shadowing], {
    description:
      "Shadowings, latest visit first: a senior adviser's are everyone's (or one partner's, shadowed or shadowing); a partner's are those they were shadowed in or shadowed.",
  })
  shadowings(@Arg('partnerId', () => ID, { nullable: true }) partnerId: string | null, @Ctx() { em, access }: GraphQLContext) {
    if (access.isService) access.assertManager('read shadowings');
    return visibleShadowings(em, access, partnerId);
  }

  @Query(() => [ShadowingDueRow], {
    description: 'For senior advisers: per active partner, when they were last shadowed, when next due, and feedback outstanding or late.',
  })
  async shadowingDue(@Arg('asOf', () => DateScalar, { nullable: true }) asOf: string | null, @Ctx() context: GraphQLContext) {
    context.access.assertManager('read the shadowing report');
    if (asOf && !ISO_DATE.test(asOf)) throw badInput('asOf is a date: write it as YYYY-MM-DD.', 'asOf');
    const now = asOf && asOf !== businessDateOf(context.clock.now()) ? new Date(`${asOf}T12:00:00Z`) : context.clock.now();
    return shadowingDue(context.em, now, await requestWorkingCalendar(context));
  }

  @FieldResolver(() => Visit)
  visit(@Root() shadowing: Shadowing, @Ctx() { access }: GraphQLContext) {
    assertCanSeeShadowing(access, shadowing);
    return shadowing.visit.loadOrFail();
  }

  @FieldResolver(() => Partner, { description: 'Whose visit was shadowed (its lead partner).' })
  shadowedPartner(@Root() shadowing: Shadowing) {
    return shadowing.shadowedPartner.loadOrFail();
  }

  @FieldResolver(() => Partner)
  shadower(@Root() shadowing: Shadowing) {
    return shadowing.shadower.loadOrFail();
  }

  @FieldResolver(() => Partner, { nullable: true, description: 'Who wrote the feedback: the shadower, or a senior adviser on their behalf.' })
  givenBy(@Root() shadowing: Shadowing) {
    return shadowing.givenBy?.loadOrFail() ?? null;
  }

  @FieldResolver(() => DateScalar, {
    description:
      'Written feedback is due by this date: five working days after the visit (weekends, bank holidays and council closure days skipped). Follows the visit if it moves, until the feedback is given.',
  })
  async feedbackDueOn(@Root() shadowing: Shadowing, @Ctx() context: GraphQLContext) {
    return effectiveDueOn(shadowing, await shadowing.visit.loadOrFail(), await requestWorkingCalendar(context));
  }

  @FieldResolver(() => ShadowingState)
  async state(@Root() shadowing: Shadowing, @Ctx() context: GraphQLContext) {
    return shadowingState(shadowing, await shadowing.visit.loadOrFail(), context.clock.now(), await requestWorkingCalendar(context));
  }

  @FieldResolver(() => Boolean, { description: 'Written feedback past its due date: not given yet, or given late (kept, and counted as late).' })
  async late(@Root() shadowing: Shadowing, @Ctx() context: GraphQLContext) {
    return isLateState(shadowingState(shadowing, await shadowing.visit.loadOrFail(), context.clock.now(), await requestWorkingCalendar(context)));
  }
}
