import { Cursor, type FilterQuery, raw } from '@mikro-orm/core';
import type { GraphQLResolveInfo } from 'graphql';
import type { AccessPolicy } from '../platform/auth/access-policy.js';
import type { GraphQLContext } from '../platform/graphql/context.js';
import type { ReadDb } from '../platform/db/orm.js';
import { readStatement } from '../platform/db/read-statement.js';
import { badInput, notFound } from '../platform/errors.js';
import { checkId } from '../platform/graphql/lookup.js';
import { rowJson, viewOf } from '../platform/graphql/read-views.js';
import { perSelection, selectionWithin, type ViewSelection } from '../platform/graphql/selection.js';
import { changeConditions, changeConnection, changeInstantSql, decodeChangeCursor, paginateByChange } from '../platform/pagination/change-order.js';
import { checkCursor, paginate, type Connection, type PageArgs } from '../platform/pagination/connection.js';
import { School } from '../schools/school.entity.js';
import { AgendaItem } from './agenda-item.entity.js';
import type { VisitFilter } from './visit-filter.input.js';
import { assertCanListSchoolVisits, visitScope } from './visit.access.js';
import { Visit } from './visit.entity.js';

/**
 * The visits module's queries: a visit list's conditions (the ORM's filter and the same in SQL),
 * the per-school page finder, and the list's read view. Both paths of a list start here.
 */

/**
 * A page of visits, latest first (in order of change with `changedSince`), for `visits(filter)`:
 * the read view when every field the request reaches is one it serves (VISIT_LIST_VIEW_FIELDS),
 * else the ORM's entities; both apply the same filter and the principal's scope
 * (api/test/read-views.test.ts and changed-since.test.ts compare them).
 */
export async function visitList(
  context: Pick<GraphQLContext, 'db' | 'access' | 'em'>,
  filter: VisitFilter | null,
  page: PageArgs,
  info: GraphQLResolveInfo,
  changedSince: Date | null = null,
): Promise<Connection<Visit>> {
  const { db, access } = context;
  await checkVisitFilter(db, filter);
  if (filter?.schoolId) await assertCanListSchoolVisits(access, checkId(filter.schoolId));
  const reached = selectionWithin(info, VISIT_LIST_VIEW_FIELDS);
  // The read view needs no entity manager of the request's own: none is forked for it.
  if (reached) return changedSince ? changedVisitViews(db, access, filter, changedSince, page, reached) : visitListViews(db, access, filter, page, reached);
  const em = context.em;
  const where = visitWhere(filter);
  const scope = visitScope(access);
  if (changedSince) return paginateByChange(em, Visit, { $and: [where, scope] }, changedSince, page);
  const schoolIds = await access.visitSchoolIds();
  const narrow = schoolIds ? visitPageCandidates(schoolIds, filter, page, access.visitScopeSql('x')?.condition) : null;
  return paginate(em, Visit, { $and: [where, scope] }, { startsAt: 'desc', id: 'desc' }, page, narrow);
}

/**
 * A filter's own mistakes, for both paths: `from` after `to`, and a school or partner that
 * does not exist (NOT_FOUND, not an empty list), checked by a read statement (no entities).
 */
/**
 * The filter's own mistakes, as visits(filter) and the visits export find them: from after to, a school
 * or partner that does not exist. Ids are checked and written back in the form the conditions compare.
 * `place` is where the filter sits in the request (`filter.` in GraphQL; nothing for the export's parameters).
 */
export async function checkVisitFilter(db: ReadDb, filter: VisitFilter | null, place = 'filter.'): Promise<void> {
  if (filter?.from && filter.to && filter.from > filter.to) {
    throw badInput(`${place}from must not be after ${place}to.`, `${place}from`);
  }
  for (const [field, table, typeName] of [
    ['schoolId', 'school', 'School'],
    ['partnerId', 'partner', 'Partner'],
  ] as const) {
    const id = filter?.[field];
    if (!id) continue;
    filter[field] = checkId(id, `${place}${field}`);
    const found = await readStatement(db, `select id from ${table} where id = ?`, [filter[field]]);
    if (!found.length) throw notFound(typeName, id);
  }
}

/** The filter as the ORM's conditions (the same as visitConditions' SQL below; read-views.test.ts compares the two paths). */
export function visitWhere(filter: VisitFilter | null): FilterQuery<Visit> {
  if (!filter) return {};
  const all: FilterQuery<Visit>[] = [];
  if (filter.schoolId) all.push({ school: filter.schoolId.toLowerCase() });
  if (filter.partnerId) all.push({ leadPartner: filter.partnerId.toLowerCase() });
  if (filter.laCode?.length) all.push({ school: { laCode: { $in: filter.laCode } } });
  if (filter.type?.length) all.push({ type: { $in: filter.type } });
  if (filter.status?.length) all.push({ status: { $in: filter.status } });
  if (filter.from) all.push({ startsAt: { $gte: filter.from } });
  if (filter.to) all.push({ startsAt: { $lt: filter.to } });
  return all.length ? { $and: all } : {};
}

/**
 * The filter (and the cursor of `after`) as SQL conditions on a visit aliased `x`:
 * every VisitFilter field, so any visit list can be read in SQL (visit.queries.ts).
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
  if (filter?.laCode?.length) {
    conditions.push(`x.school_id in (select ls.id from school ls where ls.la_code in (${filter.laCode.map(() => '?').join(', ')}))`);
    params.push(...filter.laCode);
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
const TRANSLATED = new Set(['schoolId', 'partnerId', 'laCode', 'type', 'status', 'from', 'to']);

/**
 * A page of visits, latest first, of a set of schools (a partner's), found the fast
 * way: the latest `first + 1` of each school, read from the index (school_id,
 * starts_at, id) alone, merged, and the top `first + 1` of those kept. PostgreSQL 15
 * cannot merge per-school index order for an IN list, so the plain query walks all
 * visits backwards by date (tens of thousands of rows for a partner of many schools
 * at national scale) or all of the schools' visits.
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
  /** The principal's condition on each visit (AccessPolicy.visitScopeSql, alias x): the page query applies it, so the candidates must. */
  access?: { sql: string; params: unknown[] },
): FilterQuery<Visit> | null {
  if (schoolIds.size < 2) return null;
  if (filter?.schoolId) return null; // one school: its index is already in order
  if (filter && Object.entries(filter).some(([key, value]) => value != null && !TRANSLATED.has(key))) return null;
  const filtered = visitConditions(filter, after);
  const conditions = access ? [access.sql, ...filtered.conditions] : filtered.conditions;
  const params = access ? [...access.params, ...filtered.params] : filtered.params;
  const limit = first + 1;
  const schools = [...schoolIds];
  const sql =
    `(select t.id from (values ${schools.map(() => '(?::uuid)').join(', ')}) s (school_id) cross join lateral (` +
    `select x.id, x.starts_at from visit x where x.school_id = s.school_id${conditions.map((c) => ` and ${c}`).join('')} ` +
    `order by x.starts_at desc, x.id desc limit ${limit}) t order by t.starts_at desc, t.id desc limit ${limit})`;
  return { id: { $in: raw(sql, [...schools, ...params]) } } as FilterQuery<Visit>;
}

/**
 * The field resolvers a visit list's read views serve, with the fields of their
 * own type each reads; a request reaching any other goes through the ORM.
 */
const viewFields = new Map<string, readonly string[]>([
  ['Visit.school', []],
  ['School.dfeNumber', ['laCode', 'establishmentNumber']],
  ['Visit.agenda', []],
  ['Visit.expectsNote', ['type']],
]);
export const VISIT_LIST_VIEW_FIELDS: ReadonlyMap<string, readonly string[]> = viewFields;

/**
 * A relation of a visit that a module above visits serves in the list's one statement
 * (the visit's note: notes/visit-note.resolver.ts), with the fields it serves.
 */
export interface VisitListRelation {
  /** The field resolver that reaches it, e.g. 'Visit.note'. */
  field: string;
  /** Where it goes on the visit's view, read back by that resolver through `fromView`. */
  property: string;
  /** The relation as JSON: a SQL expression over the visit's row (alias v), with only the columns asked for. */
  sql(em: ReadDb, fields: ViewSelection['fields']): string;
  /** The view made from that JSON. */
  view(em: ReadDb, json: Record<string, unknown> | null): unknown;
  /** Field resolvers of the relation's own type served from the view, with the fields each reads. */
  servedFields: ReadonlyArray<[string, readonly string[]]>;
}

const relations: VisitListRelation[] = [];

/** Adds a higher module's relation to the list's statement; called once, when that module loads. */
export function serveInVisitList(relation: VisitListRelation): void {
  relations.push(relation);
  viewFields.set(relation.field, []);
  for (const [field, reads] of relation.servedFields) viewFields.set(field, reads);
}

const ORDER = { startsAt: 'desc', id: 'desc' } as const;

/** The columns and joins a selection needs: made once per query. */
const selectList = perSelection(({ reached, fields }, em): string => {
  let sql = `, ${rowJson(em, Visit, 'v', fields.get('Visit'), ['id', 'startsAt'])} as visit`;
  if (reached.has('Visit.school')) sql += `, (select ${rowJson(em, School, 's', fields.get('School'))} from school s where s.id = v.school_id) as school`;
  for (const relation of relations) if (reached.has(relation.field)) sql += `, ${relation.sql(em, fields)} as ${relation.property}`;
  if (reached.has('Visit.agenda')) {
    sql += `, (select coalesce(json_agg(${rowJson(em, AgendaItem, 'a', fields.get('AgendaItem'))} order by a.position), '[]') from agenda_item a where a.visit_id = v.id) as agenda`;
  }
  // (select 1) keeps one row, with the total, when the page is empty
  return `${sql} from (select 1) one left join (ids join visit v on v.id = ids.id) on true`;
});

/**
 * A page of visits, latest first, as read views (graphql/read-views.ts), in ONE
 * statement: the principal's visits (AccessPolicy.visitScopeSql), the page,
 * the total, and the schools, notes and agendas the request reached, each with
 * only the columns it asked for (`selection`, from selectionWithin). The page is found as visit.queries.ts explains: the latest
 * few of each visible school from the index alone, merged.
 *
 * Same answer as the ORM's path (VisitResolver.visits via paginate), which serves
 * every other selection; api/test/read-views.test.ts compares the two.
 */
/** A visit's read view from a row of the list's statement, with the relations the request reached. */
function visitViewOf(em: ReadDb, reached: ViewSelection['reached'], r: Record<string, unknown>): Visit {
  const preloaded: Record<string, unknown> = {};
  if (reached.has('Visit.school')) preloaded.school = viewOf(em, School, r.school as Record<string, unknown>);
  for (const relation of relations)
    if (reached.has(relation.field)) preloaded[relation.property] = relation.view(em, r[relation.property] as Record<string, unknown> | null);
  if (reached.has('Visit.agenda')) preloaded.agenda = (r.agenda as Record<string, unknown>[]).map((a) => viewOf(em, AgendaItem, a));
  return viewOf(em, Visit, r.visit as Record<string, unknown>, preloaded);
}

export async function visitListViews(
  em: ReadDb,
  access: AccessPolicy,
  filter: VisitFilter | null,
  { first, after }: PageArgs,
  selection: ViewSelection,
): Promise<Connection<Visit>> {
  const { reached } = selection;
  const checkedAfter = after ? checkCursor(em, Visit, after, Object.keys(ORDER)) : null;
  const page = visitConditions(filter, checkedAfter);
  const total = visitConditions(filter, null);
  const scope = access.visitScopeSql('x');
  const limit = first + 1;
  const where = (conditions: string[]) => conditions.map((c) => ` and ${c}`).join('');
  const params: unknown[] = [];
  let sql: string;
  if (scope) {
    sql =
      `with scope as (${scope.schools.sql}), ` +
      `ids as (select t.id, t.starts_at from scope cross join lateral (select x.id, x.starts_at from visit x where x.school_id = scope.school_id and ${scope.condition.sql}${where(page.conditions)} ` +
      `order by x.starts_at desc, x.id desc limit ?) t order by t.starts_at desc, t.id desc limit ?) ` +
      `select (select count(*)::int from scope join visit x on x.school_id = scope.school_id where ${scope.condition.sql}${where(total.conditions)}) as total`;
    params.push(...scope.schools.params, ...scope.condition.params, ...page.params, limit, limit, ...scope.condition.params, ...total.params);
  } else {
    sql =
      `with ids as (select x.id, x.starts_at from visit x where true${where(page.conditions)} order by x.starts_at desc, x.id desc limit ?) ` +
      `select (select count(*)::int from visit x where true${where(total.conditions)}) as total`;
    params.push(...page.params, limit, ...total.params);
  }
  sql += `${selectList(selection, em)} order by ids.starts_at desc, ids.id desc`;

  const rows = await readStatement(em, sql, params);
  // on an empty page the one row has the total and a visit of nulls
  const found = rows.filter((r) => (r.visit as { id: string | null }).id !== null);
  const nodes = found.slice(0, first).map((r) => visitViewOf(em, reached, r));
  const meta = em.getMetadata().get(Visit);
  const cursorOf = (node: Visit) => Cursor.for(meta, node as never, ORDER);
  return {
    // each edge's cursor only when asked for (a list of nodes has no use for them)
    get edges() {
      return nodes.map((node) => ({ cursor: cursorOf(node), node }));
    },
    nodes,
    pageInfo: {
      hasNextPage: found.length > first,
      hasPreviousPage: !!checkedAfter,
      startCursor: nodes.length ? cursorOf(nodes[0]!) : null,
      endCursor: nodes.length ? cursorOf(nodes.at(-1)!) : null,
    },
    totalCount: rows[0]!.total as number,
  };
}

/**
 * A page of visits in order of change (`changedSince`, platform/pagination/change-order.ts) as read
 * views, in one statement like visitListViews: the principal's visits changed after the instant,
 * from the index on (updated_at, id), the total, and what the request reached. The ORM's path
 * (paginateByChange) gives the same page; api/test/changed-since.test.ts compares the two.
 */
export async function changedVisitViews(
  em: ReadDb,
  access: AccessPolicy,
  filter: VisitFilter | null,
  changedSince: Date,
  { first, after }: PageArgs,
  selection: ViewSelection,
): Promise<Connection<Visit>> {
  const cursor = after ? decodeChangeCursor(after) : null;
  const filtered = visitConditions(filter, null);
  const page = changeConditions('x', changedSince, cursor);
  const total = changeConditions('x', changedSince, null);
  const scope = access.visitScopeSql('x');
  // never empty: the change conditions hold the instant
  const where = (...parts: { conditions: string[] }[]) => [...(scope ? [scope.condition.sql] : []), ...parts.flatMap((p) => p.conditions)].join(' and ');
  const scopeParams = scope ? scope.condition.params : [];
  const sql =
    `with ids as (select x.id, x.updated_at, ${changeInstantSql('x')} as changed_at from visit x where ${where(filtered, page)} ` +
    `order by x.updated_at, x.id limit ?) ` +
    `select (select count(*)::int from visit x where ${where(filtered, total)}) as total, ids.changed_at as changed_at` +
    `${selectList(selection, em)} order by ids.updated_at, ids.id`;
  const params = [...scopeParams, ...filtered.params, ...page.params, first + 1, ...scopeParams, ...filtered.params, ...total.params];
  const rows = await readStatement(em, sql, params);
  const found = rows
    .filter((r) => (r.visit as { id: string | null }).id !== null)
    .map((r) => ({ node: visitViewOf(em, selection.reached, r), changedAt: r.changed_at as string }));
  return changeConnection(found, first, cursor, rows[0]!.total as number);
}
