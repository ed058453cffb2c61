import { getNamedType, isLeafType, isObjectType, type GraphQLLeafType, type GraphQLSchema } from 'graphql';
import type { Principal } from '../platform/auth/principal.js';
import type { ReadDb } from '../platform/db/orm.js';
import { readStatement } from '../platform/db/read-statement.js';
import type { ServiceFieldPolicy } from '../platform/graphql/service-fields.plugin.js';
import { refusedFields } from '../platform/graphql/service-fields.plugin.js';

/** A piece of SQL with its `?` parameters. */
export interface Sql {
  sql: string;
  params: unknown[];
}

/**
 * One column of an export: part of the contract (docs/api.md lists them), so a column is
 * added, never renamed or reordered.
 */
export interface ExportColumn {
  /** The CSV header, in people's words (as the targets CSV). */
  header: string;
  /** The NDJSON key: the GraphQL field's name where there is one. */
  key: string;
  /** The value, a SQL expression over the export's tables. */
  sql: string;
  params?: unknown[];
  /**
   * The GraphQL field this column is ("School.urn"): a service gets the column only if the
   * allow-list (app/service-fields.ts) lets it read that field, and the value is written as
   * that field's type writes it (enum names, DateTime in London time with its offset).
   */
  field: string;
  /** The GraphQL type to write the value as, when the field's own is not a scalar or enum (School.currentRiskCategory). */
  type?: string;
}

/** Where an export's rows come from and in which order: keyset pagination on `order` (the last one unique). */
export interface ExportSource {
  /** FROM and its joins. */
  from: string;
  /** Conditions that all hold: the filter, changedSince and the principal's access. */
  where: Sql[];
  /** The sort keys with their SQL types, e.g. [{ sql: 'v.starts_at', type: 'timestamptz' }, { sql: 'v.id', type: 'uuid' }]. */
  order: { sql: string; type: string }[];
  direction: 'asc' | 'desc';
}

/** A column as the export reads and writes it: its header, key, SQL, and how its value is written. */
export interface WrittenColumn {
  header: string;
  key: string;
  sql: string;
  params: unknown[];
  write(value: unknown): unknown;
}

/**
 * An instant travels as milliseconds since 1970: the drivers give timestamptz back in different
 * forms (node-postgres a Date, the embedded database a string of its own), a number is the same on both.
 */
const epochMs = (sql: string) => `(extract(epoch from ${sql}) * 1000)::float8`;

/**
 * The columns this principal gets: a person every one (their access is per record, applied in
 * the SQL); a service those whose GraphQL field the allow-list lets it read. A column it may
 * not read is left out, as GraphQL would refuse the field.
 */
export function columnsFor(columns: readonly ExportColumn[], principal: Principal, policy: ServiceFieldPolicy): ExportColumn[] {
  if (principal.kind !== 'service') return [...columns];
  return columns.filter((c) => refusedFields(policy, [c.field], principal.roles).length === 0);
}

/** Each column's writer: the GraphQL type's own serialisation, so a value reads as GraphQL answers it. */
export function writtenColumns(schema: GraphQLSchema, columns: readonly ExportColumn[]): WrittenColumn[] {
  return columns.map((column) => {
    const [typeName, fieldName] = column.field.split('.') as [string, string];
    const owner = schema.getType(typeName);
    const field = isObjectType(owner) ? owner.getFields()[fieldName] : undefined;
    if (!field) throw new Error(`export column ${column.header}: ${column.field} is not a field of the schema`);
    const type = column.type ? schema.getType(column.type) : getNamedType(field.type);
    if (!isLeafType(type)) throw new Error(`export column ${column.header}: give the scalar or enum type its value is written as`);
    const leaf: GraphQLLeafType = type;
    const instant = leaf.name === 'DateTime';
    return {
      header: column.header,
      key: column.key,
      sql: instant ? epochMs(column.sql) : column.sql,
      params: column.params ?? [],
      write: (value) => (value === null || value === undefined ? null : leaf.serialize(instant ? new Date(value as number) : value)),
    };
  });
}

/** How many rows one statement reads: memory holds one batch at a time. */
export const EXPORT_BATCH_SIZE = 1000;

/**
 * The rows of an export, a batch at a time, by keyset pagination: each statement starts after
 * the last row's sort keys, so no batch re-reads what came before and none holds a cursor or a
 * transaction open between batches (the same on the embedded database and PostgreSQL). The keys
 * travel as text and are cast back, so no precision is lost (PostgreSQL's microseconds). Rows
 * come back as arrays of raw values in column order.
 */
export async function* exportBatches(
  db: ReadDb,
  columns: readonly WrittenColumn[],
  source: ExportSource,
  size = EXPORT_BATCH_SIZE,
): AsyncGenerator<unknown[][]> {
  const select = [...columns.map((c, i) => `${c.sql} as c${i}`), ...source.order.map((k, i) => `(${k.sql})::text as k${i}`)].join(', ');
  const selectParams = columns.flatMap((c) => c.params);
  const where = source.where.map((w) => `(${w.sql})`);
  const whereParams = source.where.flatMap((w) => w.params);
  const keys = source.order.map((k) => k.sql).join(', ');
  const [lead] = source.order;
  const op = source.direction === 'asc' ? '>' : '<';
  // the leading key's bound by itself too: an index on that column alone can then start the scan there
  // (the row comparison alone is an index bound only for an index on all the keys)
  const after = `${lead!.sql} ${op}= ?::${lead!.type} and (${keys}) ${op} (${source.order.map((k) => `?::${k.type}`).join(', ')})`;
  const orderBy = source.order.map((k) => `${k.sql} ${source.direction}`).join(', ');
  let last: unknown[] | null = null;
  for (;;) {
    const conditions = last ? [...where, after] : where;
    const sql = `select ${select} from ${source.from}${conditions.length ? ` where ${conditions.join(' and ')}` : ''} order by ${orderBy} limit ?`;
    const rows = await readStatement(db, sql, [...selectParams, ...whereParams, ...(last ? [last[0], ...last] : []), size]);
    if (rows.length) yield rows.map((row) => columns.map((_, i) => row[`c${i}`]));
    if (rows.length < size) return;
    const end = rows.at(-1)!;
    last = source.order.map((_, i) => end[`k${i}`]);
  }
}
