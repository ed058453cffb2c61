import type { FilterQuery } from '@mikro-orm/core';
import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { checkAcademicYear } from '../calendar/academic-year.js';
import type { GraphQLContext } from '../graphql/context.js';
import { findOr404 } from '../graphql/lookup.js';
import { containsPattern } from '../graphql/text-search.js';
import { connectionType, PageArgs, paginate } from '../pagination/connection.js';
import { School } from '../schools/school.entity.js';
import { Allocation } from './allocation.entity.js';
import { PartnerFilter } from './partner-filter.input.js';
import { Partner } from './partner.entity.js';

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
  @Query(() => PartnerConnection, { description: 'Partners and managers in name order.' })
  partners(
    @Args() page: PageArgs,
    @Arg('filter', () => PartnerFilter, { nullable: true }) filter: PartnerFilter | null,
    @Ctx() { em }: GraphQLContext,
  ) {
    return paginate(em, Partner, partnerWhere(filter), { name: 'asc', id: 'asc' }, page);
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

@Resolver(() => Allocation)
export class AllocationResolver {
  @FieldResolver(() => Partner)
  partner(@Root() allocation: Allocation) {
    return allocation.partner.load();
  }

  @FieldResolver(() => School)
  school(@Root() allocation: Allocation) {
    return allocation.school.load();
  }
}
