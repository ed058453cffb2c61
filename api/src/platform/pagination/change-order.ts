import { raw, type EntityName, type FilterQuery } from '@mikro-orm/core';
import type { Em } from '../db/orm.js';
import { badInput } from '../errors.js';
import { isUuid } from '../graphql/lookup.js';
import type { Connection, PageArgs } from './connection.js';
import { decodeCursorObject, encodeCursorObject } from './cursor-json.js';

/**
 * Lists in order of change (`changedSince`): a record's change instant is its row's `updated_at`,
 * and a page is the rows changed strictly after `changedSince`, ordered by (updated_at, id)
 * ascending, so a copy kept elsewhere is brought up to date by reading on from its last cursor.
 *
 * The cursor holds the last row's instant to the microsecond, as PostgreSQL keeps it, not as a
 * JavaScript Date (milliseconds): a row stamped by SQL (`now()`) between two milliseconds would
 * otherwise sort after its own cursor and come back on every page. A row changed again after a
 * page was read moves to the end of the order and is read again further on: a walk sees every
 * change, possibly twice, never none. The cursor is cursor-json.ts's, so no other list's passes.
 */

interface ChangeCursor {
  /** The row's updated_at in UTC, to the microsecond: `2026-11-30T17:30:00.123456Z`. */
  changedAt: string;
  id: string;
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** SQL for a row's change instant as the cursor keeps it (alias: the row's table alias). */
export function changeInstantSql(alias: string): string {
  return `to_char(${alias}.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

export function encodeChangeCursor(changedAt: string, id: string): string {
  return encodeCursorObject({ changedAt, id } satisfies ChangeCursor);
}

/** The cursor of `after`, checked: only our own encoding of a change-ordered list's row passes. */
export function decodeChangeCursor(after: string): ChangeCursor {
  const cursor = decodeCursorObject(after) as Partial<ChangeCursor> | null;
  if (
    !cursor ||
    Object.keys(cursor).length !== 2 ||
    typeof cursor.changedAt !== 'string' ||
    !INSTANT.test(cursor.changedAt) ||
    Number.isNaN(new Date(cursor.changedAt).getTime()) ||
    typeof cursor.id !== 'string' ||
    !isUuid(cursor.id)
  ) {
    throw badInput(
      'The cursor "after" is not valid for a list with changedSince: pass a pageInfo.endCursor from an earlier page of the same list with changedSince.',
      'after',
    );
  }
  return { changedAt: cursor.changedAt, id: cursor.id.toLowerCase() };
}

/**
 * The conditions of a change-ordered page on a row aliased `alias`: changed after `changedSince`,
 * and after the cursor when there is one. Served by an index on (updated_at, id).
 */
export function changeConditions(alias: string, changedSince: Date, cursor: ChangeCursor | null): { conditions: string[]; params: unknown[] } {
  const conditions = [`${alias}.updated_at > ?`];
  const params: unknown[] = [changedSince];
  if (cursor) {
    conditions.push(`(${alias}.updated_at, ${alias}.id) > (?::timestamptz, ?::uuid)`);
    params.push(cursor.changedAt, cursor.id);
  }
  return { conditions, params };
}

/** A connection of a page read in change order, given each node's change instant (changeInstantSql). */
export function changeConnection<T extends { id: string }>(
  found: { node: T; changedAt: string }[],
  first: number,
  after: ChangeCursor | null,
  totalCount: number,
): Connection<T> {
  const page = found.slice(0, first);
  const edges = page.map(({ node, changedAt }) => ({ cursor: encodeChangeCursor(changedAt, node.id), node }));
  return {
    edges,
    nodes: page.map((e) => e.node),
    pageInfo: {
      hasNextPage: found.length > first,
      hasPreviousPage: !!after,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount,
  };
}

/**
 * A page of `entity` in change order through the ORM: the page's ids and instants in one
 * statement (the same conditions as `where`), the entities in a second, the total in a third.
 */
export async function paginateByChange<T extends { id: string; updatedAt: Date }>(
  em: Em,
  entity: EntityName<T>,
  where: FilterQuery<T>,
  changedSince: Date,
  { first, after }: PageArgs,
): Promise<Connection<T>> {
  const cursor = after ? decodeChangeCursor(after) : null;
  const changed = { $and: [where, { updatedAt: { $gt: changedSince } }] } as FilterQuery<NoInfer<T>>;
  const { conditions, params } = changeConditions('e', changedSince, cursor);
  const qb = em
    .createQueryBuilder(entity, 'e')
    .select([raw('e.id as id'), raw(`${changeInstantSql('e')} as changed_at`)])
    .where(where as never)
    .andWhere(conditions.join(' and '), params)
    .orderBy({ updatedAt: 'asc', id: 'asc' } as never)
    .limit(first + 1);
  const [rows, totalCount] = await Promise.all([qb.execute<{ id: string; changed_at: string }[]>('all', false), em.count(entity, changed)]);
  const entities = rows.length ? await em.find(entity, { id: { $in: rows.map((r) => r.id) } } as never) : [];
  const byId = new Map(entities.map((e) => [e.id, e]));
  const found = rows.flatMap((r) => {
    const node = byId.get(r.id);
    return node ? [{ node, changedAt: r.changed_at }] : [];
  });
  return changeConnection(found, first, cursor, totalCount);
}

/** The `changedSince` argument's description, the same on every list. */
export const CHANGED_SINCE_DESCRIPTION =
  'Only records changed strictly after this instant, in order of change (oldest change first, then id), with cursors that stay valid ' +
  'while others write; a record changed again later comes again further on. Without it, the list keeps its usual order. ' +
  'See "Following changes" in docs/api.md.';
