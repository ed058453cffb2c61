import type { Partner } from '../partners/partner.entity.js';

/** App roles a service principal can be granted in the API's app registration. */
export const ServiceRole = {
  /** Read schools, visits and circulated notes. */
  READ: 'Visits.Read.All',
  /** Also read confidential risk categories. */
  RISK_CATEGORIES: 'RiskCategories.Read.All',
} as const;

/** The delegated scope a person's token must carry. */
export const PERSON_SCOPE = 'access_as_user';

export type Principal =
  | { kind: 'person'; partner: Partner; auditName: string }
  | { kind: 'service'; name: string; roles: ReadonlySet<string>; auditName: string };

export const isManager = (p: Principal) => p.kind === 'person' && p.partner.role === 'manager';
