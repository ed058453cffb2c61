import { Cursor, raw, type FilterQuery } from '@mikro-orm/core';
import type { VisitFilter } from './visit-filter.input.js';
import type { Visit } from './visit.entity.js';

/**
 * The filter (and the cursor of `after`) as SQL conditions on a visit aliased `x`:
 * every VisitFilter field, so any visit list can be read in SQL (visit-list-views.ts).
 * `after` must have been checked (paginate's checkCursor or the caller's).
 */
export function visitConditions(filter: VisitFilter | null, after?: string | null): { conditions: string[]; params: unknown[] } {
  const conditions: string[] = [];
  const params: unknown[] = [];
  if (filter?.schoolId) {
    conditions.push('x.school_id = ?');
    params.push(filter.schoolId);
  }
  if (filter?.partnerId) {
    conditions.push('x.lead_partner_id = ?');
    params.push(filter.partnerId);
  }
  if (filter?.type?.length) {
    conditions.push(`x.type in (${filter.type.map(() => '?').join(', ')})`);
    params.push(...filter.type);
  }
  if (filter?.status?.length) {
    conditions.push(`x.status in (${filter.status.map(() => '?').join(', ')})`);
    params.push(...filter.status);
  }
  if (filter?.from) {
    conditions.push('x.starts_at >= ?');
    params.push(filter.from);
  }
  if (filter?.to) {
    conditions.push('x.starts_at < ?');
    params.push(filter.to);
  }
  if (after) {
    // paginate has checked the cursor: [startsAt, id] of the last row of the previous page.
    const [startsAt, id] = Cursor.decode(after) as [string, string];
    conditions.push('(x.starts_at, x.id) < (?::timestamptz, ?::uuid)');
    params.push(new Date(startsAt), id);
  }
  return { conditions, params };
}

/** The filter fields visitPageCandidates repeats in SQL; any other set field turns it off. */
const TRANSLATED = new Set(['schoolId', 'partnerId', 'type', 'status', 'from', 'to']);

/**
 * A page of visits, latest first, of a set of schools (a partner's), found the fast
 * way: the latest `first + 1` of each school, read from the index (school_id,
 * starts_at, id) alone, merged, and the top `first + 1` of those kept. PostgreSQL 15
 * cannot merge per-school index order for an IN list, so the plain query walks all
 * visits backwards by date (about 28,000 rows for a partner of 49 schools on the
 * national data set) or all of the schools' visits.
 *
 * Returns a condition on the visit id that narrows the page query to those
 * candidates, or null when it does not apply. It must not change the page: it
 * repeats every condition the page query has (the schools, the filter, the cursor
 * of `after`), so the candidates hold the page; the page query still applies them
 * all. The total count must not include it (paginate's `narrowPage`).
 */
export function visitPageCandidates(
  schoolIds: Set<string>,
  filter: VisitFilter | null,
  { first, after }: { first: number; after?: string | null },
): FilterQuery<Visit> | null {
  if (schoolIds.size < 2) return null;
  if (filter?.schoolId) return null; // one school: its index is already in order
  if (filter && Object.entries(filter).some(([key, value]) => value != null && !TRANSLATED.has(key))) return null;
  const { conditions, params } = visitConditions(filter, after);
  const limit = first + 1;
  const schools = [...schoolIds];
  const sql =
    `(select t.id from (values ${schools.map(() => '(?::uuid)').join(', ')}) s (school_id) cross join lateral (` +
    `select x.id, x.starts_at from visit x where x.school_id = s.school_id${conditions.map((c) => ` and ${c}`).join('')} ` +
    `order by x.starts_at desc, x.id desc limit ${limit}) t order by t.starts_at desc, t.id desc limit ${limit})`;
  return { id: { $in: raw(sql, [...schools, ...params]) } } as FilterQuery<Visit>;
}
