import { Cursor, type EntityName, type EntityProperty, type FilterQuery, type OrderDefinition } from '@mikro-orm/core';
import { Max, Min } from 'class-validator';
import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import type { Em } from '../db/orm.js';
import { badInput } from '../errors.js';
import { isUuid } from '../graphql/lookup.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

@ObjectType({ simpleResolvers: true, description: 'Where a page sits in the whole list (Relay cursor connections).' })
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field()
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, { defaultValue: DEFAULT_PAGE_SIZE, description: `How many to return, 1 to ${MAX_PAGE_SIZE}.` })
  @Min(1, { message: 'first must be at least 1' })
  @Max(MAX_PAGE_SIZE, { message: `first must be at most ${MAX_PAGE_SIZE}` })
  first: number = DEFAULT_PAGE_SIZE;

  @Field(() => String, { nullable: true, description: "Return items after this cursor (a previous page's pageInfo.endCursor)." })
  after?: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  nodes: T[];
  pageInfo: PageInfo;
  totalCount: number;
}

/** Declares the `<Name>Connection` and `<Name>Edge` GraphQL types for a node type. */
export function connectionType<T extends object>(nodeType: ClassType<T>, name: string): ClassType<Connection<T>> {
  @ObjectType(`${name}Edge`, { simpleResolvers: true })
  class EdgeType implements Edge<T> {
    @Field()
    cursor!: string;

    @Field(() => nodeType)
    node!: T;
  }

  @ObjectType(`${name}Connection`, { simpleResolvers: true, description: `A page of ${name} records.` })
  class ConnectionType implements Connection<T> {
    @Field(() => [EdgeType])
    edges!: EdgeType[];

    @Field(() => [nodeType], { description: 'The nodes of `edges`, for clients that need no cursors.' })
    nodes!: T[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int, { description: 'How many records match the filter in all.' })
    totalCount!: number;
  }
  return ConnectionType;
}

/** Whether a decoded cursor value can stand for the property it sorts by. */
function fitsProperty(value: unknown, prop: EntityProperty | undefined): boolean {
  if (!prop) return false;
  if (value === null) return !!prop.nullable;
  switch (prop.runtimeType) {
    case 'Date':
      return (typeof value === 'string' || typeof value === 'number') && !Number.isNaN(new Date(value).getTime());
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    default:
      return typeof value === 'string' && value.length <= 1000 && (prop.columnTypes?.[0] !== 'uuid' || isUuid(value));
  }
}

/**
 * A cursor is opaque to clients but decoded by the ORM into query values, so only
 * a well-formed one (our encoding, one plain value of the right type per sort key)
 * is let through.
 */
export function checkCursor<T extends object>(em: Pick<Em, 'getMetadata'>, entity: EntityName<T>, after: string, keys: string[]): string {
  const invalid = () => badInput('The cursor "after" is not valid: pass a pageInfo.endCursor from an earlier page.', 'after');
  let values: unknown;
  try {
    values = Cursor.decode(after);
  } catch {
    throw invalid();
  }
  const meta = em.getMetadata().get(entity);
  if (!Array.isArray(values) || values.length !== keys.length || !values.every((v, i) => fitsProperty(v, meta.properties[keys[i] as never]))) {
    throw invalid();
  }
  return after;
}

/**
 * Keyset pagination: one query for the page and one for the total, whatever the
 * page size. `orderBy` must end in a unique key so the order is total.
 * `narrowPage`, when given, is added to the page query only (not the total): a
 * condition that must hold for every row of the page anyway, there to help the
 * planner (e.g. visits/visit.queries.ts).
 */
export async function paginate<T extends object>(
  em: Em,
  entity: EntityName<T>,
  where: FilterQuery<T>,
  orderBy: OrderDefinition<T> & Record<string, 'asc' | 'desc'>,
  { first, after }: PageArgs,
  narrowPage?: FilterQuery<T> | null,
): Promise<Connection<T>> {
  const checkedAfter = after ? checkCursor(em, entity, after, Object.keys(orderBy)) : undefined;
  const [cursor, total] = await Promise.all([
    em.findByCursor(entity, {
      where: (narrowPage ? { $and: [where, narrowPage] } : where) as FilterQuery<NoInfer<T>>,
      orderBy,
      first,
      after: checkedAfter,
      includeCount: !narrowPage,
    }),
    narrowPage ? em.count(entity, where as FilterQuery<NoInfer<T>>) : null,
  ]);
  const nodes = cursor.items as T[];
  return {
    edges: nodes.map((node) => ({ cursor: cursor.from(node), node })),
    nodes,
    pageInfo: {
      hasNextPage: cursor.hasNextPage,
      hasPreviousPage: cursor.hasPrevPage,
      startCursor: cursor.startCursor,
      endCursor: cursor.endCursor,
    },
    totalCount: total ?? cursor.totalCount!,
  };
}
