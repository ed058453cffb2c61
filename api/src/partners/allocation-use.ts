import DataLoader from 'dataloader';
import { academicYearBounds } from '../platform/dates/academic-year.js';
import type { Em } from '../platform/db/orm.js';
import type { Allocation } from './allocation.entity.js';

/**
 * Days a partner has spent at a school in an academic year: in-school plus
 * out-of-school days of their visits that were not cancelled. One query per
 * academic year on the page, whatever the number of allocations.
 */
export function createAllocationUseLoader(em: Em): DataLoader<Allocation, number> {
  return new DataLoader(
    async (allocations) => {
      const spent = new Map<string, number>();
      for (const year of new Set(allocations.map((a) => a.academicYear))) {
        const ofYear = allocations.filter((a) => a.academicYear === year);
        const { from, to } = academicYearBounds(year);
        const schoolIds = [...new Set(ofYear.map((a) => a.school.id))];
        const rows = await em.getConnection().execute<{ lead_partner_id: string; school_id: string; spent: string | number }[]>(
          `select lead_partner_id, school_id, sum(in_school_days + out_of_school_days) as spent
             from visit
            where status <> 'cancelled' and starts_at >= ? and starts_at < ?
              and school_id in (${schoolIds.map(() => '?').join(', ')})
            group by lead_partner_id, school_id`,
          [from, to, ...schoolIds],
        );
        for (const r of rows) spent.set(`${r.lead_partner_id}|${r.school_id}|${year}`, Number(r.spent));
      }
      return allocations.map((a) => spent.get(`${a.partner.id}|${a.school.id}|${a.academicYear}`) ?? 0);
    },
    { cache: false },
  );
}
