import type { AccessPolicy } from '../platform/auth/access-policy.js';
import { forbidden } from '../platform/errors.js';

/** The signed-in person's partner id, or a refusal for a service (services only read). */
export function actingPartnerId(access: AccessPolicy): string {
  if (access.principal.kind !== 'person') throw forbidden('Services can read through this API but not change anything.');
  return access.principal.partnerId;
}

/**
 * Who books a shadowing: a senior adviser, or the shadowed partner's mentor (the handbook's
 * reviewer may be either; a partner does not arrange to be shadowed by whoever they choose).
 */
export function assertCanBookShadowing(access: AccessPolicy, shadowed: { id: string; mentor?: { id: string } | null }): void {
  const me = actingPartnerId(access);
  if (access.isManager || shadowed.mentor?.id === me) return;
  throw forbidden("Only a senior adviser or the partner's mentor can book a shadowing of their visit.");
}

/** Who writes the feedback: the shadower, or a senior adviser on their behalf. */
export function assertCanGiveShadowingFeedback(access: AccessPolicy, shadowing: { shadower: { id: string } }): void {
  access.assertOwnerOrManager(shadowing.shadower.id, 'Only the person who shadowed the visit, or a senior adviser, can give its written feedback.');
}

/** Who reads a shadowing and its feedback: the shadowed partner, the shadower, a senior adviser. */
export function canSeeShadowing(access: AccessPolicy, shadowing: { shadower: { id: string }; shadowedPartner: { id: string } }): boolean {
  if (access.isManager) return true;
  if (access.principal.kind !== 'person') return false;
  return [shadowing.shadower.id, shadowing.shadowedPartner.id].includes(access.principal.partnerId);
}

export function assertCanSeeShadowing(access: AccessPolicy, shadowing: { shadower: { id: string }; shadowedPartner: { id: string } }): void {
  if (!canSeeShadowing(access, shadowing)) throw forbidden('A shadowing is seen by the partner shadowed, the shadower and senior advisers only.');
}
