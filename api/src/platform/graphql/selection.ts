import {
  getNamedType,
  isObjectType,
  Kind,
  type FieldNode,
  type GraphQLOutputType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import type { ReadDb } from '../db/orm.js';

/**
 * The names of the fields asked for directly under the current field (through
 * fragments and inline fragments too), e.g. to load in one go what the field
 * resolvers below will read. Directives (@skip, @include) are not evaluated: a
 * field they may drop counts as asked for, which only loads a little more.
 */
export function selectedFieldNames(info: GraphQLResolveInfo): Set<string> {
  const names = new Set<string>();
  const seenFragments = new Set<string>();
  const visit = (set: SelectionSetNode | undefined) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) names.add(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet);
      else if (selection.kind === Kind.FRAGMENT_SPREAD && !seenFragments.has(selection.name.value)) {
        seenFragments.add(selection.name.value);
        visit(info.fragments[selection.name.value]?.selectionSet);
      }
    }
  };
  for (const node of info.fieldNodes) visit(node.selectionSet);
  return names;
}

const fieldResolverNames = new WeakMap<GraphQLSchema, Set<string>>();

/**
 * Field resolvers (declared with @FieldResolver, not plain fields or getters) by
 * object type, "Type.field"; read from type-graphql's metadata once per built
 * schema (when the metadata is complete).
 */
export function declaredFieldResolvers(schema: GraphQLSchema): ReadonlySet<string> {
  let names = fieldResolverNames.get(schema);
  if (!names) {
    const storage = getMetadataStorage();
    names = new Set();
    for (const resolver of storage.fieldResolvers) {
      if (resolver.kind !== 'external') continue;
      const target = resolver.getObjectType?.();
      const typeName = storage.objectTypes.find((t) => t.target === target)?.name;
      if (typeName) names.add(`${typeName}.${resolver.schemaName}`);
    }
    fieldResolverNames.set(schema, names);
  }
  return names;
}

/** What a request asks of read views: see selectionWithin. */
export interface ViewSelection {
  /** The field resolvers reached, as "Type.field". */
  reached: ReadonlySet<string>;
  /** By GraphQL type: the fields asked for, and the fields the reached resolvers read. */
  fields: ReadonlyMap<string, ReadonlySet<string>>;
}

/**
 * What a request asks below the current field, when every field resolver it
 * reaches is in `allowed` ("Type.field" → the fields of Type that resolver reads);
 * otherwise null. How a query knows its read views (read-views.ts) serve the whole
 * request, which relations to preload and which columns to read. Plain fields
 * (properties and getters) are always served; unions and interfaces never are.
 * Directives (@skip, @include) are not evaluated: a field they may drop counts as
 * asked for, which only reads a little more.
 */
export function selectionWithin(info: GraphQLResolveInfo, allowed: ReadonlyMap<string, readonly string[]>): Readonly<ViewSelection> | null {
  // Apollo hands every request of the same query the same parsed document: the answer for a field
  // of it is worked out once (it does not depend on variables), not on every request.
  const node = info.fieldNodes.length === 1 ? info.fieldNodes[0]! : null;
  let answers = node ? selections.get(node) : undefined;
  if (answers?.has(allowed)) return answers.get(allowed)!;
  const answer = walkSelection(info, allowed);
  if (node) {
    if (!answers) selections.set(node, (answers = new Map()));
    answers.set(allowed, answer);
  }
  return answer;
}

const selections = new WeakMap<FieldNode, Map<ReadonlyMap<string, readonly string[]>, ViewSelection | null>>();

function walkSelection(info: GraphQLResolveInfo, allowed: ReadonlyMap<string, readonly string[]>): ViewSelection | null {
  const resolvers = declaredFieldResolvers(info.schema);
  const reached = new Set<string>();
  const fields = new Map<string, Set<string>>();
  const seenFragments = new Set<string>();
  const within = (type: GraphQLOutputType, set: SelectionSetNode | undefined): boolean => {
    const named = getNamedType(type);
    if (!set) return true;
    if (!isObjectType(named)) return false;
    const known = named.getFields();
    let asked = fields.get(named.name);
    if (!asked) fields.set(named.name, (asked = new Set()));
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name === '__typename') continue;
        const field = known[name];
        if (!field) return false;
        const key = `${named.name}.${name}`;
        if (resolvers.has(key)) {
          const reads = allowed.get(key);
          if (!reads) return false;
          reached.add(key);
          for (const f of reads) asked.add(f);
        } else {
          asked.add(name);
        }
        if (!within(field.type, selection.selectionSet)) return false;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (!within(named, selection.selectionSet)) return false;
      } else if (!seenFragments.has(selection.name.value)) {
        seenFragments.add(selection.name.value);
        if (!within(named, info.fragments[selection.name.value]?.selectionSet)) return false;
      }
    }
    return true;
  };
  return info.fieldNodes.every((node) => within(info.returnType, node.selectionSet)) ? { reached, fields } : null;
}

/**
 * `make` remembered per selection: what a read view derives from what a request
 * asks (its SQL, its columns) is made once for each query, since selectionWithin
 * hands every request of the same query the same selection. (The entity manager
 * only lends the ORM's metadata, the same for every request.)
 */
export function perSelection<T>(make: (selection: ViewSelection, em: ReadDb) => T): (selection: ViewSelection, em: ReadDb) => T {
  const made = new WeakMap<ViewSelection, T>();
  return (selection, em) => {
    let value = made.get(selection);
    if (value === undefined) made.set(selection, (value = make(selection, em)));
    return value;
  };
}
