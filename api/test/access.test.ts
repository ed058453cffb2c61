import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { academicYearOf } from '../src/platform/dates/academic-year.js';
import { ServiceRole } from '../src/platform/auth/principal.js';
import { PartnerRole } from '../src/partners/partner.enums.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { testToday } from './support/test-clock.js';

/**
 * Who may see what. Each rule is checked from both sides (allowed and refused),
 * so removing a check makes a test fail.
 */
let t: TestApp;
let partnerToken: string;
let visible: Set<string>; // schools the partner is allocated to (any year) or has visited
let allocatedNow: Set<string>; // schools allocated to the partner this academic year
let hidden: string; // a school the partner has nothing to do with
let allSchools: string[];

const ids = (nodes: { id: string }[]) => nodes.map((n) => n.id);

async function allVisits(token?: string, filter: Record<string, unknown> = {}) {
  const seen: any[] = [];
  let after: string | null = null;
  do {
    const res: any = await t.gql(
      `query($after: String, $filter: VisitFilter) { visits(first: 100, after: $after, filter: $filter) {
         pageInfo { hasNextPage endCursor } nodes { id school { id } note { id status } } } }`,
      { after, filter },
      token ? { token } : {},
    );
    expect(res.errors).toBeUndefined();
    seen.push(...res.data.visits.nodes);
    after = res.data.visits.pageInfo.hasNextPage ? res.data.visits.pageInfo.endCursor : null;
  } while (after);
  return seen;
}

beforeAll(async () => {
  t = await startTestApp();
  const { partner, token } = await t.personWithRole(PartnerRole.PARTNER);
  partnerToken = token;
  const res = await t.gql(`query($id: ID!) { partner(id: $id) { allocations { academicYear school { id } } } }`, { id: partner.id });
  const allocations = res.data!.partner.allocations as { academicYear: string; school: { id: string } }[];
  const led = await allVisits(undefined, { partnerId: partner.id });
  visible = new Set([...allocations.map((a) => a.school.id), ...led.map((v) => v.school.id)]);
  const year = academicYearOf(testToday());
  allocatedNow = new Set(allocations.filter((a) => a.academicYear === year).map((a) => a.school.id));
  allSchools = ids((await t.gql(`{ schools(first: 100) { nodes { id } } }`)).data!.schools.nodes);
  hidden = allSchools.find((id) => !visible.has(id))!;
  expect(allocatedNow.size).toBeGreaterThan(0);
  expect(hidden).toBeDefined();
});
afterAll(() => t?.stop());

describe('a partner', () => {
  it("reads any school's register details", async () => {
    const res = await t.gql(`query($id: ID!) { school(id: $id) { name dfeNumber phase type address { oneLine } } }`, { id: hidden }, { token: partnerToken });
    expect(res.errors).toBeUndefined();
    expect(res.data!.school.name).toBeTruthy();
  });

  it('lists only visits of schools they are allocated to or have visited', async () => {
    const mine = await allVisits(partnerToken);
    const everyone = await allVisits();
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((v) => visible.has(v.school.id))).toBe(true);
    expect(mine.length).toBe(everyone.filter((v) => visible.has(v.school.id)).length);
    expect(mine.length).toBeLessThan(everyone.length);
  });

  it("is refused another school's visit, and a list filtered to that school", async () => {
    const [other] = await allVisits(undefined, { schoolId: hidden });
    const one = await t.gql(`query($id: ID!) { visit(id: $id) { id } }`, { id: other.id }, { token: partnerToken });
    expect(one.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const list = await t.gql(`query($s: ID!) { visits(filter: { schoolId: $s }) { totalCount } }`, { s: hidden }, { token: partnerToken });
    expect(list.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const [own] = await allVisits(undefined, { schoolId: [...visible][0] });
    const allowed = await t.gql(`query($id: ID!) { visit(id: $id) { id note { status } } }`, { id: own.id }, { token: partnerToken });
    expect(allowed.errors).toBeUndefined();
  });

  it('sees risk categories only of schools allocated to them this year', async () => {
    const ownSchool = [...allocatedNow][0];
    const own = await t.gql(
      `query($id: ID!) { school(id: $id) { currentRiskCategory { category } riskCategoryHistory { category } } }`,
      { id: ownSchool },
      { token: partnerToken },
    );
    expect(own.errors).toBeUndefined();
    expect(own.data!.school.currentRiskCategory.category).toMatch(/^[A-F]\d$/);
    const other = await t.gql(`query($id: ID!) { school(id: $id) { name currentRiskCategory { category } } }`, { id: hidden }, { token: partnerToken });
    expect(other.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(other.data!.school).toEqual({ name: expect.any(String), currentRiskCategory: null });
  });

  it('cannot learn other schools’ categories by filtering on them', async () => {
    const all = ['A4', 'B3', 'C3', 'D1', 'D2', 'D3', 'E1', 'E2', 'F1'];
    const query = `query($c: [RiskCategory!]) { schools(first: 100, filter: { riskCategory: $c }) { totalCount nodes { id } } }`;
    const mine = await t.gql(query, { c: all }, { token: partnerToken });
    expect(mine.errors).toBeUndefined();
    expect(ids(mine.data!.schools.nodes).every((id) => allocatedNow.has(id))).toBe(true);
    const managers = await t.gql(query, { c: all });
    expect(managers.data!.schools.totalCount).toBeGreaterThan(mine.data!.schools.totalCount);
  });
});

describe('a manager', () => {
  it('sees every visit and every risk category', async () => {
    const res = await t.gql(`{ schools(first: 100, filter: { status: [OPEN] }) { nodes { currentRiskCategory { category } } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.schools.nodes.every((s: any) => s.currentRiskCategory)).toBe(true);
    expect((await allVisits()).length).toBe((await t.gql(`{ visits { totalCount } }`)).data!.visits.totalCount);
  });
});

describe('a service (another council system)', () => {
  it('reads visits but never a note that is not yet circulated', async () => {
    const token = await t.serviceToken('Performance dashboard');
    const asManager = await allVisits();
    const asService = await allVisits(token);
    expect(asService.length).toBe(asManager.length);
    const byId = new Map(asService.map((v) => [v.id, v]));
    const uncirculated = asManager.filter((v) => v.note && v.note.status !== 'CIRCULATED');
    const circulated = asManager.filter((v) => v.note?.status === 'CIRCULATED');
    expect(uncirculated.length).toBeGreaterThan(0);
    expect(uncirculated.every((v) => byId.get(v.id).note === null)).toBe(true);
    expect(circulated.every((v) => byId.get(v.id).note?.status === 'CIRCULATED')).toBe(true);
  });

  it('sees risk categories only with the app role granted for them', async () => {
    const query = `query($id: ID!) { school(id: $id) { currentRiskCategory { category } } }`;
    const school = [...allocatedNow][0];
    const without = await t.gql(query, { id: school }, { token: await t.serviceToken('Finance') });
    expect(without.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const filtered = await t.gql(`{ schools(filter: { riskCategory: [A4] }) { totalCount } }`, {}, { token: await t.serviceToken('Finance') });
    expect(filtered.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const withRole = await t.gql(query, { id: school }, { token: await t.serviceToken('Scrutiny', [ServiceRole.READ, ServiceRole.RISK_CATEGORIES]) });
    expect(withRole.errors).toBeUndefined();
    expect(withRole.data!.school.currentRiskCategory.category).toMatch(/^[A-F]\d$/);
  });
});
