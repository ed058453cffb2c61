import type { Partner } from '../../partners/partner.entity.js';
import { PartnerRole } from '../../partners/partner.enums.js';

/** App roles a service principal can be granted in the API's app registration. */
export const ServiceRole = {
  /** Read schools, visits and circulated notes. */
  READ: 'Visits.Read.All',
  /** Also read confidential risk categories. */
  RISK_CATEGORIES: 'RiskCategories.Read.All',
} as const;

/** The delegated scope a person's token must carry. */
export const PERSON_SCOPE = 'access_as_user';

/**
 * A signed-in partner or manager. Who they are and their role are known from sign-in;
 * `partner`, the entity (in the request's entity manager), is made when first asked for:
 * most requests need only the id and role, and making it was a fifteenth of a small read.
 */
export interface PersonPrincipal {
  kind: 'person';
  partnerId: string;
  role: PartnerRole;
  readonly partner: Partner;
  auditName: string;
}

export type Principal = PersonPrincipal | { kind: 'service'; name: string; roles: ReadonlySet<string>; auditName: string };

/** A person principal for a partner already loaded. */
export const personPrincipal = (partner: Partner): PersonPrincipal => ({
  kind: 'person',
  partnerId: partner.id,
  role: partner.role,
  partner,
  auditName: `partner:${partner.id}`,
});

export const isManager = (p: Principal) => p.kind === 'person' && p.role === PartnerRole.MANAGER;
