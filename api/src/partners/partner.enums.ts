import { registerEnumType } from 'type-graphql';

import { PartnerRole } from '../platform/auth/principal.js';

/** Defined with the principal, which carries it on every request (platform/auth/principal.ts). */
export { PartnerRole };

registerEnumType(PartnerRole, {
  name: 'PartnerRole',
  description: 'PARTNER visits schools; MANAGER (senior adviser) allocates, moderates and sees everything.',
});
