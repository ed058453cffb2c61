import DataLoader from 'dataloader';
import type { Em } from '../platform/db/orm.js';
import { Recommendation } from './recommendation.entity.js';

export interface OpenRecommendationsOf {
  /** Every open recommendation of the school's circulated notes. */
  totalCount: number;
  /** The first few of them, soonest due first. */
  nodes: Recommendation[];
}

/**
 * The school's recommendations still open, from its circulated notes (a recommendation's
 * status changes when a later note reviewing it is circulated: note.rules.ts
 * STATUS_AFTER_REVIEW), soonest due first, the first `first` of each school with the
 * total: one statement for a page of schools (counted and cut by window functions), then
 * the entities of the rows kept.
 */
export function createOpenRecommendationsLoader(em: Em): DataLoader<{ schoolId: string; first: number }, OpenRecommendationsOf, string> {
  return new DataLoader(
    async (keys) => {
      const schoolIds = [...new Set(keys.map((k) => k.schoolId))];
      const first = Math.max(...keys.map((k) => k.first));
      const rows = await em.getConnection().execute<{ id: string; school_id: string; total: string | number }[]>(
        `select id, school_id, total from (
           select r.id, v.school_id,
                  count(*) over (partition by v.school_id) as total,
                  row_number() over (partition by v.school_id order by r.due_on, v.starts_at, r.position, r.id) as n
             from recommendation r
             join note_of_visit nv on nv.id = r.note_id
             join visit v on v.id = nv.visit_id
            where v.school_id in (${schoolIds.map(() => '?').join(', ')}) and nv.status = 'circulated' and r.status = 'open'
         ) ranked
         where n <= ?
         order by school_id, n`,
        [...schoolIds, first],
      );
      const entities = rows.length ? await em.find(Recommendation, { id: { $in: rows.map((r) => r.id) } }) : [];
      const byId = new Map(entities.map((e) => [e.id, e]));
      return keys.map(({ schoolId, first: wanted }) => {
        const ofSchool = rows.filter((r) => r.school_id === schoolId);
        return {
          totalCount: Number(ofSchool[0]?.total ?? 0),
          nodes: ofSchool.slice(0, wanted).map((r) => byId.get(r.id)!),
        };
      });
    },
    { cache: false, cacheKeyFn: (k) => `${k.schoolId}|${k.first}` },
  );
}
