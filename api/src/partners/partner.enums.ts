import { registerEnumType } from 'type-graphql';

export enum PartnerRole {
  /** Visits schools: School Improvement Partner, Improvement Professional, Link Adviser... */
  PARTNER = 'partner',
  /** Senior adviser: allocates partners, moderates disputed notes, samples quality. */
  MANAGER = 'manager',
}

registerEnumType(PartnerRole, {
  name: 'PartnerRole',
  description: 'PARTNER visits schools; MANAGER (senior adviser) allocates, moderates and sees everything.',
});
