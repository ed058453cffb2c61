import type { FilterQuery } from '@mikro-orm/core';
import type { Em } from '../platform/db/orm.js';
import { badInput } from '../platform/errors.js';
import { findOr404 } from '../platform/graphql/lookup.js';
import { Partner } from '../partners/partner.entity.js';
import { School } from '../schools/school.entity.js';
import type { VisitFilter } from './visit-filter.input.js';
import type { Visit } from './visit.entity.js';

/**
 * Builds the conditions for a visit list. A filter naming a school or partner
 * that does not exist is an error (NOT_FOUND), not an empty list.
 */
export async function visitWhere(em: Em, filter: VisitFilter | null): Promise<FilterQuery<Visit>> {
  if (!filter) return {};
  const all: FilterQuery<Visit>[] = [];
  if (filter.from && filter.to && filter.from > filter.to) {
    throw badInput('filter.from must not be after filter.to.', 'filter.from');
  }
  if (filter.schoolId) {
    const school = await findOr404(em, School, 'School', filter.schoolId, 'filter.schoolId');
    all.push({ school: school.id });
  }
  if (filter.partnerId) {
    const partner = await findOr404(em, Partner, 'Partner', filter.partnerId, 'filter.partnerId');
    all.push({ leadPartner: partner.id });
  }
  if (filter.type?.length) all.push({ type: { $in: filter.type } });
  if (filter.status?.length) all.push({ status: { $in: filter.status } });
  if (filter.from) all.push({ startsAt: { $gte: filter.from } });
  if (filter.to) all.push({ startsAt: { $lt: filter.to } });
  return all.length ? { $and: all } : {};
}
