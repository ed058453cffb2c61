import type { FilterQuery } from '@mikro-orm/core';
import type { AccessPolicy } from '../platform/auth/access-policy.js';
import type { Visit } from './visit.entity.js';

/** Who may change a visit: its lead partner, or a manager (used by GraphQL, the school's links and the downloads alike). */
export function assertCanEditVisit(access: AccessPolicy, visit: Pick<Visit, 'leadPartner'>): void {
  access.assertOwnerOrManager(visit.leadPartner.id, 'You can change only visits you lead. Ask the lead partner or a senior adviser.');
}

/** Conditions limiting a visit list to what the principal may see. */
export async function visitScope(access: AccessPolicy): Promise<FilterQuery<Visit>> {
  const ids = await access.visibleSchoolIds();
  return ids ? { school: { $in: [...ids] } } : {};
}
