import type { ApiClient } from '../shared/api/api-client.js';
import type { VisitFilter, VisitPageQuery as VisitPageResult } from '../shared/graphql/generated/graphql.js';
import { VisitPageQuery } from './team-views.documents.js';

export type VisitRow = VisitPageResult['visits']['nodes'][number];

/** A school's visits and a partner's term are a few dozen: every page of them, up to a bound that no real list reaches. */
export async function allVisits(api: ApiClient, filter: VisitFilter, maxPages = 10): Promise<VisitRow[]> {
  const visits: VisitRow[] = [];
  let after: string | null = null;
  for (let page = 0; page < maxPages; page++) {
    const result: VisitPageResult = await api.request(VisitPageQuery, { filter, after });
    visits.push(...result.visits.nodes);
    if (!result.visits.pageInfo.hasNextPage) break;
    after = result.visits.pageInfo.endCursor ?? null;
  }
  return visits;
}
