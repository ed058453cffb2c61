import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PartnerRole } from '../src/partners/partner.enums.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { testClock } from './support/test-clock.js';

/**
 * A partner's visit list is found through the latest visits of each of their schools
 * (visits/visit.queries.ts). It must give exactly the rows, order, total and pages the
 * plain query gives: checked here against SQL, page by page, with and without filters.
 */
let t: TestApp;
let token: string;
let partnerId: string;
let visible: string[];
const execute = async <T>(sql: string, params: unknown[] = []): Promise<T[]> => (await t.app.orm.em.fork().getConnection().execute(sql, params)) as T[];

beforeAll(async () => {
  t = await startTestApp();
  const person = await t.personWithRole(PartnerRole.PARTNER);
  token = person.token;
  partnerId = person.partner.id;
  const rows = await execute<{ school_id: string }>(
    `select school_id from allocation where partner_id = ? union select school_id from visit where lead_partner_id = ?
     union select v.school_id from visit_attendee a join visit v on v.id = a.visit_id where a.partner_id = ?`,
    [partnerId, partnerId, partnerId],
  );
  visible = rows.map((r) => r.school_id);
});
afterAll(() => t?.stop());

async function walk(first: number, filter: Record<string, unknown> | null) {
  const ids: string[] = [];
  const totals = new Set<number>();
  let after: string | null = null;
  let pages = 0;
  do {
    const res: any = await t.gql(
      `query($first: Int!, $after: String, $filter: VisitFilter) { visits(first: $first, after: $after, filter: $filter) {
         totalCount pageInfo { hasNextPage hasPreviousPage endCursor } nodes { id } } }`,
      { first, after, filter },
      { token },
    );
    expect(res.errors).toBeUndefined();
    const page = res.data.visits;
    expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
    expect(page.nodes.length).toBeLessThanOrEqual(first);
    if (page.pageInfo.hasNextPage) expect(page.nodes).toHaveLength(first);
    ids.push(...page.nodes.map((n: any) => n.id));
    totals.add(page.totalCount);
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    pages += 1;
  } while (after && pages < 200);
  return { ids, totals: [...totals], pages };
}

describe("a partner's visit list, found per school", () => {
  it('sees at least two schools, so the per-school path is the one tested', async () => {
    expect(visible.length).toBeGreaterThanOrEqual(2);
    t.sql.length = 0;
    await walk(3, null);
    expect(t.sql.some((q) => q.includes('cross join lateral'))).toBe(true);
  });

  // The year before the suite's clock: the demo county has visits in it whatever the day.
  const yearTo = testClock.now();
  const yearFrom = new Date(yearTo.getTime() - 365 * 86_400_000);
  const cases: [string, Record<string, unknown> | null, string, () => unknown[]][] = [
    ['no filter', null, '', () => []],
    ['completed visits', { status: ['COMPLETED'] }, `and status = 'completed'`, () => []],
    ['autumn and spring visits', { type: ['AUTUMN', 'SPRING'] }, `and type in ('autumn', 'spring')`, () => []],
    ['a date range', { from: yearFrom.toISOString(), to: yearTo.toISOString() }, 'and starts_at >= ? and starts_at < ?', () => [yearFrom, yearTo]],
  ];
  for (const [name, filter, sqlFilter, params] of cases) {
    it(`gives the plain query's rows, order and total page by page: ${name}`, async () => {
      const expected = await execute<{ id: string }>(
        `select id from visit where school_id in (${visible.map(() => '?').join(', ')}) ${sqlFilter} order by starts_at desc, id desc`,
        [...visible, ...params()],
      );
      expect(expected.length).toBeGreaterThan(0);
      for (const first of [1, 7, 100]) {
        if (first === 1 && expected.length > 150) continue;
        const { ids, totals } = await walk(first, filter);
        expect(totals).toEqual([expected.length]);
        expect(ids).toEqual(expected.map((r) => r.id));
      }
    });
  }

  it('with a filter on the lead partner', async () => {
    const expected = await execute<{ id: string }>(
      `select id from visit where school_id in (${visible.map(() => '?').join(', ')}) and lead_partner_id = ? order by starts_at desc, id desc`,
      [...visible, partnerId],
    );
    const { ids, totals } = await walk(5, { partnerId });
    expect(totals).toEqual([expected.length]);
    expect(ids).toEqual(expected.map((r) => r.id));
  });
});
