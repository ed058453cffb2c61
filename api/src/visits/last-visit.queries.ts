import { raw, type FilterQuery } from '@mikro-orm/core';
import DataLoader from 'dataloader';
import type { AccessPolicy } from '../platform/auth/access-policy.js';
import type { Em } from '../platform/db/orm.js';
import { Visit } from './visit.entity.js';

/**
 * Each school's last visit: the latest one that has taken place (not cancelled, started by
 * now on the business clock) among the visits the principal may read (the visit list's own
 * scope, AccessPolicy.visitScopeSql). One statement for a page of schools.
 *
 * The loader is the request's (loaders.get), so the principal and "now" are the request's:
 * the first load fixes them, and every school of the batch is read with them.
 */
export function createLastVisitLoader(em: Em) {
  let asked: { access: AccessPolicy; now: Date } | null = null;
  const loader = new DataLoader<string, Visit | null>(
    async (schoolIds) => {
      const { access, now } = asked!;
      const scope = access.visitScopeSql('lv');
      const sql = `(select distinct on (lv.school_id) lv.id from visit lv
          where lv.school_id in (${schoolIds.map(() => '?').join(', ')}) and lv.status <> 'cancelled' and lv.starts_at <= ?
          ${scope ? `and ${scope.condition.sql}` : ''}
          order by lv.school_id, lv.starts_at desc, lv.id desc)`;
      const params = [...schoolIds, now, ...(scope?.condition.params ?? [])];
      const visits = await em.find(Visit, { id: { $in: raw(sql, params) } } as FilterQuery<Visit>);
      return schoolIds.map((id) => visits.find((v) => v.school.id === id) ?? null);
    },
    { cache: false },
  );
  return {
    load(schoolId: string, access: AccessPolicy, now: Date): Promise<Visit | null> {
      asked ??= { access, now };
      return loader.load(schoolId);
    },
  };
}
