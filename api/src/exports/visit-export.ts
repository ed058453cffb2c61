import { canSeeNoteSql } from '../notes/note.access.js';
import type { AccessPolicy } from '../platform/auth/access-policy.js';
import type { ReadDb } from '../platform/db/orm.js';
import { readStatement } from '../platform/db/read-statement.js';
import { badInput, notFound } from '../platform/errors.js';
import { checkId } from '../platform/graphql/lookup.js';
import type { GraphQLSchema } from 'graphql';
import { VisitFilter } from '../visits/visit-filter.input.js';
import { assertCanListSchoolVisits } from '../visits/visit.access.js';
import { visitConditions } from '../visits/visit.queries.js';
import { CHANGED_SINCE, changedSince, type BulkExport } from './export-plan.js';
import { filterFromQuery, instantFromQuery } from './export-params.js';
import type { ExportColumn, Sql } from './export-table.js';
import { DFE_NUMBER_SQL } from './school-export.js';

/**
 * The visits an export reads (visit aliased x): VisitFilter's parameters with the meaning of
 * `visits(filter)` (visits/visit.queries.ts visitConditions, the list's own SQL), and only what
 * the principal may see there (AccessPolicy.visitScopeSql, the list's one definition).
 */
export async function visitsOf(
  db: ReadDb,
  schema: GraphQLSchema,
  access: AccessPolicy,
  query: Record<string, unknown>,
): Promise<{ where: Sql[]; since: Date | null }> {
  const filter = await filterFromQuery(schema, 'VisitFilter', VisitFilter, query, [CHANGED_SINCE]);
  const since = instantFromQuery(schema, query, CHANGED_SINCE);
  // The filter's own mistakes, as visits(filter) finds them (visits/visit.queries.ts checkVisitFilter, private to that
  // file: exported, it would replace these lines): from after to, a school or partner that does not exist.
  if (filter.from && filter.to && filter.from > filter.to) throw badInput('from must not be after to.', 'from');
  for (const [field, table, typeName] of [
    ['schoolId', 'school', 'School'],
    ['partnerId', 'partner', 'Partner'],
  ] as const) {
    const id = filter[field];
    if (!id) continue;
    filter[field] = checkId(id, field);
    if (!(await readStatement(db, `select id from ${table} where id = ?`, [filter[field]])).length) throw notFound(typeName, id);
  }
  if (filter.schoolId) await assertCanListSchoolVisits(access, filter.schoolId);
  const { conditions, params } = visitConditions(filter);
  const where: Sql[] = conditions.length ? [{ sql: conditions.join(' and '), params }] : [];
  const scope = access.visitScopeSql('x');
  if (scope) where.push(scope.condition);
  return { where, since };
}

/** The visit and its school, the first columns of every record that belongs to a visit, so rows join. */
export const VISIT_KEY_COLUMNS: ExportColumn[] = [
  { header: 'Visit id', key: 'visitId', sql: 'x.id', field: 'Visit.id' },
  { header: 'School id', key: 'schoolId', sql: 'x.school_id', field: 'School.id' },
  { header: 'URN', key: 'urn', sql: 's.urn', field: 'School.urn' },
  { header: 'DfE number', key: 'dfeNumber', sql: DFE_NUMBER_SQL('s'), field: 'School.dfeNumber' },
  { header: 'School', key: 'schoolName', sql: 's.name', field: 'School.name' },
];

/** Visits latest first, as `visits(filter)`, with changedSince on the visit. */
export const visitsExport: BulkExport = {
  name: 'visits',
  through: ['Query.visits'],
  async plan({ em, access, schema }, query) {
    const { where, since } = await visitsOf(em, schema, access, query);
    // the note's columns only where the principal may see the note (a service: once circulated)
    const note = `case when ${canSeeNoteSql(access, 'n')} then`;
    return {
      columns: [
        ...VISIT_KEY_COLUMNS,
        { header: 'Type', key: 'type', sql: 'x.type', field: 'Visit.type' },
        { header: 'Status', key: 'status', sql: 'x.status', field: 'Visit.status' },
        { header: 'Starts at', key: 'startsAt', sql: 'x.starts_at', field: 'Visit.startsAt' },
        { header: 'Ends at', key: 'endsAt', sql: 'x.ends_at', field: 'Visit.endsAt' },
        { header: 'Location', key: 'location', sql: 'x.location', field: 'Visit.location' },
        { header: 'Lead partner id', key: 'leadPartnerId', sql: 'x.lead_partner_id', field: 'Partner.id' },
        { header: 'Lead partner', key: 'leadPartnerName', sql: 'p.name', field: 'Partner.name' },
        { header: 'In-school days', key: 'inSchoolDays', sql: 'x.in_school_days::float8', field: 'Visit.inSchoolDays' },
        { header: 'Out-of-school days', key: 'outOfSchoolDays', sql: 'x.out_of_school_days::float8', field: 'Visit.outOfSchoolDays' },
        { header: 'Completed at', key: 'completedAt', sql: 'x.completed_at', field: 'Visit.completedAt' },
        { header: 'Cancelled at', key: 'cancelledAt', sql: 'x.cancelled_at', field: 'Visit.cancelledAt' },
        { header: 'Cancellation reason', key: 'cancellationReason', sql: 'x.cancellation_reason', field: 'Visit.cancellationReason' },
        { header: 'Note id', key: 'noteId', sql: `${note} n.id end`, field: 'NoteOfVisit.id' },
        { header: 'Note status', key: 'noteStatus', sql: `${note} n.status end`, field: 'NoteOfVisit.status' },
        { header: 'Created at', key: 'createdAt', sql: 'x.created_at', field: 'Visit.createdAt' },
        { header: 'Updated at', key: 'updatedAt', sql: 'x.updated_at', field: 'Visit.updatedAt' },
      ],
      source: {
        from: 'visit x join school s on s.id = x.school_id join partner p on p.id = x.lead_partner_id left join note_of_visit n on n.visit_id = x.id',
        where: [...where, ...changedSince('x.updated_at', since)],
        order: [
          { sql: 'x.starts_at', type: 'timestamptz' },
          { sql: 'x.id', type: 'uuid' },
        ],
        direction: 'desc',
      },
    };
  },
};
