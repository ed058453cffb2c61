import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../platform/graphql/context.js';
import type { ViewRoot } from '../platform/graphql/read-views.js';
import { School } from '../schools/school.entity.js';
import { canSeeNote } from './note.access.js';
import { createJudgementHistoryLoader, createSchoolRecommendationsLoader, JudgementHistoryPoint, SchoolRecommendation } from './school-history.queries.js';

/**
 * The school's page: fields of School the notes module adds (notes sit above schools). Who may
 * read them is who may read the school's notes: the school's records (allocation or a visit
 * attended), and for other council systems circulated notes only (note.access.ts).
 */
@Resolver(() => School)
export class SchoolHistoryResolver {
  @FieldResolver(() => [JudgementHistoryPoint], {
    description:
      "The school's judgements over time: every heading of every circulated note of visit, oldest visit first, headings in the note's order. Grade 1 (outstanding) is the best, 4 (inadequate) the worst.",
  })
  async judgementHistory(@Root() school: ViewRoot<School>, @Ctx() { access, loaders }: GraphQLContext) {
    await access.assertCanSeeSchoolRecords(school.id);
    return loaders.get(createJudgementHistoryLoader).load(school.id);
  }

  @FieldResolver(() => [SchoolRecommendation], {
    description:
      "Recommendations made in the school's notes of visit, latest visit first, each with its reviews in later notes (for other council systems: those of circulated notes).",
  })
  async recommendations(@Root() school: ViewRoot<School>, @Ctx() { access, loaders }: GraphQLContext) {
    await access.assertCanSeeSchoolRecords(school.id);
    const all = await loaders.get(createSchoolRecommendationsLoader).load(school.id);
    return all
      .filter((r) => canSeeNote(access, { status: r.noteStatus }))
      .map((r) => ({ ...r, reviews: r.reviews.filter((review) => canSeeNote(access, { status: review.noteStatus })) }));
  }
}
