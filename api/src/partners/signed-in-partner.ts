import { ref, type Ref } from '@mikro-orm/core';
import type { Principal } from '../platform/auth/principal.js';
import type { Partner } from './partner.entity.js';

/**
 * The signed-in person's partner record, or null for a service. The principal carries it
 * untyped (the platform knows no partners); this module made it (partner-lookup.ts, or
 * personPrincipal for a partner already loaded), so it is a Partner.
 */
export function signedInPartner(principal: Principal): Partner | null {
  return principal.kind === 'person' ? (principal.partner as Partner) : null;
}

/** The same as a reference, for recording who made a decision (null for a service). */
export function signedInPartnerRef(principal: Principal): Ref<Partner> | null {
  const partner = signedInPartner(principal);
  return partner ? ref(partner) : null;
}
