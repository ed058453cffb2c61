import type { Em, ReadDb } from '../db/orm.js';

/** A person's role, from their partner record (registered for GraphQL in partners/partner.enums.ts). */
export enum PartnerRole {
  /** Visits schools: School Improvement Partner, Improvement Professional, Link Adviser... */
  PARTNER = 'partner',
  /** Senior adviser: allocates partners, moderates disputed notes, samples quality. */
  MANAGER = 'manager',
}

/** App roles a service principal can be granted in the API's app registration. */
export const ServiceRole = {
  /** Read schools, visits and circulated notes. */
  READ: 'Visits.Read.All',
  /** Also read confidential risk categories. */
  RISK_CATEGORIES: 'RiskCategories.Read.All',
  /**
   * Also read personal contact details: email addresses of headteachers, chairs of governors,
   * attendees, note recipients and partners, and the names of people who are not published
   * (attendees, recipients, the people links were sent to): app/service-fields.ts (issue 20).
   */
  CONTACTS: 'Contacts.Read.All',
  /** Also read the school's own section of a visit (its self-evaluation grades and evidence). */
  SCHOOL_SECTIONS: 'SchoolSections.Read.All',
} as const;

/** The delegated scope a person's token must carry. */
export const PERSON_SCOPE = 'access_as_user';

/**
 * A signed-in partner or manager. Who they are and their role are known from sign-in;
 * `partner`, their record as an entity of the request's entity manager, is made when first
 * asked for (most requests need only the id and role). The partners module makes it
 * (partners/partner-lookup.ts) and reads it typed (partners/signed-in-partner.ts).
 */
export interface PersonPrincipal {
  kind: 'person';
  partnerId: string;
  role: PartnerRole;
  readonly partner: object;
  auditName: string;
}

/** A person found at sign-in (partners/partner-lookup.ts): who and their role at once, their record when asked for. */
export interface FoundPerson {
  id: string;
  role: PartnerRole;
  /** Their record, an entity of the request's entity manager, made on each call. */
  toEntity(): object;
}

/** Finds the active person an email names (the partners module provides it; the app passes it in). */
export type PersonLookup = (db: ReadDb, email: string, requestEm: () => Em) => Promise<FoundPerson | null>;

/** A council system signed in with client credentials; `clientId` (the token's azp/appid) names it stably, its display name may change. */
export interface ServicePrincipal {
  kind: 'service';
  name: string;
  roles: ReadonlySet<string>;
  auditName: string;
  clientId?: string;
}

export type Principal = PersonPrincipal | ServicePrincipal;

/** A person principal for a partner already loaded. */
export const personPrincipal = (partner: { id: string; role: PartnerRole }): PersonPrincipal => ({
  kind: 'person',
  partnerId: partner.id,
  role: partner.role,
  partner,
  auditName: `partner:${partner.id}`,
});

export const isManager = (p: Principal) => p.kind === 'person' && p.role === PartnerRole.MANAGER;
