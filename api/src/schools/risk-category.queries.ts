import { raw, type FilterQuery } from '@mikro-orm/core';
import DataLoader from 'dataloader';
import type { Em } from '../platform/db/orm.js';
import { RiskCategoryAssessment } from './risk-category-assessment.entity.js';

/**
 * Each school's latest risk category assessment (latest effective, then latest made: the
 * order of School.riskAssessments), for a page of schools in one statement.
 */
export function createLatestRiskAssessmentLoader(em: Em): DataLoader<string, RiskCategoryAssessment | null> {
  return new DataLoader(
    async (schoolIds) => {
      const marks = schoolIds.map(() => '?').join(', ');
      const latestIds = raw(
        `(select distinct on (l.school_id) l.id from risk_category_assessment l
           where l.school_id in (${marks}) order by l.school_id, l.effective_from desc, l.created_at desc)`,
        [...schoolIds],
      );
      const latest = await em.find(RiskCategoryAssessment, { id: { $in: latestIds } } as FilterQuery<RiskCategoryAssessment>);
      return schoolIds.map((id) => latest.find((a) => a.school.id === id) ?? null);
    },
    { cache: false },
  );
}
