import AxeBuilder from '@axe-core/playwright';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PartnerRole } from '../../api/src/partners/partner.enums.js';
import { startTestApp, type TestApp } from '../../api/test/support/test-app.js';
import { ARTIFACTS, isolatedContext, launchBrowser, screenshot, type PageProblems } from './support/browser.js';

/**
 * The Teams tab end to end in headless Chromium, over the real server and a copy of the
 * demo county: My visits, writing a note with a recommendation (autosave, reload),
 * a concurrent edit (conflict shown, nothing lost), sharing, the Team tab, the dark
 * theme through the simulated Teams frame, and axe-core on the three tabs.
 */
describe('Teams tab (end to end)', () => {
  let t: TestApp;
  let browser: Browser;
  let partner: { email: string; id: string; token: string };
  let managerEmail: string;
  let visitId: string;
  const timings: Record<string, number> = {};
  const opened: { context: BrowserContext; problems: PageProblems }[] = [];

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestApp(), launchBrowser()]);
    const p = await t.personWithRole(PartnerRole.PARTNER);
    partner = { email: p.partner.email, id: p.partner.id, token: p.token };
    managerEmail = (await t.personWithRole(PartnerRole.MANAGER)).partner.email;
    // A visit that took place three days ago and has no note yet.
    const me = await t.gql<{ me: { allocations: { school: { id: string } }[] } }>('{ me { allocations { school { id } } } }', {}, { token: partner.token });
    const startsAt = new Date(Date.now() - 3 * 86_400_000);
    startsAt.setUTCHours(9, 0, 0, 0);
    const booked = await t.gql<{ bookVisit: { id: string } }>(
      'mutation ($input: BookVisitInput!) { bookVisit(input: $input) { id } }',
      { input: { schoolId: me.data!.me.allocations[0]!.school.id, type: 'SPRING', startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + 3 * 3_600_000).toISOString() } },
      { token: partner.token },
    );
    expect(booked.errors).toBeUndefined();
    visitId = booked.data!.bookVisit.id;
  });

  afterAll(async () => {
    for (const o of opened) await o.context.close();
    await browser?.close();
    await t?.stop();
    writeFileSync(path.join(ARTIFACTS, 'teams-e2e-timings.json'), JSON.stringify(timings, null, 2));
  });

  async function open(url: string, as: string, options: { colorScheme?: 'light' | 'dark' } = {}): Promise<{ page: Page; problems: PageProblems }> {
    const o = await isolatedContext(browser, options);
    opened.push(o);
    await o.context.addInitScript((email) => {
      // about:blank has no storage; every page of the server's origin gets the person.
      if (location.protocol.startsWith('http') && !localStorage.getItem('sv.devPerson')) localStorage.setItem('sv.devPerson', email);
    }, as);
    await o.context.setDefaultTimeout(60_000);
    const page = await o.context.newPage();
    await page.setViewportSize({ width: 1100, height: 900 });
    await page.goto(`${t.url}${url}`);
    return { page, problems: o.problems };
  }

  async function expectAccessible(page: Page, name: string) {
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${name}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  }

  const noProblems = (problems: PageProblems) => expect(problems.errors).toEqual([]);

  async function note(): Promise<{ id: string; version: number; summary: string | null; purpose: string | null; status: string; recommendations: { action: string }[] }> {
    const r = await t.gql<{ visit: { note: any } }>('query ($id: ID!) { visit(id: $id) { note { id version status summary purpose recommendations { action } } } }', { id: visitId });
    return r.data!.visit.note;
  }

  const saved = (page: Page) => page.locator('[data-testid="save-state"][data-state="saved"]').waitFor();

  it('My visits lists the partner’s visits with the note’s status and due dates, late ones first', async () => {
    const started = Date.now();
    const { page, problems } = await open('/addin/teams/tab.html#/visits', partner.email);
    await page.getByTestId('visits-table').waitFor();
    timings.myVisitsFirstContentMs = Date.now() - started;
    expect(await page.locator('[data-host]').getAttribute('data-host')).toBe('browser');
    const row = page.locator(`tr[data-visit-id="${visitId}"]`);
    await expect(row.getByRole('link', { name: /^Write the note/ }).count()).resolves.toBe(1);
    // Late rows come before any other.
    const lateFlags = await page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.hasAttribute('data-late')));
    expect(lateFlags.indexOf(false) === -1 || !lateFlags.slice(lateFlags.indexOf(false)).includes(true)).toBe(true);
    await expectAccessible(page, 'My visits');
    await screenshot(page, 'teams-my-visits-light');
    // Filter by school: only that school's visits remain.
    const school = page.getByTestId('filter-school');
    const firstSchool = await school.locator('option').nth(1).getAttribute('value');
    await school.selectOption(firstSchool!);
    await page.getByTestId('visits-table').or(page.getByText('No visits in this period.')).waitFor();
    noProblems(problems);
  });

  it('writes a note with a recommendation; autosave survives a reload', async () => {
    const started = Date.now();
    const { page, problems } = await open(`/addin/teams/tab.html#/notes/${visitId}`, partner.email);
    await page.getByTestId('note-summary').waitFor();
    timings.noteEditorOpenMs = Date.now() - started;
    await page.getByTestId('note-summary').fill('Leaders have an accurate view of the school; most pupils make good progress in reading.');
    await page.getByRole('button', { name: 'Add a recommendation' }).click();
    const rec = page.getByTestId('recommendation-1');
    await rec.getByLabel(/^Action/).fill('Sharpen feedback in mathematics so that pupils correct errors in the lesson.');
    await rec.getByLabel(/^Success measure/).fill('Book scrutiny in March shows corrections in most books.');
    await rec.getByLabel(/^Owner \(role/).fill('Mathematics subject leader');
    const due = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);
    await rec.getByLabel(/^Due by/).fill(due);
    const saveStarted = Date.now();
    await saved(page);
    timings.autosaveMs = Date.now() - saveStarted;
    let n = await note();
    expect(n.summary).toContain('most pupils make good progress');
    expect(n.recommendations.map((r) => r.action)).toEqual(['Sharpen feedback in mathematics so that pupils correct errors in the lesson.']);

    // The fifth recommendation is warned about, and never sent.
    for (let i = 0; i < 4; i++) await page.getByRole('button', { name: 'Add a recommendation' }).click();
    await page.getByTestId('fifth-recommendation').waitFor();
    for (let i = 5; i >= 2; i--) await page.getByRole('button', { name: `Remove recommendation ${i}` }).click();
    await expect(page.getByTestId('fifth-recommendation').count()).resolves.toBe(0);

    // Typed, then reloaded before the autosave could land: the text comes back from this device and is saved.
    await saved(page);
    await page.getByTestId('note-summary').fill('Leaders have an accurate view of the school; most pupils make good progress in reading. Typed just before a reload.');
    await page.reload();
    await page.getByTestId('restored').waitFor();
    await expect(page.getByTestId('note-summary').inputValue()).resolves.toContain('Typed just before a reload.');
    await saved(page);
    n = await note();
    expect(n.summary).toContain('Typed just before a reload.');
    await expectAccessible(page, 'Notes');
    await screenshot(page, 'teams-note-light');
    noProblems(problems);
  });

  it('a concurrent edit shows the conflict, keeps both texts, and the partner’s choice is saved', async () => {
    const { page, problems } = await open(`/addin/teams/tab.html#/notes/${visitId}`, partner.email);
    await page.getByTestId('note-summary').waitFor();
    await saved(page);
    // Someone else (the same partner on another device) saves first: a purpose and a different summary.
    const before = await note();
    const theirs = await t.gql(
      'mutation ($id: ID!, $v: Int!, $input: UpdateNoteInput!) { updateNote(id: $id, expectedVersion: $v, input: $input) { version } }',
      { id: before.id, v: before.version, input: { purpose: 'Their purpose: spring visit on the quality of provision.', summary: 'Their summary written on the laptop.' } },
      { token: partner.token },
    );
    expect(theirs.errors).toBeUndefined();
    // This tab still has the older version: its edit is refused and the conflict is shown.
    await page.getByTestId('note-summary').fill('My summary written in Teams: leaders evaluate teaching accurately.');
    await page.getByTestId('conflict').waitFor();
    await expect(page.getByTestId('conflict-mine').inputValue()).resolves.toContain('My summary written in Teams');
    await expect(page.getByTestId('conflict-theirs').inputValue()).resolves.toContain('Their summary written on the laptop.');
    // Their purpose (a section only they changed) is already combined into mine.
    await expect(page.getByLabel('Purpose and context of the visit').inputValue()).resolves.toBe('Their purpose: spring visit on the quality of provision.');
    await screenshot(page, 'teams-note-conflict');
    await page.getByRole('button', { name: 'Keep mine (save over theirs)' }).click();
    await saved(page);
    const after = await note();
    expect(after.summary).toBe('My summary written in Teams: leaders evaluate teaching accurately.');
    expect(after.purpose).toBe('Their purpose: spring visit on the quality of provision.');
    expect(after.recommendations).toHaveLength(1);
    expect(after.version).toBeGreaterThan(before.version + 1);
    noProblems(problems);
  });

  it('shares the note with the headteacher', { timeout: 90_000 }, async () => {
    const { page, problems } = await open(`/addin/teams/tab.html#/notes/${visitId}`, partner.email);
    await page.getByTestId('note-summary').waitFor();
    // The judgements grid: achievement graded differently from the school (with the reason); other headings left out.
    const achievement = page.locator('fieldset[data-area="ACHIEVEMENT"]');
    await achievement.getByLabel("School's grade").selectOption('2');
    await achievement.getByLabel("Partner's grade").selectOption('3');
    await achievement.getByLabel("Why your grade differs from the school's").fill('Attainment in mathematics at the end of Key Stage 2 is below the school’s own estimate.');
    for (const area of ['QUALITY_OF_TEACHING', 'BEHAVIOUR_AND_SAFETY', 'LEADERSHIP_AND_MANAGEMENT', 'OVERALL_EFFECTIVENESS']) {
      const box = page.locator(`fieldset[data-area="${area}"]`).getByRole('checkbox').first();
      if (await box.isChecked()) await box.uncheck();
    }
    // Carried recommendations must be reviewed before sharing.
    const reviews = page.locator('section[aria-labelledby="note-reviews"] select');
    for (let i = 0; i < (await reviews.count()); i++) await reviews.nth(i).selectOption('IN_PROGRESS');
    await saved(page);
    await page.getByRole('button', { name: 'Share with the headteacher' }).click();
    await page.getByTestId('workflow-done').or(page.locator('[data-error-code]')).first().waitFor();
    expect(await page.locator('[data-error-code]').allTextContents()).toEqual([]);
    await expect(page.getByTestId('note-status').textContent()).resolves.toMatch(/Shared/);
    expect((await note()).status).toBe('SHARED');
    const judged = await t.gql<{ visit: { note: { judgements: { area: string; schoolGrade: number; partnerGrade: number; disagreementReason: string }[] } } }>(
      'query ($id: ID!) { visit(id: $id) { note { judgements { area schoolGrade partnerGrade disagreementReason } } } }',
      { id: visitId },
    );
    expect(judged.data!.visit.note.judgements).toEqual([
      { area: 'ACHIEVEMENT', schoolGrade: 2, partnerGrade: 3, disagreementReason: 'Attainment in mathematics at the end of Key Stage 2 is below the school’s own estimate.' },
    ]);
    await screenshot(page, 'teams-note-shared');
    noProblems(problems);
  });

  it('the Team tab shows a manager late notes, disputed notes and allocation days', async () => {
    const { page, problems } = await open('/addin/teams/tab.html#/team', managerEmail);
    await page.getByTestId('allocations').waitFor();
    await expect(page.getByRole('heading', { name: 'Disputed notes to moderate' }).count()).resolves.toBe(1);
    await expect(page.getByRole('heading', { name: 'Late notes by partner' }).count()).resolves.toBe(1);
    expect(await page.getByTestId('allocations').locator('tbody tr').count()).toBeGreaterThan(0);
    await expectAccessible(page, 'Team');
    await screenshot(page, 'teams-team-light');
    noProblems(problems);
  });

  it('in the simulated Teams frame: the tab opens from the host context and follows the theme to dark', async () => {
    const { page, problems } = await open(`/dev/teams?page=notes&subPage=${visitId}`, partner.email);
    const tab = page.frameLocator('[data-testid="teams-frame"]');
    await tab.getByTestId('note-status').waitFor();
    await expect(tab.locator('[data-host]').getAttribute('data-host')).resolves.toBe('simulated');
    await expect(tab.locator('[data-theme]').getAttribute('data-theme')).resolves.toBe('light');
    await page.getByTestId('teams-theme').selectOption('dark');
    await tab.locator('[data-theme="dark"]').waitFor();
    await screenshot(page, 'teams-note-dark');
    await page.getByRole('button', { name: 'My visits' }).click();
    await tab.getByTestId('visits-table').waitFor();
    await expect(tab.locator('[data-theme]').getAttribute('data-theme')).resolves.toBe('dark');
    await screenshot(page, 'teams-my-visits-dark');
    noProblems(problems);
  });
});
