import { Arg, Args, Ctx, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../graphql/context.js';
import { connectionType, PageArgs } from '../pagination/connection.js';
import { RecordType, Tombstone, tombstones } from './tombstones.js';

export const TombstoneConnection = connectionType(Tombstone, 'Tombstone');

/**
 * The `tombstones` query. It reads the domain events and ids only, so it sits with the events in the
 * platform, below every module, and the app lists it with the modules' resolvers (app/schema.ts).
 */
@Resolver(() => Tombstone)
export class TombstoneResolver {
  @Query(() => TombstoneConnection, {
    description:
      'Records deleted, closed or cancelled after an instant, in the order it happened (then the next page from the cursor): ' +
      'what a copy kept by another system must drop or mark. Visits and notes only of schools whose visits you may see.',
  })
  async tombstones(
    @Arg('changedSince', () => Date, { description: 'Only what happened strictly after this instant.' }) changedSince: Date,
    @Arg('types', () => [RecordType], { nullable: true, description: 'Only these kinds of record (all when not given).' })
    types: RecordType[] | null,
    @Args() page: PageArgs,
    @Ctx() { db, access }: GraphQLContext,
  ) {
    const visitSchoolIds = await access.visitSchoolIds();
    return tombstones(db, { changedSince, types: types ?? [], first: page.first, after: page.after ?? null, visitSchoolIds });
  }
}
