import { runAs } from '../src/platform/audit/audit-context.js';
import type { Em } from '../src/platform/db/orm.js';
import { School } from '../src/schools/school.entity.js';
import { buildDemoCounty, type DemoSummary } from './demo-county.js';

/**
 * Loads the demo county into an empty database, in one transaction: either all of
 * it lands or none. Returns null (and changes nothing) when schools already exist.
 * `now` is the app's clock reading: the county is built around that day.
 */
export async function loadDemoDataIfEmpty(em: Em, now: Date): Promise<DemoSummary | null> {
  return runAs({ actor: 'system:demo-data' }, () =>
    em.fork().transactional(async (tx) => {
      if ((await tx.count(School, {})) > 0) return null;
      return buildDemoCounty(tx as Em, now);
    }),
  );
}
