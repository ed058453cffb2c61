import type { ApiClient } from '../shared/api/api-client.js';
import type { SchoolVisitsQuery as SchoolVisitsResult, VisitFilter, VisitPageQuery as VisitPageResult } from '../shared/graphql/generated/graphql.js';
import { SchoolVisitsQuery, VisitPageQuery } from './team-views.documents.js';

export type VisitRow = VisitPageResult['visits']['nodes'][number];
export type SchoolVisitRow = SchoolVisitsResult['visits']['nodes'][number];

type Page<T> = { visits: { nodes: T[]; pageInfo: { hasNextPage: boolean; endCursor?: string | null } } };

/** A school's visits and a partner's term are a few dozen: every page of them, up to a bound that no real list reaches. */
async function allPages<T>(load: (after: string | null) => Promise<Page<T>>, maxPages = 10): Promise<T[]> {
  const rows: T[] = [];
  let after: string | null = null;
  for (let page = 0; page < maxPages; page++) {
    const result: Page<T> = await load(after);
    rows.push(...result.visits.nodes);
    if (!result.visits.pageInfo.hasNextPage) break;
    after = result.visits.pageInfo.endCursor ?? null;
  }
  return rows;
}

export const allVisits = (api: ApiClient, filter: VisitFilter) => allPages<VisitRow>((after) => api.request(VisitPageQuery, { filter, after }));

export const allSchoolVisits = (api: ApiClient, schoolId: string) =>
  allPages<SchoolVisitRow>((after) => api.request(SchoolVisitsQuery, { filter: { schoolId }, after }));
