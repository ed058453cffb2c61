import type { FilterQuery } from '@mikro-orm/core';
import { IsOptional, Length } from 'class-validator';
import { Arg, Args, Ctx, Field, FieldResolver, Float, ID, InputType, Mutation, Query, Resolver, Root } from 'type-graphql';
import { academicYearOf, checkAcademicYear } from '../platform/dates/academic-year.js';
import { businessDateOf } from '../platform/dates/today.js';
import type { GraphQLContext } from '../platform/graphql/context.js';
import { findOr404 } from '../platform/graphql/lookup.js';
import { containsPattern } from '../platform/graphql/text-search.js';
import { CHANGED_SINCE_DESCRIPTION, paginateByChange } from '../platform/pagination/change-order.js';
import { connectionType, PageArgs, paginate } from '../platform/pagination/connection.js';
import { RiskCategoryAssessment } from '../schools/risk-category-assessment.entity.js';
import { School } from '../schools/school.entity.js';
import { Allocation } from './allocation.entity.js';
import { allocatePartner } from './allocation.service.js';
import { PartnerFilter } from './partner-filter.input.js';
import { Partner } from './partner.entity.js';
import { signedInPartner } from './signed-in-partner.js';
import { createAllocationUseLoader } from './allocation-use.js';

export const PartnerConnection = connectionType(Partner, 'Partner');

function partnerWhere(filter: PartnerFilter | null): FilterQuery<Partner> {
  const all: FilterQuery<Partner>[] = [];
  if (filter?.search?.trim()) {
    const pattern = containsPattern(filter.search);
    all.push({ $or: [{ name: { $ilike: pattern } }, { email: { $ilike: pattern } }] });
  }
  if (filter?.role) all.push({ role: filter.role });
  if (filter?.active !== undefined && filter?.active !== null) all.push({ active: filter.active });
  return all.length ? { $and: all } : {};
}

@Resolver(() => Partner)
export class PartnerResolver {
  @Query(() => PartnerConnection, { description: 'Partners and managers in name order (in order of change with changedSince).' })
  partners(
    @Args() page: PageArgs,
    @Arg('filter', () => PartnerFilter, { nullable: true }) filter: PartnerFilter | null,
    @Ctx() { em }: GraphQLContext,
    @Arg('changedSince', () => Date, { nullable: true, description: CHANGED_SINCE_DESCRIPTION }) changedSince?: Date | null,
  ) {
    if (changedSince) return paginateByChange(em, Partner, partnerWhere(filter), changedSince, page);
    return paginate(em, Partner, partnerWhere(filter), { name: 'asc', id: 'asc' }, page);
  }

  @Query(() => Partner, { nullable: true, description: 'You: the signed-in partner or manager (null for a service).' })
  me(@Ctx() { principal }: GraphQLContext) {
    return signedInPartner(principal);
  }

  @Query(() => Partner, { nullable: true, description: 'One partner; NOT_FOUND when the id is unknown.' })
  partner(@Arg('id', () => ID) id: string, @Ctx() { em }: GraphQLContext) {
    return findOr404(em, Partner, 'Partner', id);
  }

  @FieldResolver(() => Partner, { nullable: true, description: 'Experienced partner who mentors this one.' })
  mentor(@Root() partner: Partner) {
    return partner.mentor?.load() ?? null;
  }

  @FieldResolver(() => [Allocation], { description: "The partner's schools, optionally for one academic year." })
  async allocations(
    @Root() partner: Partner,
    @Arg('academicYear', () => String, { nullable: true, description: 'e.g. "2026-27"' }) academicYear: string | null,
  ) {
    const all = (await partner.allocations.load()).getItems();
    if (!academicYear) return all;
    const year = checkAcademicYear(academicYear);
    return all.filter((a) => a.academicYear === year);
  }
}

@InputType()
class AllocatePartnerInput {
  @Field(() => ID)
  partnerId!: string;

  @Field(() => ID)
  schoolId!: string;

  @Field({ description: 'e.g. "2026-27".' })
  academicYear!: string;

  @Field(() => Float, { nullable: true, description: 'Days for the year; by default 5, or 6 for a partner new to the school.' })
  days?: number | null;

  @Field(() => String, { nullable: true, description: 'Why the allocation differs from the standard, e.g. "intensive support (+2)".' })
  @IsOptional()
  @Length(0, 300)
  reason?: string | null;
}

@Resolver(() => Allocation)
export class AllocationResolver {
  @Mutation(() => Allocation, { description: 'Allocates a partner to a school for an academic year, or changes the days (managers).' })
  allocatePartner(@Arg('input', () => AllocatePartnerInput) input: AllocatePartnerInput, @Ctx() { em, access }: GraphQLContext) {
    return allocatePartner(em, access, input);
  }

  @FieldResolver(() => Float, {
    description: "Days this partner's visits to the school that year use (in school and out of school; cancelled visits excluded).",
  })
  daysSpent(@Root() allocation: Allocation, @Ctx() { loaders }: GraphQLContext) {
    return loaders.get(createAllocationUseLoader).load(allocation);
  }

  @FieldResolver(() => Float, { description: 'Days allocated less days spent; negative when over budget.' })
  async daysRemaining(@Root() allocation: Allocation, @Ctx() { loaders }: GraphQLContext) {
    return allocation.days - (await loaders.get(createAllocationUseLoader).load(allocation));
  }

  @FieldResolver(() => Partner)
  partner(@Root() allocation: Allocation) {
    return allocation.partner.load();
  }

  @FieldResolver(() => School)
  school(@Root() allocation: Allocation) {
    return allocation.school.load();
  }
}

/** A school's allocated partners: a field of School the partners module adds (schools sit below partners). */
@Resolver(() => School)
export class SchoolAllocationsResolver {
  @FieldResolver(() => [Allocation], { description: 'Partners allocated to the school, optionally for one academic year.' })
  async allocations(@Root() school: School, @Arg('academicYear', () => String, { nullable: true, description: 'e.g. "2026-27"' }) academicYear: string | null) {
    const all = (await school.allocations.load()).getItems();
    if (!academicYear) return all;
    const year = checkAcademicYear(academicYear);
    return all.filter((a) => a.academicYear === year);
  }

  @FieldResolver(() => [Allocation], {
    description: "This academic year's allocations (the year of today on the council's business clock), in the partners' name order.",
  })
  async currentAllocations(@Root() school: School, @Ctx() { clock }: GraphQLContext) {
    const year = academicYearOf(businessDateOf(clock.now()));
    const ofYear = (await school.allocations.load({ populate: ['partner'] })).getItems().filter((a) => a.academicYear === year);
    return ofYear.sort((a, b) => a.partner.getEntity().name.localeCompare(b.partner.getEntity().name));
  }
}

/** Who made a risk category assessment: a field of RiskCategoryAssessment the partners module adds. */
@Resolver(() => RiskCategoryAssessment)
export class RiskCategoryAssessorResolver {
  @FieldResolver(() => Partner, { description: 'Who made the assessment.' })
  assessedBy(@Root() assessment: RiskCategoryAssessment) {
    return assessment.assessedBy.load();
  }
}
