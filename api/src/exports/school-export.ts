import { isInputObjectType } from 'graphql';
import type { Em } from '../platform/db/orm.js';
import { badInput } from '../platform/errors.js';
import { SchoolFilter } from '../schools/school-filter.input.js';
import { School } from '../schools/school.entity.js';
import { schoolWhere } from '../schools/school.queries.js';
import { CHANGED_SINCE, changedSince, idIn, type BulkExport } from './export-plan.js';
import { filterFromQuery, instantFromQuery } from './export-params.js';
import type { ExportColumn, Sql } from './export-table.js';

/** The DfE number in SQL, as School.dfeNumber writes it: LA code, a slash, the establishment number in four digits. */
export const DFE_NUMBER_SQL = (alias: string) => `${alias}.la_code || '/' || lpad(${alias}.establishment_number::text, 4, '0')`;

const LA_CODE = 'laCode';

/**
 * The schools' columns: the register's details, as School's GraphQL fields. Contact emails only
 * for services with Contacts.Read.All, the risk category only with RiskCategories.Read.All (the
 * allow-list); a partner's risk category column is filled only for schools allocated to them
 * this year (AccessPolicy.riskCategorySchoolIds, as School.visibleRiskCategory).
 */
function schoolColumns(riskCategory: Sql): ExportColumn[] {
  return [
    { header: 'School id', key: 'id', sql: 's.id', field: 'School.id' },
    { header: 'URN', key: 'urn', sql: 's.urn', field: 'School.urn' },
    { header: 'LA code', key: 'laCode', sql: 's.la_code', field: 'School.laCode' },
    { header: 'Establishment number', key: 'establishmentNumber', sql: 's.establishment_number', field: 'School.establishmentNumber' },
    { header: 'DfE number', key: 'dfeNumber', sql: DFE_NUMBER_SQL('s'), field: 'School.dfeNumber' },
    { header: 'School', key: 'name', sql: 's.name', field: 'School.name' },
    { header: 'Phase', key: 'phase', sql: 's.phase', field: 'School.phase' },
    { header: 'Type', key: 'type', sql: 's.type', field: 'School.type' },
    { header: 'Establishment type', key: 'establishmentTypeName', sql: 's.establishment_type_name', field: 'School.establishmentTypeName' },
    { header: 'Status', key: 'status', sql: 's.status', field: 'School.status' },
    { header: 'District', key: 'district', sql: 's.district', field: 'School.district' },
    { header: 'Address line 1', key: 'addressLine1', sql: 's.address_line1', field: 'Address.line1' },
    { header: 'Address line 2', key: 'addressLine2', sql: 's.address_line2', field: 'Address.line2' },
    { header: 'Town', key: 'town', sql: 's.address_town', field: 'Address.town' },
    { header: 'County', key: 'county', sql: 's.address_county', field: 'Address.county' },
    { header: 'Postcode', key: 'postcode', sql: 's.address_postcode', field: 'Address.postcode' },
    { header: 'Headteacher', key: 'headteacherName', sql: 's.headteacher_name', field: 'Contact.name' },
    { header: 'Headteacher email', key: 'headteacherEmail', sql: 's.headteacher_email', field: 'Contact.email' },
    { header: 'Chair of governors', key: 'chairOfGovernorsName', sql: 's.chair_of_governors_name', field: 'Contact.name' },
    { header: 'Chair of governors email', key: 'chairOfGovernorsEmail', sql: 's.chair_of_governors_email', field: 'Contact.email' },
    { header: 'Last Ofsted grade', key: 'lastOfstedGrade', sql: 's.last_ofsted_grade', field: 'School.lastOfstedGrade' },
    { header: 'Last Ofsted date', key: 'lastOfstedDate', sql: 's.last_ofsted_date::text', field: 'School.lastOfstedDate' },
    { header: 'Opened on', key: 'openedOn', sql: 's.opened_on::text', field: 'School.openedOn' },
    { header: 'Closed on', key: 'closedOn', sql: 's.closed_on::text', field: 'School.closedOn' },
    { header: 'Risk category', key: 'riskCategory', ...riskCategory, field: 'School.currentRiskCategory', type: 'RiskCategory' },
    { header: 'Created at', key: 'createdAt', sql: 's.created_at', field: 'School.createdAt' },
    { header: 'Updated at', key: 'updatedAt', sql: 's.updated_at', field: 'School.updatedAt' },
  ];
}

/** Schools in name order, with SchoolFilter's parameters (the same names and meaning as `schools(filter)`) and changedSince. */
export const schoolsExport: BulkExport = {
  name: 'schools',
  through: ['Query.schools'],
  async plan({ em, access, schema }, query) {
    const inputType = schema.getType('SchoolFilter');
    // laCode: the schools' filter gains it (issue 23); until it is a field of SchoolFilter, the export reads it here
    const ownLaCode = isInputObjectType(inputType) && !inputType.getFields()[LA_CODE];
    const filter = await filterFromQuery(schema, 'SchoolFilter', SchoolFilter, query, [CHANGED_SINCE, ...(ownLaCode ? [LA_CODE] : [])]);
    const since = instantFromQuery(schema, query, CHANGED_SINCE);
    const where: Sql[] = [...changedSince('s.updated_at', since)];
    // the list's own conditions (schools/school.queries.ts), as SQL by the ORM's query builder
    const listWhere = schoolWhere(filter);
    if (Object.keys(listWhere).length) {
      const { sql, params } = em
        .createQueryBuilder(School, 'f')
        .select('f.id')
        .where(listWhere as Parameters<ReturnType<Em['createQueryBuilder']>['where']>[0])
        .toQuery();
      where.push({ sql: `s.id in (${sql})`, params: [...params] });
    }
    if (ownLaCode && query[LA_CODE] !== undefined) {
      const code = Number(query[LA_CODE]);
      if (!Number.isInteger(code) || code < 1 || code > 999) throw badInput('laCode is a local authority code, a whole number such as 926.', LA_CODE);
      where.push({ sql: 's.la_code = ?', params: [code] });
    }
    if (filter.riskCategory?.length) {
      // as schools(filter): filtering by a confidential category must not reveal other schools' categories
      const allowed = await access.riskCategoryFilterScope();
      if (allowed) where.push(idIn('s.id', allowed));
    }
    const visible = await access.riskCategorySchoolIds();
    const within = visible ? idIn('s.id', visible) : null;
    const riskCategory: Sql = within
      ? { sql: `case when ${within.sql} then s.current_risk_category end`, params: within.params }
      : { sql: 's.current_risk_category', params: [] };
    return {
      columns: schoolColumns(riskCategory),
      source: {
        from: 'school s',
        where,
        order: [
          { sql: 's.name', type: 'text' },
          { sql: 's.id', type: 'uuid' },
        ],
        direction: 'asc',
      },
    };
  },
};
