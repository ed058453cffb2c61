import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PartnerRole } from '../../api/src/partners/partner.enums.js';
import { startTestApp, type TestApp } from '../../api/test/support/test-app.js';
import { expectAccessible } from './support/axe.js';
import { ARTIFACTS, isolatedContext, launchBrowser, screenshot, type PageProblems } from './support/browser.js';

/**
 * The school's page in the Teams app (issue 22, acceptance 3), end to end in headless Chromium over
 * the demo county: the school's details, its judgements over time as an SVG chart (a point per
 * graded heading per circulated note) with the same figures in a table, its recommendations with
 * their progress, its visits; reached from the Team tab; axe on the page, in light and dark.
 */
describe('the school page (end to end)', () => {
  let t: TestApp;
  let browser: Browser;
  let managerEmail: string;
  let schoolId: string;
  let schoolName: string;
  type Point = { noteId: string; area: string; partnerGrade: number | null; insufficientEvidence: boolean };
  let history: Point[];
  let recommendations: { id: string; dueOn: string; reviews: unknown[] }[];
  const opened: BrowserContext[] = [];

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestApp(), launchBrowser()]);
    managerEmail = (await t.personWithRole(PartnerRole.MANAGER)).partner.email;
    // A school with several circulated notes that graded headings (the most varied grades), and recommendations reviewed later.
    const rows = await t.app.orm.em
      .fork()
      .getConnection()
      .execute<{ school_id: string }[]>(
        `select v.school_id from note_of_visit n join visit v on v.id = n.visit_id
           join judgement j on j.note_id = n.id and j.partner_grade is not null
          where n.status = 'circulated'
            and exists (select 1 from recommendation r join recommendation_review rr on rr.recommendation_id = r.id
                         join note_of_visit rn on rn.id = r.note_id join visit rv on rv.id = rn.visit_id where rv.school_id = v.school_id)
          group by v.school_id having count(distinct n.id) >= 2
          order by count(distinct j.partner_grade) desc, count(distinct n.id) desc, v.school_id limit 1`,
      );
    schoolId = rows[0]!.school_id;
    const res = await t.gql<{
      school: { name: string; judgementHistory: Point[]; recommendations: { id: string; dueOn: string; reviews: unknown[] }[] };
    }>(
      'query ($id: ID!) { school(id: $id) { name judgementHistory { noteId area partnerGrade insufficientEvidence } recommendations { id dueOn reviews { noteId } } } }',
      { id: schoolId },
    );
    expect(res.errors).toBeUndefined();
    ({ name: schoolName, judgementHistory: history, recommendations } = res.data!.school);
  });

  afterAll(async () => {
    for (const c of opened) await c.close();
    await browser?.close();
    await t?.stop();
  });

  async function open(url: string, as: string, colorScheme: 'light' | 'dark' = 'light'): Promise<{ page: Page; problems: PageProblems }> {
    const o = await isolatedContext(browser, { colorScheme });
    opened.push(o.context);
    await o.context.addInitScript((email) => {
      if (location.protocol.startsWith('http') && !localStorage.getItem('sv.devPerson')) localStorage.setItem('sv.devPerson', email);
    }, as);
    o.context.setDefaultTimeout(60_000);
    const page = await o.context.newPage();
    await page.setViewportSize({ width: 1100, height: 900 });
    await page.goto(`${t.url}${url}`);
    return { page, problems: o.problems };
  }

  it('shows the judgements over time as a chart with a point per graded heading per note, and the same figures in its table', { timeout: 90_000 }, async () => {
    const { page, problems } = await open(`/addin/teams/tab.html#/schools/${schoolId}`, managerEmail);
    await page.getByTestId('judgement-chart').waitFor();
    await expect(page.getByRole('heading', { level: 2, name: schoolName }).count()).resolves.toBe(1);

    const graded = history.filter((p) => p.partnerGrade !== null);
    const svg = page.getByTestId('judgement-chart').locator('svg[role="img"]');
    // one image, named and described; which way is better is said
    await expect(svg.count()).resolves.toBe(1);
    const name = await svg.evaluate((el) =>
      (el.getAttribute('aria-labelledby') ?? '')
        .split(' ')
        .map((id) => document.getElementById(id)?.textContent ?? '')
        .join(' | '),
    );
    expect(name).toContain(`Judgements over time at ${schoolName}`);
    expect(name).toMatch(/Grade 1 \(outstanding\) is at the top .*higher is better/);

    const points = await svg
      .locator('[data-point]')
      .evaluateAll((els) => els.map((el) => `${el.getAttribute('data-note-id')}|${el.getAttribute('data-area')}|${el.getAttribute('data-grade')}`));
    expect(points.sort()).toEqual(graded.map((p) => `${p.noteId}|${p.area}|${p.partnerGrade}`).sort());

    // the table beside it: a row per note, a graded cell per point, the same grades
    const table = page.getByTestId('judgement-table');
    const cells = await table
      .locator('tbody tr')
      .evaluateAll((rows) =>
        rows.flatMap((row) =>
          [...row.querySelectorAll('[data-area][data-grade]')].map(
            (c) => `${row.getAttribute('data-note-id')}|${c.getAttribute('data-area')}|${c.getAttribute('data-grade')}`,
          ),
        ),
      );
    expect(cells.sort()).toEqual(points.sort());
    await expect(table.locator('tbody tr').count()).resolves.toBe(new Set(history.map((p) => p.noteId)).size);
    // a grade reads in words in the table
    const labels: Record<number, string> = { 1: '1 Outstanding', 2: '2 Good', 3: '3 Requires improvement', 4: '4 Inadequate' };
    const first = graded[0]!;
    await expect(table.locator(`tr[data-note-id="${first.noteId}"] [data-area="${first.area}"]`).textContent()).resolves.toBe(labels[first.partnerGrade!]);

    // recommendations with their owner, due date in words, status and progress
    const recs = page.getByTestId('school-recommendations');
    await expect(recs.locator('tbody tr').count()).resolves.toBe(recommendations.length);
    const reviewed = recommendations.find((r) => r.reviews.length)!;
    const row = recs.locator(`tr[data-recommendation-id="${reviewed.id}"]`);
    await expect(row.locator('[data-column="due"]').textContent()).resolves.toMatch(/^\w{3}, \d{1,2} \w{3} \d{4}$/);
    await expect(row.locator('[data-column="progress"] li').count()).resolves.toBe(reviewed.reviews.length);

    // the visits, each linking to its note where there is one
    await expect(page.getByTestId('school-visits').locator('tbody tr').count()).resolves.toBeGreaterThan(0);

    await expectAccessible(page, 'School page');
    await screenshot(page, 'teams-school-page-light');
    await page.getByTestId('judgement-chart').screenshot({ path: path.join(ARTIFACTS, 'teams-school-chart.png') });
    expect(problems.errors).toEqual([]);
  });

  it('is reached from the Team tab, and passes axe in the dark theme', { timeout: 90_000 }, async () => {
    const { page, problems } = await open('/addin/teams/tab.html?theme=dark#/team', managerEmail, 'dark');
    await page.getByTestId('allocations').waitFor();
    const link = page.getByTestId('allocations').getByRole('link', { name: schoolName }).first();
    if (await link.count()) {
      await link.click();
    } else {
      // not allocated this year: any school's link in the table leads to a school page
      await page.getByTestId('allocations').locator('tbody th a').first().click();
    }
    await page.getByTestId('school-page').waitFor();
    await page.getByTestId('judgement-chart').or(page.getByText('No circulated note of this school has a graded judgement yet.')).waitFor();
    expect(page.url()).toMatch(/#\/schools\/[0-9a-f-]{36}$/);
    await expectAccessible(page, 'School page, dark');
    await screenshot(page, 'teams-school-page-dark');
    expect(problems.errors).toEqual([]);
  });

  it('lets a senior adviser record a new risk category, kept with the history, and shows it to no partner', { timeout: 90_000 }, async () => {
    const { page, problems } = await open(`/addin/teams/tab.html#/schools/${schoolId}`, managerEmail);
    const section = page.getByTestId('school-risk-category');
    await section.waitFor();
    const history = section.getByTestId('risk-category-history').locator('tbody tr');
    await history.first().waitFor();
    const before = await history.count();
    const current = await t.gql<{ school: { currentRiskCategory: { category: string; effectiveFrom: string } } }>(
      'query ($id: ID!) { school(id: $id) { currentRiskCategory { category effectiveFrom } } }',
      { id: schoolId },
    );
    const next = current.data!.school.currentRiskCategory.category === 'A4' ? 'B3' : 'A4';
    await section.getByRole('combobox', { name: 'New category' }).selectOption(next);
    // the form starts on the day the category may take effect from (today, or the current category's date if later)
    await expect(section.getByTestId('risk-effective-from').inputValue()).resolves.toMatch(/^\d{4}-\d\d-\d\d$/);
    await section.getByRole('textbox', { name: /Rationale/ }).fill('Two years of falling outcomes; a new headteacher starts in January.');
    await section.getByRole('button', { name: 'Record assessment' }).click();
    await expect.poll(() => section.getByTestId('risk-outcome').textContent()).toMatch(new RegExp(`^Recorded: ${next} from `));
    await expect.poll(() => history.count()).toBe(before + 1);
    await expect.poll(() => section.getByTestId('risk-current').textContent()).toMatch(new RegExp(`^${next}, `));
    const after = await t.gql<{ school: { currentRiskCategory: { category: string; rationale: string } } }>(
      'query ($id: ID!) { school(id: $id) { currentRiskCategory { category rationale } } }',
      { id: schoolId },
    );
    expect(after.data!.school.currentRiskCategory).toEqual({
      category: next,
      rationale: 'Two years of falling outcomes; a new headteacher starts in January.',
    });
    await expectAccessible(page, 'School page, risk category');
    await screenshot(page, 'teams-school-risk-category');
    expect(problems.errors).toEqual([]);

    // a partner of the school sees its records, never the form
    const lead = await t.app.orm.em
      .fork()
      .getConnection()
      .execute<{ email: string }[]>(
        `select p.email from visit v join partner p on p.id = v.lead_partner_id where v.school_id = ? and p.role = 'partner' limit 1`,
        [schoolId],
      );
    const partner = await open(`/addin/teams/tab.html#/schools/${schoolId}`, lead[0]!.email);
    await partner.page.getByTestId('school-visits').waitFor();
    await expect(partner.page.getByTestId('school-risk-category').count()).resolves.toBe(0);
  });

  it('tells a partner without access to the school’s records why, under the details anyone may read', { timeout: 60_000 }, async () => {
    const partners = await t.app.orm.em
      .fork()
      .getConnection()
      .execute<{ email: string }[]>(
        `select p.email from partner p where p.role = 'partner' and p.active
            and not exists (select 1 from allocation a where a.partner_id = p.id and a.school_id = ?)
            and not exists (select 1 from visit v where v.lead_partner_id = p.id and v.school_id = ?)
            and not exists (select 1 from visit_attendee x join visit v on v.id = x.visit_id where x.partner_id = p.id and v.school_id = ?)
          order by p.name limit 1`,
        [schoolId, schoolId, schoolId],
      );
    const { page, problems } = await open(`/addin/teams/tab.html#/schools/${schoolId}`, partners[0]!.email);
    await page.getByTestId('school-page').waitFor();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toMatch(/allocated to you/);
    await expect(page.getByText('DfE number').count()).resolves.toBe(1);
    await expectAccessible(page, 'School page without access');
    expect(problems.errors.filter((e) => !/FORBIDDEN|403/.test(e))).toEqual([]);
  });
});
