import { ref } from '@mikro-orm/core';
import type { AccessPolicy } from '../platform/auth/access-policy.js';
import type { Em } from '../platform/db/orm.js';
import { badInput } from '../platform/errors.js';
import { DomainEventKind, recordEvent } from '../platform/events/domain-events.js';
import { findOr404 } from '../platform/graphql/lookup.js';
import { RiskCategoryAssessment } from '../schools/risk-category-assessment.entity.js';
import { School } from '../schools/school.entity.js';
import type { RiskCategory } from '../schools/school.enums.js';
import { signedInPartner } from './signed-in-partner.js';

export interface AssessRiskCategoryArgs {
  schoolId: string;
  category: RiskCategory;
  effectiveFrom: string;
  rationale: string;
}

/**
 * A manager's assessment of a school's risk category (revised at least termly, DOMAIN.md). Assessments
 * are never edited: each is a new row of the history, and the latest effective is current. One taking
 * effect before the current one would never become current, so it is refused rather than kept unseen.
 * Council systems are told (platform/events) whether the category changed.
 */
export function assessRiskCategory(em: Em, access: AccessPolicy, args: AssessRiskCategoryArgs, now: Date): Promise<RiskCategoryAssessment> {
  access.assertManager("assess a school's risk category");
  const assessor = signedInPartner(access.principal)!;
  const rationale = args.rationale.trim();
  if (!rationale) throw badInput('Say why the school is in this category: the rationale is the evidence kept with it.', 'input.rationale');
  return em.fork().transactional(async (tx) => {
    // One assessment at a time per school, so "the one before" is the one the change is measured against.
    await tx.execute('select pg_advisory_xact_lock(hashtext(?))', [`risk-category:${args.schoolId}`]);
    const school = await findOr404(tx as Em, School, 'School', args.schoolId, 'input.schoolId');
    const [before] = (await school.riskAssessments.load()).getItems();
    if (before && args.effectiveFrom < before.effectiveFrom) {
      throw badInput(
        `${school.name}'s current category (${before.category}) took effect on ${before.effectiveFrom}; a new assessment takes effect on or after that date.`,
        'input.effectiveFrom',
      );
    }
    const assessment = Object.assign(new RiskCategoryAssessment(), {
      school: ref(school),
      category: args.category,
      effectiveFrom: args.effectiveFrom,
      rationale,
      assessedBy: ref(assessor),
    });
    tx.persist(assessment);
    // The new assessment is the latest (it takes effect no earlier, and is made later): lists filter by the copy on the school.
    school.currentRiskCategory = args.category;
    recordEvent(
      tx as Em,
      {
        kind: DomainEventKind.SCHOOL_RISK_CATEGORY_CHANGED,
        schoolId: school.id,
        data: { assessmentId: assessment.id, changed: before?.category !== args.category },
      },
      now,
    );
    return assessment;
  });
}
