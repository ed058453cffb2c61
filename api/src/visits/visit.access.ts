import { type FilterQuery, raw } from '@mikro-orm/core';
import type { AccessPolicy } from '../platform/auth/access-policy.js';
import type { Visit } from './visit.entity.js';

/** Who may change a visit: its lead partner, or a manager (used by GraphQL, the school's links and the downloads alike). */
export function assertCanEditVisit(access: AccessPolicy, visit: Pick<Visit, 'leadPartner'>): void {
  access.assertOwnerOrManager(visit.leadPartner.id, 'You can change only visits you lead. Ask the lead partner or a senior adviser.');
}

/**
 * Who may read a visit (and its agenda, note and documents): the one check of GraphQL's
 * visit(id), the school's links' resolvers and the downloads (AccessPolicy.assertCanSeeVisit).
 */
export function assertCanSeeVisit(access: AccessPolicy, visit: Pick<Visit, 'id' | 'school' | 'leadPartner'>): Promise<void> {
  // a read view's visit may lack the lead partner's column: then the check asks the database (own visit or not)
  return access.assertCanSeeVisit({ id: visit.id, schoolId: visit.school.id, leadPartnerId: visit.leadPartner?.id ?? '' });
}

/**
 * Conditions limiting a visit list to what the principal may see: the ORM's form of
 * AccessPolicy.visitScopeSql, the same SQL condition the read view applies.
 */
export function visitScope(access: AccessPolicy): FilterQuery<Visit> {
  const scope = access.visitScopeSql('sx');
  if (!scope) return {};
  return { id: { $in: raw(`(select sx.id from visit sx where ${scope.condition.sql})`, scope.condition.params) } } as FilterQuery<Visit>;
}

/**
 * A list filtered to one school: refused when the principal may see none of its visits (neither
 * the school's records nor a visit of their own there), rather than answering an empty list.
 */
export async function assertCanListSchoolVisits(access: AccessPolicy, schoolId: string): Promise<void> {
  const ids = await access.visitSchoolIds();
  if (ids && !ids.has(schoolId)) await access.assertCanSeeSchoolRecords(schoolId);
}
