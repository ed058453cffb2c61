import { Cursor } from '@mikro-orm/core';
import type { AccessPolicy } from '../platform/auth/access-policy.js';
import type { Em, ReadDb } from '../platform/db/orm.js';
import { readStatement } from '../platform/db/read-statement.js';
import { rowJson, viewOf } from '../platform/graphql/read-views.js';
import { perSelection, type ViewSelection } from '../platform/graphql/selection.js';
import { checkCursor, type Connection, type PageArgs } from '../platform/pagination/connection.js';
import { School } from '../schools/school.entity.js';
import { AgendaItem } from './agenda-item.entity.js';
import type { VisitFilter } from './visit-filter.input.js';
import { visitConditions } from './visit-page.js';
import { Visit } from './visit.entity.js';

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
  return `${sql} from (select 1) one left join (ids join visit v on v.id = ids.id) on true order by ids.starts_at desc, ids.id desc`;
});

/**
 * A page of visits, latest first, as read views (graphql/read-views.ts), in ONE
 * statement: the principal's schools (AccessPolicy.visibleSchoolsSql), the page,
 * the total, and the schools, notes and agendas the request reached, each with
 * only the columns it asked for (`selection`, from selectionWithin). The page is found as visit-page.ts explains: the latest
 * few of each visible school from the index alone, merged.
 *
 * Same answer as the ORM's path (VisitResolver.visits via paginate), which serves
 * every other selection; api/test/read-views.test.ts compares the two.
 */
export async function visitListViews(
  em: Em,
  access: AccessPolicy,
  filter: VisitFilter | null,
  { first, after }: PageArgs,
  selection: ViewSelection,
): Promise<Connection<Visit>> {
  const { reached } = selection;
  const checkedAfter = after ? checkCursor(em, Visit, after, Object.keys(ORDER)) : null;
  const page = visitConditions(filter, checkedAfter);
  const total = visitConditions(filter, null);
  const scope = access.visibleSchoolsSql();
  const limit = first + 1;
  const where = (conditions: string[]) => conditions.map((c) => ` and ${c}`).join('');
  const params: unknown[] = [];
  let sql: string;
  if (scope) {
    sql =
      `with scope as (${scope.sql}), ` +
      `ids as (select t.id, t.starts_at from scope cross join lateral (select x.id, x.starts_at from visit x where x.school_id = scope.school_id${where(page.conditions)} ` +
      `order by x.starts_at desc, x.id desc limit ?) t order by t.starts_at desc, t.id desc limit ?) ` +
      `select (select count(*)::int from scope join visit x on x.school_id = scope.school_id where true${where(total.conditions)}) as total`;
    params.push(...scope.params, ...page.params, limit, limit, ...total.params);
  } else {
    sql =
      `with ids as (select x.id, x.starts_at from visit x where true${where(page.conditions)} order by x.starts_at desc, x.id desc limit ?) ` +
      `select (select count(*)::int from visit x where true${where(total.conditions)}) as total`;
    params.push(...page.params, limit, ...total.params);
  }
  sql += selectList(selection, em);

  const rows = await readStatement(em, sql, params);
  // on an empty page the one row has the total and a visit of nulls
  const found = rows.filter((r) => (r.visit as { id: string | null }).id !== null);
  const nodes = found.slice(0, first).map((r) => {
    const preloaded: Record<string, unknown> = {};
    if (reached.has('Visit.school')) preloaded.school = viewOf(em, School, r.school as Record<string, unknown>);
    for (const relation of relations) if (reached.has(relation.field)) preloaded[relation.property] = relation.view(em, r[relation.property] as Record<string, unknown> | null);
    if (reached.has('Visit.agenda')) preloaded.agenda = (r.agenda as Record<string, unknown>[]).map((a) => viewOf(em, AgendaItem, a));
    return viewOf(em, Visit, r.visit as Record<string, unknown>, preloaded);
  });
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
