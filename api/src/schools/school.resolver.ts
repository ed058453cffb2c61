import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../platform/graphql/context.js';
import { findOr404 } from '../platform/graphql/lookup.js';
import type { ViewRoot } from '../platform/graphql/read-views.js';
import { CHANGED_SINCE_DESCRIPTION, paginateByChange } from '../platform/pagination/change-order.js';
import { connectionType, PageArgs, paginate } from '../platform/pagination/connection.js';
import { RiskCategoryAssessment } from './risk-category-assessment.entity.js';
import { createLatestRiskAssessmentLoader } from './risk-category.queries.js';
import { SchoolFilter } from './school-filter.input.js';
import { schoolWhere } from './school.queries.js';
import { SchoolSuccession } from './school-succession.entity.js';
import { School } from './school.entity.js';

export const SchoolConnection = connectionType(School, 'School');

@Resolver(() => School)
export class SchoolResolver {
  @Query(() => SchoolConnection, { description: 'Schools in name order (in order of change with changedSince).' })
  async schools(
    @Args() page: PageArgs,
    @Arg('filter', () => SchoolFilter, { nullable: true }) filter: SchoolFilter | null,
    @Ctx() { em, access }: GraphQLContext,
    @Arg('changedSince', () => Date, { nullable: true, description: CHANGED_SINCE_DESCRIPTION }) changedSince?: Date | null,
  ) {
    let where = schoolWhere(filter);
    if (filter?.riskCategory?.length) {
      // Filtering by a confidential category must not reveal other schools' categories.
      const allowed = await access.riskCategoryFilterScope();
      if (allowed) where = { $and: [where, { id: { $in: [...allowed] } }] };
    }
    if (changedSince) return paginateByChange(em, School, where, changedSince, page);
    return paginate(em, School, where, { name: 'asc', id: 'asc' }, page);
  }

  @Query(() => School, { nullable: true, description: 'One school; NOT_FOUND when the id is unknown.' })
  school(@Arg('id', () => ID) id: string, @Ctx() { em }: GraphQLContext) {
    return findOr404(em, School, 'School', id);
  }

  // A field resolver rather than a @Field on the getter: for a getter field type-graphql builds a new
  // School (an ORM entity, with its collections) around any root that is not one, e.g. a read view.
  @FieldResolver(() => String, { description: 'DfE number: LA code and establishment number, e.g. "926/4006".' })
  dfeNumber(@Root() school: ViewRoot<School>) {
    return school.dfeNumber;
  }

  @FieldResolver(() => [SchoolSuccession], { description: 'Establishments this one replaced (e.g. the school before academy conversion).' })
  async predecessors(@Root() school: School) {
    return (await school.predecessorLinks.load()).getItems();
  }

  @FieldResolver(() => [SchoolSuccession], { description: 'Establishments that replaced this one.' })
  async successors(@Root() school: School) {
    return (await school.successorLinks.load()).getItems();
  }

  @FieldResolver(() => RiskCategoryAssessment, { nullable: true, description: 'The latest risk category assessment (confidential).' })
  async currentRiskCategory(@Root() school: School, @Ctx() { access }: GraphQLContext) {
    await access.assertCanSeeRiskCategories(school.id);
    const history = (await school.riskAssessments.load()).getItems();
    return history[0] ?? null;
  }

  @FieldResolver(() => RiskCategoryAssessment, {
    nullable: true,
    description:
      'The latest risk category assessment where you may see it (a manager; a partner, for a school allocated to them this academic year), ' +
      'otherwise null rather than an error: for a summary (the Outlook pane’s school card) that shows it only where it is allowed.',
  })
  async visibleRiskCategory(@Root() school: ViewRoot<School>, @Ctx() { access, loaders }: GraphQLContext) {
    const allowed = await access.riskCategorySchoolIds();
    if (allowed && !allowed.has(school.id)) return null;
    return loaders.get(createLatestRiskAssessmentLoader).load(school.id);
  }

  @FieldResolver(() => Boolean, {
    description:
      "Whether you may see this school's visits and notes (allocated to you, or a visit there you attended): " +
      'what decides whether lastVisit and openRecommendations are shown to you.',
  })
  async recordsVisible(@Root() school: ViewRoot<School>, @Ctx() { access }: GraphQLContext) {
    const ids = await access.visibleSchoolIds();
    return !ids || ids.has(school.id);
  }

  @FieldResolver(() => [RiskCategoryAssessment], { description: 'Every risk category assessment, latest first (confidential).' })
  async riskCategoryHistory(@Root() school: School, @Ctx() { access }: GraphQLContext) {
    await access.assertCanSeeRiskCategories(school.id);
    return (await school.riskAssessments.load()).getItems();
  }
}

@Resolver(() => SchoolSuccession)
export class SchoolSuccessionResolver {
  @FieldResolver(() => School)
  predecessor(@Root() link: SchoolSuccession) {
    return link.predecessor.load();
  }

  @FieldResolver(() => School)
  successor(@Root() link: SchoolSuccession) {
    return link.successor.load();
  }
}

@Resolver(() => RiskCategoryAssessment)
export class RiskCategoryAssessmentResolver {
  @FieldResolver(() => School)
  school(@Root() assessment: RiskCategoryAssessment) {
    return assessment.school.load();
  }
}
