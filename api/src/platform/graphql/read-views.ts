import { DecimalType, ReferenceKind, type EntityClass, type EntityMetadata, type EntityProperty } from '@mikro-orm/core';
import type { ReadDb } from '../db/orm.js';

/**
 * Read views: the fast path of the hottest reads (a partner's visit list, a note of
 * visit in full, the overdue report; issue 10).
 *
 * Building managed entities is most of what those requests cost: the ORM's query
 * building, its identity map, per-instance helpers and change-tracking snapshots,
 * for objects that are only read and serialised. A view is a plain object with the
 * entity's plain fields, made from a row PostgreSQL sends as JSON (`rowJson`: only
 * the columns a request asked for), converted as the ORM would (timestamps to Date,
 * decimals to numbers), with the entity class's getters (e.g. School.dfeNumber). It
 * is not an instance of the entity: the ORM's accessors on an entity's prototype
 * would turn every assignment into change tracking. Its relations are what the query
 * preloaded into it, and the field resolvers of those relations serve them from
 * there (`fromView`).
 *
 * A view is never flushed or changed. A query takes the fast path only when every
 * field resolver the request reaches is one its views preload (`selectionWithin` in
 * selection.ts); any other request goes through the ORM as before. Their one
 * statement runs through db/read-statement.ts (prepared, on PostgreSQL).
 */

const PRELOADED = Symbol('preloaded relations of a read view');

type Row = Record<string, unknown>;

interface ColumnPlan {
  property: string;
  column: string;
  convert: (value: unknown) => unknown;
}

interface EmbeddedPlan {
  property: string;
  prototype: object;
  columns: ColumnPlan[];
  nullable: boolean;
}

interface ViewPlan {
  prototype: object;
  columns: ColumnPlan[];
  embedded: EmbeddedPlan[];
}

const asIs = (value: unknown) => value;
/**
 * A timestamp as PostgreSQL writes it in JSON. Years 10000 on ("10000-01-01T…") and BC ("0211-01-01T… BC")
 * are rewritten in ISO 8601's expanded form, which Date reads: an old row with such a date must not
 * break the list it is in (the visit's warnings say it needs correcting).
 */
function pgTimestamp(text: string): Date {
  if (text.charCodeAt(4) === 45 /* - */ && !text.endsWith(' BC')) return new Date(text);
  const bc = text.endsWith(' BC');
  const match = /^(\d{4,})(-.*)$/.exec(bc ? text.slice(0, -3) : text);
  if (!match) return new Date(text);
  const year = bc ? 1 - Number(match[1]) : Number(match[1]);
  return new Date(`${year < 0 ? '-' : '+'}${String(Math.abs(year)).padStart(6, '0')}${match[2]}`);
}
const toDate = (value: unknown) => (value == null ? null : value instanceof Date ? value : pgTimestamp(value as string));
const toNumber = (value: unknown) => (value == null ? null : Number(value));

function converterOf(prop: EntityProperty): (value: unknown) => unknown {
  if (prop.runtimeType === 'Date') return toDate;
  // numeric columns come as text, as the ORM's DecimalType('number') would not leave them
  if (prop.customType instanceof DecimalType && prop.runtimeType === 'number') return toNumber;
  return asIs;
}

function columnOf(prop: EntityProperty): ColumnPlan {
  return { property: prop.embedded ? prop.embedded[1] : prop.name, column: prop.fieldNames[0]!, convert: converterOf(prop) };
}

/** The getters a class declares (up its chain, short of Object), for views to share. */
function gettersOf(cls: { prototype: object }, skip: (name: string) => boolean): PropertyDescriptorMap {
  const getters: PropertyDescriptorMap = {};
  for (let proto = cls.prototype; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const [name, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(proto))) {
      if (descriptor.get && !name.startsWith('__') && !skip(name) && !(name in getters)) getters[name] = { get: descriptor.get, enumerable: false };
    }
  }
  return getters;
}

function planFor(meta: EntityMetadata): ViewPlan {
  const columns: ColumnPlan[] = [];
  const embedded: EmbeddedPlan[] = [];
  for (const prop of meta.props) {
    if (prop.kind === ReferenceKind.SCALAR && !prop.embedded && prop.persist !== false && prop.fieldNames?.length === 1) {
      columns.push(columnOf(prop));
    } else if (prop.kind === ReferenceKind.EMBEDDED && !prop.object && !prop.array) {
      const children = meta.props.filter((p) => p.embedded?.[0] === prop.name && p.kind === ReferenceKind.SCALAR && p.fieldNames?.length === 1);
      embedded.push({
        property: prop.name,
        // An instance of the embeddable class (the ORM sets no accessors on embeddables): its getter
        // fields (Address.oneLine) are served as they are, not rebuilt by type-graphql.
        prototype: (prop.embeddable as unknown as { prototype: object }).prototype,
        columns: children.map(columnOf),
        nullable: !!prop.nullable,
      });
    }
  }
  // Getters of the entity class only: the ORM's own accessors (relations, internals) are properties.
  const prototype = Object.create(
    Object.prototype,
    gettersOf(meta.class as unknown as { prototype: object }, (name) => name in meta.properties),
  );
  return { prototype, columns, embedded };
}

/** Each entity's plan; every ORM in a process shares the entity classes and their mapping. */
const plans = new WeakMap<EntityClass<object>, ViewPlan>();

/** Sets the properties whose columns the row has (a query reads only what a request asks); whether any is not null. */
function fill(target: Row, columns: ColumnPlan[], row: Row): boolean {
  let any = false;
  for (const c of columns) {
    const raw = row[c.column];
    if (raw === undefined) continue;
    const value = c.convert(raw);
    if (value !== null) any = true;
    target[c.property] = value;
  }
  return any;
}

function planOf(em: ReadDb, entity: EntityClass<object>): ViewPlan {
  // By class first: the metadata lookup was most of the cost of a small view (a judgement).
  let plan = plans.get(entity);
  if (!plan) plans.set(entity, (plan = planFor(em.getMetadata().get(entity) as EntityMetadata)));
  return plan;
}

/**
 * SQL for one row of `entity` (table alias `alias`) as JSON with only the columns
 * of `fields` (property names; others, such as field resolvers' names, are
 * ignored) and of `always`: what a read view needs for the fields a request asked.
 */
export function rowJson(
  em: ReadDb,
  entity: EntityClass<object>,
  alias: string,
  fields: ReadonlySet<string> | undefined,
  always: readonly string[] = ['id'],
): string {
  const plan = planOf(em, entity);
  const wanted = new Set([...always, ...(fields ?? [])]);
  const columns = [...plan.columns.filter((c) => wanted.has(c.property)), ...plan.embedded.filter((e) => wanted.has(e.property)).flatMap((e) => e.columns)].map(
    (c) => c.column,
  );
  return jsonObjectSql([...new Set(columns)].map((c) => [c, `${alias}."${c}"`]));
}

/**
 * SQL for a JSON object of [key, SQL expression] pairs. PostgreSQL takes at most 100
 * arguments a function, so past 50 pairs the object is merged from parts.
 */
export function jsonObjectSql(pairs: [key: string, expression: string][], maxPairs = 50): string {
  const args = pairs.map(([key, expression]) => `'${key}', ${expression}`);
  if (args.length <= maxPairs) return `json_build_object(${args.join(', ')})`;
  const parts: string[] = [];
  for (let i = 0; i < args.length; i += maxPairs) parts.push(`jsonb_build_object(${args.slice(i, i + maxPairs).join(', ')})`);
  return `(${parts.join(' || ')})::json`;
}

/**
 * A view of `entity` from one row of its table (column names as keys, as `rowJson`
 * or `to_json` give them), with `relations` preloaded for the field resolvers.
 */
export function viewOf<T extends object>(em: ReadDb, entity: EntityClass<T>, row: Row, relations: Row = {}): T {
  const plan = planOf(em, entity as EntityClass<object>);
  const view = Object.create(plan.prototype) as Row;
  fill(view, plan.columns, row);
  for (const e of plan.embedded) {
    if (row[e.columns[0]!.column] === undefined) continue;
    const value = Object.create(e.prototype) as Row;
    // as the ORM hydrates a nullable embeddable: null when none of its columns has a value
    view[e.property] = fill(value, e.columns, row) || !e.nullable ? value : null;
  }
  (view as { [PRELOADED]?: Row })[PRELOADED] = relations;
  return view as T;
}

/** Whether `root` is a read view (rather than a managed entity). */
export function isView(root: object): boolean {
  return PRELOADED in root;
}

/**
 * A relation for a field resolver: preloaded, when `root` is a view; otherwise
 * `otherwise()` (the ORM's way, for entities).
 */
export function fromView<T>(root: object, relation: string, otherwise: () => T): T {
  const preloaded = (root as { [PRELOADED]?: Row })[PRELOADED];
  if (!preloaded) return otherwise();
  if (!(relation in preloaded)) {
    // selectionWithin keeps such requests off the fast path; reaching here is a bug in a view's query
    throw new Error(`read view: "${relation}" was not preloaded`);
  }
  return preloaded[relation] as T;
}

/**
 * The type of a field resolver's root that may be a read view. type-graphql rebuilds
 * a root typed as a class (`@Root() visit: Visit`) into a new instance when it is
 * not one, i.e. builds an ORM entity per view per field; a mapped type is recorded
 * as Object, which it passes on as it is.
 */
export type ViewRoot<T> = Readonly<T>;
