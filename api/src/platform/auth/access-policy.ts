import { academicYearOf } from '../dates/academic-year.js';
import { businessDateOf } from '../dates/today.js';
import type { Clock } from '../clock.js';
import type { ReadDb } from '../db/orm.js';
import { forbidden } from '../errors.js';
import { isManager, ServiceRole, type Principal } from './principal.js';

/**
 * Who may see what, decided once per request (DOMAIN.md; issue 3):
 * - a manager sees everything;
 * - a partner sees every school's register details, but visits and notes only of
 *   schools they are allocated to (any year) or have visited, and risk categories
 *   only of schools allocated to them this academic year;
 * - a service reads everything except notes not yet circulated, and risk
 *   categories only with the RiskCategories.Read.All app role.
 */
export class AccessPolicy {
  private visible?: Promise<Set<string>>;
  private allocatedNow?: Promise<Set<string>>;

  constructor(
    readonly principal: Principal,
    private readonly em: ReadDb,
    /** "This academic year" is the business clock's (clock.ts). */
    private readonly clock: Clock,
  ) {}

  get isManager(): boolean {
    return isManager(this.principal);
  }

  /** Schools whose visits and notes this principal may read; null means all. */
  visibleSchoolIds(): Promise<Set<string>> | null {
    const visible = this.visibleSchoolsSql();
    if (!visible) return null;
    this.visible ??= this.schoolIds(visible.sql, visible.params);
    return this.visible;
  }

  /**
   * The same schools as SQL (one column, school_id), for a query to join rather than
   * send a list of ids (read views, visits/visit.queries.ts); null means all.
   */
  visibleSchoolsSql(): { sql: string; params: unknown[] } | null {
    if (this.principal.kind !== 'person' || this.isManager) return null;
    const id = this.principal.partnerId;
    return {
      sql: `select school_id from allocation where partner_id = ?
       union select school_id from visit where lead_partner_id = ?
       union select v.school_id from visit_attendee a join visit v on v.id = a.visit_id where a.partner_id = ?`,
      params: [id, id, id],
    };
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

  async assertCanSeeSchoolRecords(schoolId: string): Promise<void> {
    const ids = await this.visibleSchoolIds();
    if (ids && !ids.has(schoolId)) {
      throw forbidden("You can see visits and notes only of schools you are allocated to or have visited. Ask a senior adviser if you need this school's.");
    }
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
