import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../platform/graphql/context.js';
import type { ViewRoot } from '../platform/graphql/read-views.js';
import { School } from '../schools/school.entity.js';
import { createLastVisitLoader } from './last-visit.queries.js';
import { Visit } from './visit.entity.js';

/** A school's last visit: a field of School the visits module adds (schools sit below visits). */
@Resolver(() => School)
export class SchoolLastVisitResolver {
  @FieldResolver(() => Visit, {
    nullable: true,
    description:
      'The latest visit that has taken place (not cancelled, started by now), among the visits you may read; ' +
      'null when there is none (or none you may see).',
  })
  lastVisit(@Root() school: ViewRoot<School>, @Ctx() { access, clock, loaders }: GraphQLContext) {
    return loaders.get(createLastVisitLoader).load(school.id, access, clock.now());
  }
}
