import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Allocation } from '../src/partners/allocation.entity.js';
import { PartnerRole } from '../src/partners/partner.enums.js';
import { academicYearOf } from '../src/platform/dates/academic-year.js';
import { RiskCategoryAssessment } from '../src/schools/risk-category-assessment.entity.js';
import { School } from '../src/schools/school.entity.js';
import { Visit } from '../src/visits/visit.entity.js';
import { VisitStatus } from '../src/visits/visit.enums.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { testClock, testToday } from './support/test-clock.js';

/**
 * The school's card in the Outlook pane (issue 22): one query for the register's details, the
 * risk category where the signed-in person may see it (otherwise null, never an error), this
 * academic year's allocations with days used and left, the last visit and the open
 * recommendations of circulated notes. Expected values are worked out here from the database,
 * not copied from the answer.
 */
let t: TestApp;
let partner: { id: string; token: string };

const CARD = /* GraphQL */ `
  query Card($id: ID!) {
    school(id: $id) {
      id
      name
      dfeNumber
      phase
      lastOfstedGrade
      lastOfstedDate
      headteacher {
        name
        email
      }
      chairOfGovernors {
        name
        email
      }
      recordsVisible
      visibleRiskCategory {
        category
        effectiveFrom
      }
      currentAllocations {
        academicYear
        days
        daysSpent
        daysRemaining
        partner {
          id
          name
        }
      }
      lastVisit {
        id
        startsAt
        type
        leadPartner {
          name
        }
        note {
          status
        }
      }
      openRecommendations(first: 3) {
        totalCount
        nodes {
          action
          ownerRole
          dueOn
        }
      }
    }
  }
`;

const em = () => t.app.orm.em.fork();
const thisYear = () => academicYearOf(testToday());

/** The school's latest assessment, as the register of assessments has it. */
async function latestAssessment(schoolId: string) {
  const all = await em().find(RiskCategoryAssessment, { school: schoolId }, { orderBy: { effectiveFrom: 'desc', createdAt: 'desc' } });
  return all[0] ?? null;
}

/** Open recommendations of the school's circulated notes, counted with the ORM. */
async function openRecommendationsOf(schoolId: string) {
  const rows: { due_on: string }[] = await em()
    .getConnection()
    .execute(
      `select r.due_on::text as due_on from recommendation r join note_of_visit n on n.id = r.note_id join visit v on v.id = n.visit_id
        where v.school_id = ? and n.status = 'circulated' and r.status = 'open' order by r.due_on`,
      [schoolId],
    );
  return rows.map((r) => r.due_on);
}

async function card(schoolId: string, token?: string) {
  const res = await t.gql(CARD, { id: schoolId }, token ? { token } : {});
  expect(res.errors).toBeUndefined();
  return res.data!.school;
}

beforeAll(async () => {
  t = await startTestApp({ config: { auth: { signInCacheSeconds: 0 } as never } });
  const p = await t.personWithRole(PartnerRole.PARTNER);
  partner = { id: p.partner.id, token: p.token };
});
afterAll(() => t?.stop());

describe("the school's card", () => {
  it("shows a partner's own school: category, allocation days used and left, last visit, open recommendations", async () => {
    const allocations = await em().find(Allocation, { partner: partner.id, academicYear: thisYear() }, { populate: ['school'] });
    // One of the partner's schools this year with an assessment and open recommendations (the demo county has several).
    let chosen: { school: School; assessment: RiskCategoryAssessment; open: string[] } | null = null;
    for (const a of allocations) {
      const assessment = await latestAssessment(a.school.id);
      const open = await openRecommendationsOf(a.school.id);
      if (assessment && open.length > 0) {
        chosen = { school: a.school.getEntity(), assessment, open };
        break;
      }
    }
    expect(chosen, 'a school of the partner with a risk category and open recommendations').not.toBeNull();
    const { school, assessment, open } = chosen!;

    const c = await card(school.id, partner.token);
    expect(c.name).toBe(school.name);
    expect(c.dfeNumber).toBe(school.dfeNumber);
    expect(c.lastOfstedGrade).toBe(school.lastOfstedGrade);
    expect(c.headteacher.name).toBe(school.headteacher!.name);
    expect(c.recordsVisible).toBe(true);
    expect(c.visibleRiskCategory).toEqual({ category: assessment.category, effectiveFrom: assessment.effectiveFrom });

    // This academic year's allocations only, used = the year's visits not cancelled, left = allocated less used.
    expect(c.currentAllocations.length).toBeGreaterThan(0);
    expect(c.currentAllocations.every((a: any) => a.academicYear === thisYear())).toBe(true);
    const mine = c.currentAllocations.find((a: any) => a.partner.id === partner.id);
    const visits = await em().find(Visit, {
      school: school.id,
      leadPartner: partner.id,
      status: { $ne: VisitStatus.CANCELLED },
      startsAt: { $gte: new Date(`${thisYear().slice(0, 4)}-09-01T00:00:00+01:00`) },
    });
    const used = visits.reduce((sum, v) => sum + Number(v.inSchoolDays) + Number(v.outOfSchoolDays), 0);
    expect(mine.daysSpent).toBeCloseTo(used, 5);
    expect(mine.daysRemaining).toBeCloseTo(mine.days - used, 5);

    // The last visit: the latest not cancelled that has started by now (the suite's clock).
    const [last] = await em().find(
      Visit,
      { school: school.id, status: { $ne: VisitStatus.CANCELLED }, startsAt: { $lte: testClock.now() } },
      { orderBy: { startsAt: 'desc' }, limit: 1 },
    );
    expect(c.lastVisit?.id).toBe(last!.id);

    // Soonest due first, three of them, with the total for "and N more".
    expect(c.openRecommendations.totalCount).toBe(open.length);
    expect(c.openRecommendations.nodes.map((r: any) => r.dueOn)).toEqual(open.slice(0, 3));
    expect(c.openRecommendations.nodes[0].ownerRole).toBeTruthy();
  });

  it('leaves out a future or cancelled visit as the last one', async () => {
    const [school] = await em().find(Allocation, { partner: partner.id, academicYear: thisYear() }, { limit: 1 });
    const before = await card(school!.school.id, partner.token);
    // A visit booked for next week is not the last visit; neither is one cancelled yesterday.
    const next = new Date(testClock.now().getTime() + 7 * 86_400_000);
    const booked = await t.gql(
      `mutation($input: BookVisitInput!) { bookVisit(input: $input) { id version } }`,
      {
        input: {
          schoolId: school!.school.id,
          type: 'OTHER',
          startsAt: next.toISOString(),
          endsAt: new Date(next.getTime() + 3_600_000).toISOString(),
        },
      },
      { token: partner.token },
    );
    expect(booked.errors).toBeUndefined();
    const after = await card(school!.school.id, partner.token);
    expect(after.lastVisit?.id).toBe(before.lastVisit?.id);
    expect(after.lastVisit?.id).not.toBe(booked.data!.bookVisit.id);

    // One held this morning is the last visit, until it is cancelled.
    const start = new Date(testClock.now().getTime() - 2 * 3_600_000);
    const held = await t.gql(
      `mutation($input: BookVisitInput!) { bookVisit(input: $input) { id version } }`,
      { input: { schoolId: school!.school.id, type: 'OTHER', startsAt: start.toISOString(), endsAt: new Date(start.getTime() + 3_600_000).toISOString() } },
      { token: partner.token },
    );
    expect(held.errors).toBeUndefined();
    expect((await card(school!.school.id, partner.token)).lastVisit?.id).toBe(held.data!.bookVisit.id);
    const cancelled = await t.gql(
      `mutation($id: ID!, $v: Int!) { cancelVisit(id: $id, expectedVersion: $v, reason: "The school closed for snow.") { id status } }`,
      { id: held.data!.bookVisit.id, v: held.data!.bookVisit.version },
      { token: partner.token },
    );
    expect(cancelled.errors).toBeUndefined();
    expect((await card(school!.school.id, partner.token)).lastVisit?.id).toBe(before.lastVisit?.id);
  });

  it('shows no risk category, and no error, to a partner whose school is not allocated to them this year; a manager sees it', async () => {
    // A school with an assessment that the partner had last year but not this year (their records are still open to them).
    const lastYears = await em().find(Allocation, { partner: partner.id }, { populate: ['school'] });
    const current = new Set(lastYears.filter((a) => a.academicYear === thisYear()).map((a) => a.school.id));
    let target: string | null = null;
    for (const a of lastYears) {
      if (current.has(a.school.id)) continue;
      if (await latestAssessment(a.school.id)) {
        target = a.school.id;
        break;
      }
    }
    expect(target, 'a school allocated to the partner last year only, with an assessment').not.toBeNull();
    const assessment = (await latestAssessment(target!))!;

    const asPartner = await card(target!, partner.token);
    expect(asPartner.visibleRiskCategory).toBeNull();
    expect(asPartner.name).toBeTruthy(); // the rest of the card is there
    // The confidential field itself still refuses: the card's field hides, it does not open.
    const direct = await t.gql(`query($id: ID!) { school(id: $id) { currentRiskCategory { category } } }`, { id: target }, { token: partner.token });
    expect(direct.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const asManager = await card(target!);
    expect(asManager.visibleRiskCategory).toEqual({ category: assessment.category, effectiveFrom: assessment.effectiveFrom });
  });

  it("hides a school's last visit and open recommendations from a partner who may not see its records, without an error", async () => {
    const schools = await em().find(School, {}, { orderBy: { name: 'asc' }, limit: 300 });
    const mineEver = new Set((await em().find(Allocation, { partner: partner.id })).map((a) => a.school.id));
    let other: string | null = null;
    for (const s of schools) {
      if (mineEver.has(s.id)) continue;
      if ((await openRecommendationsOf(s.id)).length && (await latestAssessment(s.id))) {
        other = s.id;
        break;
      }
    }
    expect(other, 'a school the partner has never had, with notes and an assessment').not.toBeNull();
    const asPartner = await card(other!, partner.token);
    expect(asPartner.recordsVisible).toBe(false);
    expect(asPartner.lastVisit).toBeNull();
    expect(asPartner.openRecommendations).toBeNull();
    expect(asPartner.visibleRiskCategory).toBeNull();
    expect(asPartner.headteacher.name).toBeTruthy();

    const asManager = await card(other!);
    expect(asManager.recordsVisible).toBe(true);
    expect(asManager.lastVisit).not.toBeNull();
    expect(asManager.openRecommendations.totalCount).toBeGreaterThan(0);
    expect(asManager.visibleRiskCategory).not.toBeNull();
  });

  it('refuses a list length a card does not need', async () => {
    const [a] = await em().find(Allocation, { partner: partner.id }, { limit: 1 });
    const res = await t.gql(
      `query($id: ID!) { school(id: $id) { openRecommendations(first: 500) { totalCount } } }`,
      { id: a!.school.id },
      { token: partner.token },
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('costs the same number of SQL statements for 5 schools as for 25 (no query per school)', async () => {
    const cardOfList = CARD.replace(
      'query Card($id: ID!) {\n    school(id: $id) {',
      'query Cards($first: Int!) {\n    schools(first: $first) { nodes {',
    ).replace(/\n {2}}\n$/, '\n  } }\n');
    const count = async (first: number) => {
      t.sql.length = 0;
      const res = await t.gql(cardOfList, { first }, { token: partner.token });
      expect(res.errors).toBeUndefined();
      expect(res.data!.schools.nodes.length).toBe(first);
      return t.sql.length;
    };
    // Each counted twice, the fewer kept: a statement of the app's own background work (the webhooks' or the
    // notifications' turn) may land in one count; a query per school would be in both, twenty more for 25.
    const few = Math.min(await count(5), await count(5));
    const many = Math.min(await count(25), await count(25));
    expect(many).toBe(few);
  });
});
