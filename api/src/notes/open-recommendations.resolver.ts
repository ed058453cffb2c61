import { Arg, Ctx, Field, FieldResolver, Int, ObjectType, Resolver, Root } from 'type-graphql';
import { badInput } from '../platform/errors.js';
import type { GraphQLContext } from '../platform/graphql/context.js';
import type { ViewRoot } from '../platform/graphql/read-views.js';
import { School } from '../schools/school.entity.js';
import { createOpenRecommendationsLoader } from './open-recommendations.queries.js';
import { Recommendation } from './recommendation.entity.js';

@ObjectType({ description: "A school's recommendations still open: the first few, soonest due first, and how many there are." })
export class OpenRecommendations {
  @Field(() => Int, { description: 'How many are open in all (the nodes may be fewer: "and N more").' })
  totalCount!: number;

  @Field(() => [Recommendation], { description: 'The first of them, soonest due first.' })
  nodes!: Recommendation[];
}

/** The most a summary asks for at once: a card, not the school's page. */
const MOST = 20;

/** A school's open recommendations: a field of School the notes module adds (schools sit below notes). */
@Resolver(() => School)
export class SchoolOpenRecommendationsResolver {
  @FieldResolver(() => OpenRecommendations, {
    nullable: true,
    description:
      "Recommendations still open from the school's circulated notes of visit, soonest due first; " +
      'null when you may not see the school’s notes (recordsVisible is false), rather than an error.',
  })
  async openRecommendations(
    @Root() school: ViewRoot<School>,
    @Arg('first', () => Int, { defaultValue: 3, description: 'How many to list (at most 20); totalCount counts them all.' }) first: number,
    @Ctx() { access, loaders }: GraphQLContext,
  ): Promise<OpenRecommendations | null> {
    if (!Number.isInteger(first) || first < 0 || first > MOST) throw badInput(`first must be between 0 and ${MOST}: a card lists a few.`, 'first');
    const ids = await access.visibleSchoolIds();
    if (ids && !ids.has(school.id)) return null;
    return loaders.get(createOpenRecommendationsLoader).load({ schoolId: school.id, first });
  }
}
