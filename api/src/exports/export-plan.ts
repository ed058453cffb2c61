import type { GraphQLSchema } from 'graphql';
import type { AccessPolicy } from '../platform/auth/access-policy.js';
import type { Em } from '../platform/db/orm.js';
import type { ExportColumn, ExportSource, Sql } from './export-table.js';

/** What an export needs to plan one request: the request's principal, a database, and the schema its parameters and values follow. */
export interface ExportContext {
  em: Em;
  access: AccessPolicy;
  schema: GraphQLSchema;
}

/** One request's export: every column it could have (columnsFor narrows them for a service) and where its rows come from. */
export interface ExportPlan {
  columns: ExportColumn[];
  source: ExportSource;
}

/** An export by name: its URL is /exports/<name>.csv or .ndjson. */
export interface BulkExport {
  name: string;
  /** The GraphQL fields a service reads these records through (Query.visits, Visit.note…): refused an export whose way in the allow-list closes. */
  through: string[];
  plan(context: ExportContext, query: Record<string, unknown>): Promise<ExportPlan>;
}

/** `column in (ids)` as SQL; an empty set matches nothing. */
export function idIn(column: string, ids: ReadonlySet<string>): Sql {
  if (!ids.size) return { sql: 'false', params: [] };
  return { sql: `${column} in (${[...ids].map(() => '?').join(', ')})`, params: [...ids] };
}

/** The `changedSince` parameter of every export: the record changed strictly after the instant. */
export const CHANGED_SINCE = 'changedSince';

export function changedSince(column: string, since: Date | null): Sql[] {
  return since ? [{ sql: `${column} > ?`, params: [since] }] : [];
}
