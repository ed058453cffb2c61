import { ref } from '@mikro-orm/core';
import type { AccessPolicy } from '../platform/auth/access-policy.js';
import { academicYearLabel, checkAcademicYear } from '../platform/dates/academic-year.js';
import type { Em } from '../platform/db/orm.js';
import { badInput } from '../platform/errors.js';
import { findOr404 } from '../platform/graphql/lookup.js';
import { School } from '../schools/school.entity.js';
import { Allocation } from './allocation.entity.js';
import { Partner } from './partner.entity.js';
import { PartnerRole } from './partner.enums.js';

/** Kent's time budget (seed 004): five days a year, six for a partner new to the school. */
export const STANDARD_DAYS = 5;
export const FAMILIARISATION_DAYS = 1;

export interface AllocatePartnerArgs {
  partnerId: string;
  schoolId: string;
  academicYear: string;
  days?: number | null;
  reason?: string | null;
}

/**
 * Allocates a partner to a school for a year (or changes the allocation). Without
 * a number of days, the standard budget, plus the familiarisation day when the
 * partner did not serve the school the year before.
 */
export function allocatePartner(em: Em, access: AccessPolicy, args: AllocatePartnerArgs): Promise<Allocation> {
  access.assertManager('allocate partners to schools');
  const year = checkAcademicYear(args.academicYear, 'input.academicYear');
  if (args.days !== undefined && args.days !== null && (args.days < 0.5 || args.days > 60 || (args.days * 2) % 1 !== 0)) {
    throw badInput('days must be between 0.5 and 60, in half days.', 'input.days');
  }
  return em.fork().transactional(async (tx) => {
    const partner = await findOr404(tx as Em, Partner, 'Partner', args.partnerId, 'input.partnerId');
    const school = await findOr404(tx as Em, School, 'School', args.schoolId, 'input.schoolId');
    if (partner.role !== PartnerRole.PARTNER || !partner.active) throw badInput(`${partner.name} is not an active partner.`, 'input.partnerId');
    const previousYear = academicYearLabel(Number(year.slice(0, 4)) - 1);
    const servedBefore = (await tx.count(Allocation, { partner: partner.id, school: school.id, academicYear: previousYear })) > 0;
    const allocation =
      (await tx.findOne(Allocation, { partner: partner.id, school: school.id, academicYear: year })) ??
      Object.assign(new Allocation(), { partner: ref(partner), school: ref(school), academicYear: year });
    allocation.days = args.days ?? STANDARD_DAYS + (servedBefore ? 0 : FAMILIARISATION_DAYS);
    allocation.reason = args.reason?.trim() || (args.days ? (allocation.reason ?? null) : servedBefore ? null : 'new to the school (+1 familiarisation day)');
    tx.persist(allocation);
    return allocation;
  });
}
