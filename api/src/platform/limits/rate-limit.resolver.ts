import { Arg, Ctx, Field, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { AppError, ErrorCode } from '../errors.js';
import { queryCostOf } from './query-cost.js';

@ObjectType({ description: "This request's cost and what is left of the client's query-cost budget (the same as the answer's `extensions.cost`)." })
export class RateLimit {
  @Field(() => Int, {
    description: 'What this request costs (roughly, fields times page sizes); a dry run costs nothing but says what the request would cost.',
  })
  cost!: number;

  @Field(() => Int, { description: 'Query-cost points a client may spend a minute, all servers together.' })
  limit!: number;

  @Field(() => Int, { description: 'Points left in this minute, after this request (a dry run spends none).' })
  remaining!: number;

  @Field({ description: 'When the budget is whole again.' })
  resetAt!: Date;
}

@Resolver()
export class RateLimitResolver {
  @Query(() => RateLimit, {
    description:
      "This request's cost and the client's budget. With `dryRun: true` nothing else in the request is executed and no budget is spent: the answer says what the request would cost.",
  })
  rateLimit(
    @Arg('dryRun', () => Boolean, { defaultValue: false, description: 'Only say what the request would cost; execute nothing else.' }) _dryRun: boolean,
    @Ctx() context: object,
  ): RateLimit {
    const cost = queryCostOf(context);
    // Worked out before execution for every request whose variables fit their types; only those reach here.
    if (!cost) throw new AppError(ErrorCode.BAD_USER_INPUT, 'The cost of this request could not be worked out: check its variables.');
    return { cost: cost.requestedQueryCost, limit: cost.budget.limit, remaining: cost.budget.remaining, resetAt: new Date(cost.budget.resetAt) };
  }
}
