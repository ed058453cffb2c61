import type { FilterQuery } from '@mikro-orm/core';
import { containsPattern, escapeLike } from '../platform/graphql/text-search.js';
import type { SchoolFilter } from './school-filter.input.js';
import type { School } from './school.entity.js';

const DFE_NUMBER = /^(\d{3})\s*\/\s*(\d{1,4})$/;
const NUMBER = /^\d{1,7}$/;

/** Turns a search text into conditions: a DfE number, a URN or establishment number, or part of a name. */
function searchConditions(text: string): FilterQuery<School> {
  const trimmed = text.trim();
  const dfe = DFE_NUMBER.exec(trimmed);
  if (dfe) return { laCode: Number(dfe[1]), establishmentNumber: Number(dfe[2]) };
  const byName: FilterQuery<School> = { name: { $ilike: containsPattern(trimmed) } };
  if (!NUMBER.test(trimmed)) return byName;
  const n = Number(trimmed);
  const byNumber: FilterQuery<School>[] = [{ urn: n }];
  if (n <= 9999) byNumber.push({ establishmentNumber: n });
  return { $or: [byName, ...byNumber] };
}

export function schoolWhere(filter: SchoolFilter | null | undefined): FilterQuery<School> {
  if (!filter) return {};
  const all: FilterQuery<School>[] = [];
  if (filter.search?.trim()) all.push(searchConditions(filter.search));
  if (filter.phase?.length) all.push({ phase: { $in: filter.phase } });
  if (filter.type?.length) all.push({ type: { $in: filter.type } });
  if (filter.laCode?.length) all.push({ laCode: { $in: filter.laCode } });
  if (filter.district?.trim()) all.push({ district: { $ilike: escapeLike(filter.district) } });
  if (filter.riskCategory?.length) all.push({ currentRiskCategory: { $in: filter.riskCategory } });
  if (filter.status?.length) all.push({ status: { $in: filter.status } });
  return all.length ? { $and: all } : {};
}
