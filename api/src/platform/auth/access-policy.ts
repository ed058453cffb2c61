import { academicYearLabel, academicYearOf, academicYearStart } from '../dates/academic-year.js';
import { businessDateOf } from '../dates/today.js';
import type { Clock } from '../clock.js';
import type { ReadDb } from '../db/orm.js';
import { forbidden } from '../errors.js';
import { isManager, ServiceRole, type Principal } from './principal.js';

/**
 * How many academic years before this one an allocation still opens a school's records to its
 * partner, unless the council configures otherwise (ALLOCATION_HISTORY_YEARS, platform/config.ts).
 * One: last year's partner finishes and circulates the summer visit's note in the autumn, and
 * hands over to this year's; a partner allocated three years ago has no need to read the school's
 * notes any more (issue 20: access follows the allocation).
 */
export const DEFAULT_ALLOCATION_HISTORY_YEARS = 1;

export interface AccessOptions {
  /** Academic years before this one whose allocations still open a school's records (0: this year's only). */
  allocationHistoryYears?: number;
}

/**
 * Who may see what, decided once per request (DOMAIN.md; issues 3 and 20):
 * - a manager sees everything;
 * - a partner sees every school's register details; a school's visits and notes through
 *   their allocation (this academic year, the configured years before it, or a year already
 *   allocated ahead) or a visit there they actually attended (completed, not in the future,
 *   led or attended); never through a visit they merely booked, cancelled or have not held.
 *   Their own visits (led or attended, whatever their status) and those visits' notes they
 *   always see: they must prepare, change and write them;
 * - risk categories only of schools allocated to them this academic year;
 * - a service reads everything except notes not yet circulated, and risk
 *   categories only with the RiskCategories.Read.All app role (the fields a service may
 *   read at all: platform/graphql/service-fields.ts).
 */
export class AccessPolicy {
  private visible?: Promise<Set<string>>;
  private allocatedNow?: Promise<Set<string>>;
  private visitSchools?: Promise<Set<string>>;

  constructor(
    readonly principal: Principal,
    private readonly em: ReadDb,
    /** "This academic year" is the business clock's (clock.ts). */
    private readonly clock: Clock,
    private readonly options: AccessOptions = {},
  ) {}

  get isManager(): boolean {
    return isManager(this.principal);
  }

  /** Schools whose visits and notes (all of them) this principal may read; null means all. */
  visibleSchoolIds(): Promise<Set<string>> | null {
    const visible = this.visibleSchoolsSql();
    if (!visible) return null;
    this.visible ??= this.schoolIds(visible.sql, visible.params);
    return this.visible;
  }

  /**
   * The same schools as SQL (one column, school_id), for a query to join rather than
   * send a list of ids (read views, visits/visit.queries.ts); null means all.
   * A completed visit opens its school only once it has taken place (business clock):
   * a booked, cancelled or future visit opens nothing but itself (ownVisitSql).
   */
  visibleSchoolsSql(): { sql: string; params: unknown[] } | null {
    if (this.principal.kind !== 'person' || this.isManager) return null;
    const id = this.principal.partnerId;
    const now = this.clock.now();
    return {
      sql: `select school_id from allocation where partner_id = ? and academic_year >= ?
       union select school_id from visit where lead_partner_id = ? and status = 'completed' and starts_at <= ?
       union select v.school_id from visit_attendee a join visit v on v.id = a.visit_id where a.partner_id = ? and v.status = 'completed' and v.starts_at <= ?`,
      params: [id, this.earliestAllocationYear(), id, now, id, now],
    };
  }

  /**
   * A visit the principal leads or attends, as a SQL condition on a visit aliased `alias`
   * (null: not a partner, so nothing is theirs). Their own visits they always see, whatever
   * the school: the restriction is on the school's other records.
   */
  ownVisitSql(alias: string): { sql: string; params: unknown[] } | null {
    if (this.principal.kind !== 'person') return null;
    const id = this.principal.partnerId;
    return {
      sql: `(${alias}.lead_partner_id = ? or exists (select 1 from visit_attendee own where own.visit_id = ${alias}.id and own.partner_id = ?))`,
      params: [id, id],
    };
  }

  /**
   * The visits this principal may read, for a list: the schools to look in (one column,
   * school_id: the visible schools and those of their own visits) and the condition each
   * visit (aliased `alias`) must meet there. Null means all. The one definition both of a
   * visit list's paths and a single visit's check follow.
   */
  visitScopeSql(alias: string): { schools: { sql: string; params: unknown[] }; condition: { sql: string; params: unknown[] } } | null {
    const visible = this.visibleSchoolsSql();
    const own = this.ownVisitSql(alias);
    if (!visible || !own) return null;
    const ownSchools = this.ownVisitSql('ov')!;
    return {
      schools: {
        sql: `${visible.sql}\n       union select ov.school_id from visit ov where ${ownSchools.sql}`,
        params: [...visible.params, ...ownSchools.params],
      },
      condition: { sql: `(${alias}.school_id in (${visible.sql}) or ${own.sql})`, params: [...visible.params, ...own.params] },
    };
  }

  /** The schools of visitScopeSql, as ids (the ORM's list narrows its page with them); null means all. */
  visitSchoolIds(): Promise<Set<string>> | null {
    const scope = this.visitScopeSql('x');
    if (!scope) return null;
    this.visitSchools ??= this.schoolIds(scope.schools.sql, scope.schools.params);
    return this.visitSchools;
  }

  async assertCanSeeSchoolRecords(schoolId: string): Promise<void> {
    const ids = await this.visibleSchoolIds();
    if (ids && !ids.has(schoolId)) throw this.schoolRecordsForbidden();
  }

  /**
   * One visit and what hangs from it (its agenda, its note, its documents): the school's
   * records, or a visit of the principal's own. GraphQL, the read views and the downloads call this.
   */
  async assertCanSeeVisit(visit: { id: string; schoolId: string; leadPartnerId: string }): Promise<void> {
    const ids = await this.visibleSchoolIds();
    if (!ids || ids.has(visit.schoolId)) return;
    if (this.principal.kind === 'person' && visit.leadPartnerId === this.principal.partnerId) return;
    const own = this.ownVisitSql('x')!;
    const rows = await this.em.getConnection().execute(`select 1 from visit x where x.id = ? and ${own.sql}`, [visit.id, ...own.params]);
    if (!rows.length) throw this.schoolRecordsForbidden();
  }

  private schoolRecordsForbidden() {
    return forbidden(
      "You can see visits and notes only of schools allocated to you or visits you have attended. Ask a senior adviser if you need this school's.",
    );
  }

  /** The earliest academic year whose allocations count (ALLOCATION_HISTORY_YEARS before this one). */
  private earliestAllocationYear(): string {
    const back = this.options.allocationHistoryYears ?? DEFAULT_ALLOCATION_HISTORY_YEARS;
    return academicYearLabel(academicYearStart(businessDateOf(this.clock.now())) - back);
  }

  /** Schools whose risk categories this principal may read; null means all. */
  riskCategorySchoolIds(): Promise<Set<string>> | null {
    if (this.principal.kind === 'service') {
      return this.principal.roles.has(ServiceRole.RISK_CATEGORIES) ? null : Promise.resolve(new Set());
    }
    if (this.isManager) return null;
    this.allocatedNow ??= this.schoolIds('select school_id from allocation where partner_id = ? and academic_year = ?', [
      this.principal.partnerId,
      academicYearOf(businessDateOf(this.clock.now())),
    ]);
    return this.allocatedNow;
  }

  async assertCanSeeRiskCategories(schoolId: string): Promise<void> {
    const ids = await this.riskCategorySchoolIds();
    if (ids && !ids.has(schoolId)) throw this.riskCategoriesForbidden();
  }

  /**
   * A list filtered by risk category: a service without the role is refused; a
   * partner's list is narrowed to their own schools, so the filter reveals nothing.
   */
  async riskCategoryFilterScope(): Promise<Set<string> | null> {
    if (this.principal.kind === 'service' && !this.principal.roles.has(ServiceRole.RISK_CATEGORIES)) {
      throw this.riskCategoriesForbidden();
    }
    return this.riskCategorySchoolIds();
  }

  private riskCategoriesForbidden() {
    return forbidden(
      this.principal.kind === 'service'
        ? `Risk categories are confidential: this service needs the ${ServiceRole.RISK_CATEGORIES} app role.`
        : 'Risk categories are confidential: you can see them only for schools allocated to you this year.',
    );
  }

  /**
   * Changing a record one partner owns (the visit they lead, the note they wrote): that partner,
   * or a manager. Services only read. Each module's access file says whose a record is
   * (visits/visit.access.ts, notes/note.access.ts).
   */
  assertOwnerOrManager(ownerPartnerId: string, refusalForOthers: string): void {
    if (this.isManager) return;
    if (this.principal.kind === 'person' && ownerPartnerId === this.principal.partnerId) return;
    throw forbidden(this.principal.kind === 'service' ? 'Services can read through this API but not change anything.' : refusalForOthers);
  }

  /** Services read only what is final (a circulated note); people read what their schools' records hold. */
  get isService(): boolean {
    return this.principal.kind === 'service';
  }

  /** Reports across partners are for managers and other council systems. */
  assertCanReadReports(): void {
    if (this.principal.kind === 'person' && !this.isManager) throw forbidden('Reports are for senior advisers and council systems.');
  }

  /** Allocating partners and moderating disputed notes are a senior adviser's decisions. */
  assertManager(action: string): void {
    if (!this.isManager) throw forbidden(`Only a senior adviser (manager) can ${action}.`);
  }

  private async schoolIds(sql: string, params: unknown[]): Promise<Set<string>> {
    const rows = await this.em.getConnection().execute<{ school_id: string }[]>(sql, params);
    return new Set(rows.map((r) => r.school_id));
  }
}
