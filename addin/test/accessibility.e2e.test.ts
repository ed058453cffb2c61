import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PartnerRole } from '../../api/src/partners/partner.enums.js';
import { startTestApp, type TestApp } from '../../api/test/support/test-app.js';
import { testClock } from '../../api/test/support/test-clock.js';
import { expectAccessible } from './support/axe.js';
import { isolatedContext, launchBrowser, screenshot, type PageProblems } from './support/browser.js';
import { focusOutline, hasFocus, tabTo } from './support/keyboard.js';

/**
 * WCAG 2.2 AA in the Teams tab and the Outlook pane, in headless Chromium over the real
 * server: keyboard-only booking and note writing (Tab, Shift+Tab, Enter, Space, arrows and
 * typing: no clicks), axe with the WCAG 2.0/2.1/2.2 A and AA rules on every state visited,
 * one h1 per page, focus moving to what was added, no control wider than its card or the
 * page at 1280 and 350 px, and the tab still working after the sign-in dropdown was opened.
 */
describe('accessibility of the tab and the pane (end to end)', () => {
  let t: TestApp;
  let browser: Browser;
  let partner: { email: string; name: string; token: string };
  let schools: string[] = [];
  const opened: BrowserContext[] = [];

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestApp(), launchBrowser()]);
    const p = await t.personWithRole(PartnerRole.PARTNER);
    partner = { email: p.partner.email, name: p.partner.name, token: p.token };
    const me = await t.gql<{ me: { allocations: { school: { id: string } }[] } }>('{ me { allocations { school { id } } } }', {}, { token: partner.token });
    schools = [...new Set(me.data!.me.allocations.map((a) => a.school.id))];
  });

  afterAll(async () => {
    for (const c of opened) await c.close();
    await browser?.close();
    await t?.stop();
  });

  /** A page of the server's as the partner, at a width, with the fake Office answering the pane's appointment. */
  async function open(url: string, width: number, appointment?: Record<string, unknown>): Promise<{ page: Page; problems: PageProblems }> {
    const { context, problems } = await isolatedContext(browser);
    opened.push(context);
    await context.addInitScript(
      ({ email, name, appointment }) => {
        if (!location.protocol.startsWith('http')) return; // about:blank has no storage
        localStorage.setItem('sv.devPerson', email);
        if (appointment) (window as any).__SV_FAKE_OFFICE__ = { user: { emailAddress: email, displayName: name }, appointment };
      },
      { email: partner.email, name: partner.name, appointment },
    );
    const page = await context.newPage();
    // A step that never happens fails with the step named, well inside the test's own timeout.
    page.setDefaultTimeout(30_000);
    await page.setViewportSize({ width, height: 900 });
    await page.goto(`${t.url}${url}`);
    return { page, problems };
  }

  /** A visit of the partner's some days ago (optionally booked from an Outlook appointment), with no note yet. */
  async function pastVisit(schoolIndex: number, daysAgo: number, itemId?: string): Promise<string> {
    const startsAt = new Date(testClock.now().getTime() - daysAgo * 86_400_000);
    startsAt.setUTCHours(9, 0, 0, 0);
    const booked = await t.gql<{ bookVisit: { id: string } }>(
      'mutation ($input: BookVisitInput!) { bookVisit(input: $input) { id } }',
      {
        input: {
          schoolId: schools[schoolIndex % schools.length],
          type: 'SPRING',
          startsAt: startsAt.toISOString(),
          endsAt: new Date(startsAt.getTime() + 3 * 3_600_000).toISOString(),
          ...(itemId ? { appointment: { itemId, organiserEmail: partner.email } } : {}),
        },
      },
      { token: partner.token },
    );
    expect(booked.errors).toBeUndefined();
    return booked.data!.bookVisit.id;
  }

  /** A focus outline at least 2 px wide (WCAG 2.4.13's minimum area, in the theme's focus colour). */
  const RING = /^([2-9]|\d\d)(\.\d+)?px solid$/;
  const oneH1 = async (page: Page) => expect(await page.locator('h1').count()).toBe(1);
  const saved = (page: Page) => page.locator('[data-testid="save-state"][data-state="saved"]').waitFor();

  /**
   * Every control (its Fluent frame and the native element) whose box leaves its card (the
   * fieldset it is in) or the page; a table scrolls on its own and is left out. Empty when all fit.
   */
  const overflowing = (page: Page) =>
    page.evaluate(() => {
      const CONTROLS = 'input, select, textarea, button, .fui-Select, .fui-Input, .fui-Textarea, .fui-Combobox, .fui-Dropdown';
      const pageWidth = document.documentElement.clientWidth;
      const out: string[] = [];
      const name = (el: Element) =>
        (el.getAttribute('aria-label') ?? (el as HTMLInputElement).labels?.[0]?.textContent ?? el.textContent?.trim().slice(0, 40)) || el.className;
      for (const el of document.querySelectorAll<HTMLElement>(CONTROLS)) {
        const box = el.getBoundingClientRect();
        if (!box.width || !box.height || el.closest('.sv-table-wrap, .sv-visually-hidden')) continue;
        const card = el.closest('fieldset');
        if (card) {
          const c = card.getBoundingClientRect();
          if (box.left < c.left - 0.5 || box.right > c.right + 0.5) {
            out.push(
              `"${name(el)}" leaves its card "${card.querySelector('legend')?.textContent}" (${Math.round(box.left)}–${Math.round(box.right)} in ${Math.round(c.left)}–${Math.round(c.right)})`,
            );
          }
        }
        if (box.left < -0.5 || box.right > pageWidth + 0.5)
          out.push(`"${name(el)}" goes past the edge of the page (${Math.round(box.left)}–${Math.round(box.right)} in 0–${pageWidth})`);
      }
      if (document.documentElement.scrollWidth > pageWidth) out.push(`the page scrolls sideways (${document.documentElement.scrollWidth} px in ${pageWidth})`);
      return out;
    });

  it('the tab keeps working after the development sign-in dropdown was opened (its popup layer does not cover the page)', { timeout: 90_000 }, async () => {
    const { page, problems } = await open('/addin/teams/tab.html#/visits', 1280);
    await page.getByTestId('visits-table').waitFor();
    const signIn = page.getByRole('combobox', { name: /Development sign-in/ });
    await signIn.click();
    await page.getByRole('listbox').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('listbox').waitFor({ state: 'hidden' });
    // Fluent's popup layer (a portal on the body) took the page's class: a full-height opaque layer over everything.
    expect(await page.locator('body > [data-portal-node] .sv-app, body > .sv-app, body > [data-portal-node].sv-app').count()).toBe(0);
    const heading = page.getByRole('heading', { name: 'My visits', exact: true });
    const box = (await heading.boundingBox())!;
    expect(await page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.textContent, { x: box.x + 5, y: box.y + box.height / 2 })).toBe('My visits');
    await screenshot(page, 'a11y-tab-after-sign-in-dropdown');
    // And it still takes clicks: the Team tab opens.
    await page.getByRole('link', { name: 'Team', exact: true }).click({ timeout: 5_000 });
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#/team');
    expect(problems.errors).toEqual([]);
  });

  it('no control leaves its card or the page at 1280 px (tab) and 350 px (tab and pane)', { timeout: 180_000 }, async () => {
    const visit = await pastVisit(0, 3, 'AAMkA11yLayout');
    for (const width of [1280, 350]) {
      const tab = await open(`/addin/teams/tab.html#/notes/${visit}`, width);
      await tab.page.getByTestId('note-summary').waitFor();
      await saved(tab.page);
      await tab.page.locator('fieldset[data-area="ACHIEVEMENT"] select').first().waitFor();
      expect(await overflowing(tab.page), `tab, note, ${width} px`).toEqual([]);
      await oneH1(tab.page);
      await screenshot(tab.page, `a11y-tab-note-${width}`);
      await tab.page.goto(`${t.url}/addin/teams/tab.html#/visits`);
      await tab.page.getByTestId('visits-table').waitFor();
      expect(await overflowing(tab.page), `tab, my visits, ${width} px`).toEqual([]);
      await oneH1(tab.page);
      await expectAccessible(tab.page, `My visits at ${width} px`);
      await screenshot(tab.page, `a11y-tab-visits-${width}`);
    }
    const pane = await open('/addin/outlook/taskpane.html', 350, { surface: 'organiser', itemId: 'AAMkA11yLayout' });
    // The tab above started the note: the pane offers to open it.
    const openNote = pane.page.getByRole('button', { name: /^(Write|Open) the note of visit$/ });
    await openNote.waitFor();
    expect(await overflowing(pane.page), 'pane, linked visit').toEqual([]);
    await oneH1(pane.page);
    await expectAccessible(pane.page, 'Pane: linked visit');
    await screenshot(pane.page, 'a11y-pane-linked-350');
    await openNote.press('Enter');
    await pane.page.getByTestId('note-summary').waitFor();
    await saved(pane.page);
    expect(await overflowing(pane.page), 'pane, note').toEqual([]);
    await oneH1(pane.page);
    await expectAccessible(pane.page, 'Pane: note editor');
    await screenshot(pane.page, 'a11y-pane-note-350');
  });

  it('the note editor and My visits pass axe in the dark and high-contrast themes', { timeout: 180_000 }, async () => {
    const visit = await pastVisit(2, 4);
    for (const theme of ['dark', 'contrast']) {
      const { page, problems } = await open(`/addin/teams/tab.html?theme=${theme}#/notes/${visit}`, 1280);
      await page.getByTestId('note-summary').waitFor();
      await saved(page);
      expect(await page.locator('[data-theme]').getAttribute('data-theme')).toBe(theme);
      await expectAccessible(page, `Tab: note, ${theme}`);
      await screenshot(page, `a11y-tab-note-${theme}`);
      await page.goto(`${t.url}/addin/teams/tab.html?theme=${theme}#/visits`);
      await page.getByTestId('visits-table').waitFor();
      await expectAccessible(page, `Tab: my visits, ${theme}`);
      expect(problems.errors).toEqual([]);
    }
  });

  it('books a visit in the pane with the keyboard only', { timeout: 180_000 }, async () => {
    const start = testClock.now();
    start.setUTCDate(start.getUTCDate() + ((3 - start.getUTCDay() + 7) % 7) + 42); // a Wednesday six weeks on
    start.setUTCHours(9, 30, 0, 0);
    const appointment = { surface: 'organiser', start: start.toISOString(), end: new Date(start.getTime() + 3 * 3_600_000).toISOString() };
    const { page, problems } = await open('/addin/outlook/taskpane.html', 350, appointment);
    await page.getByRole('heading', { name: 'Book a school visit' }).waitFor();
    await oneH1(page);
    await expectAccessible(page, 'Pane: booking form');

    // The development sign-in's dropdown, opened from the keyboard: axe on the open listbox, then closed again.
    await tabTo(page, page.getByRole('combobox', { name: /Development sign-in/ }));
    // Every control shows where focus is with a clear outline, not Fluent's thin underline alone.
    expect(await focusOutline(page)).toMatch(RING);
    await page.keyboard.press('Enter');
    await page.getByRole('listbox').waitFor();
    await expectAccessible(page, 'Pane: sign-in dropdown open');
    await page.keyboard.press('Escape');
    await page.getByRole('listbox').waitFor({ state: 'hidden' });

    // The school: open the list with the down arrow, the partner's own schools first; Enter chooses.
    const school = page.getByRole('combobox', { name: /School/ });
    await tabTo(page, school);
    expect(await focusOutline(page)).toMatch(RING);
    await page.keyboard.press('ArrowDown');
    const mySchools = page.getByRole('listbox').getByRole('group').first().getByRole('option');
    await expect.poll(() => mySchools.count()).toBeGreaterThan(0);
    if (!(await school.getAttribute('aria-activedescendant'))) await page.keyboard.press('ArrowDown');
    await expect.poll(() => school.getAttribute('aria-activedescendant')).toBeTruthy();
    const chosen = (await page.locator(`[id="${await school.getAttribute('aria-activedescendant')}"]`).textContent())!.trim();
    await expectAccessible(page, 'Pane: school list open');
    await page.keyboard.press('Enter');
    await expect.poll(() => school.inputValue()).toBe(chosen);
    await page.getByText('Checking the date and the allocation…').waitFor({ state: 'detached' });
    await expectAccessible(page, 'Pane: school chosen, warnings shown');

    const book = page.getByRole('button', { name: 'Book visit' });
    await tabTo(page, book);
    await page.keyboard.press('Enter');
    const visitHeading = page.getByRole('heading', { name: new RegExp(`visit - ${chosen.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) });
    await visitHeading.waitFor();
    // The button pressed is gone: focus is on the visit it booked.
    await expect.poll(() => hasFocus(visitHeading)).toBe(true);
    await oneH1(page);
    await expectAccessible(page, 'Pane: booked');
    await screenshot(page, 'a11y-pane-booked-keyboard');
    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('sv.fakeOutlook.appointment')!));
    expect(stored.customProperties.schoolVisitId).toMatch(/^[0-9a-f-]{36}$/);
    expect(problems).toEqual({ errors: [], blocked: [] });
  });

  it('writes and shares a note in the tab with the keyboard only, through the section menu', { timeout: 300_000 }, async () => {
    const visit = await pastVisit(1, 2);
    const { page, problems } = await open(`/addin/teams/tab.html#/notes/${visit}`, 1280);
    const summary = page.getByTestId('note-summary');
    await summary.waitFor();
    await saved(page);
    await oneH1(page);
    await expectAccessible(page, 'Tab: new note');
    const menu = page.getByTestId('section-menu');

    // "Share" is a few key presses from the top of the page through the section menu, not every field of the note.
    let presses = await tabTo(page, menu.getByRole('link', { name: 'Share', exact: true }));
    await page.keyboard.press('Enter');
    await expect.poll(() => hasFocus(page.getByRole('heading', { name: 'Share', exact: true }))).toBe(true);
    const share = page.getByRole('button', { name: 'Share with the headteacher' });
    presses += await tabTo(page, share);
    // Past the app's navigation (one stop per place to go), a handful; through every field it was more than 60.
    const navigation = await page.locator('nav.sv-nav a').count();
    expect(presses).toBeLessThanOrEqual(navigation + 12);
    // Too soon: the refusal is said, and focus goes to what must be done.
    await page.keyboard.press('Enter');
    await page.getByTestId('step-error').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement !== document.body)).toBe(true);
    await expectAccessible(page, 'Tab: share refused');
    await screenshot(page, 'a11y-tab-share-refused');

    // The summary, through the menu.
    await tabTo(page, menu.getByRole('link', { name: 'Purpose and summary' }));
    await page.keyboard.press('Enter');
    await tabTo(page, summary);
    expect(await focusOutline(page)).toMatch(RING);
    await page.keyboard.type('Leaders have an accurate view of the school; most pupils make good progress in reading.');

    // Judgements: achievement graded (type-ahead in the closed select), the other headings left out with Space.
    const achievement = page.locator('fieldset[data-area="ACHIEVEMENT"]');
    for (const label of ["School's grade", "Partner's grade"]) {
      const grade = achievement.getByLabel(label);
      await tabTo(page, grade);
      expect(await focusOutline(page)).toMatch(RING);
      await page.keyboard.type('2');
      await expect.poll(() => grade.inputValue()).toBe('2');
    }
    for (const area of ['QUALITY_OF_TEACHING', 'BEHAVIOUR_AND_SAFETY', 'LEADERSHIP_AND_MANAGEMENT', 'OVERALL_EFFECTIVENESS']) {
      const box = page.locator(`fieldset[data-area="${area}"]`).getByRole('checkbox').first();
      if (!(await box.isChecked())) continue;
      await tabTo(page, box);
      await page.keyboard.press('Space');
      await expect.poll(() => box.isChecked()).toBe(false);
    }

    // A recommendation added from the keyboard: focus moves to its first field; removed, focus goes back to the button.
    const add = page.getByRole('button', { name: 'Add a recommendation' });
    await tabTo(page, add);
    await page.keyboard.press('Enter');
    const action = page.getByTestId('recommendation-1').getByLabel(/^Action/);
    await expect.poll(() => hasFocus(action)).toBe(true);
    await page.keyboard.type('Sharpen feedback in mathematics so that pupils correct errors in the lesson.');
    await expectAccessible(page, 'Tab: recommendation added');
    await tabTo(page, page.getByRole('button', { name: 'Remove recommendation 1' }));
    await page.keyboard.press('Enter');
    await expect.poll(() => hasFocus(add)).toBe(true);
    await expect.poll(() => page.getByTestId('recommendation-1').count()).toBe(0);

    // Carried recommendations: each given a progress by typing in its closed select.
    const reviews = page.locator('section[aria-labelledby="note-reviews"] select');
    for (let i = 0; i < (await reviews.count()); i++) {
      await tabTo(page, reviews.nth(i));
      await page.keyboard.type('In progress');
      await expect.poll(() => reviews.nth(i).inputValue()).toBe('IN_PROGRESS');
    }
    await saved(page);

    // Shared, from the menu again.
    await tabTo(page, menu.getByRole('link', { name: 'Share', exact: true }));
    await page.keyboard.press('Enter');
    await tabTo(page, share);
    await page.keyboard.press('Enter');
    await page.getByTestId('workflow-done').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.hasAttribute('data-workflow-done'))).toBe(true);
    await oneH1(page);
    await expectAccessible(page, 'Tab: note shared');
    await screenshot(page, 'a11y-tab-note-shared-keyboard');
    const shared = await t.gql<{ visit: { note: { status: string; summary: string } } }>('query ($id: ID!) { visit(id: $id) { note { status summary } } }', {
      id: visit,
    });
    expect(shared.data!.visit.note).toEqual({
      status: 'SHARED',
      summary: 'Leaders have an accurate view of the school; most pupils make good progress in reading.',
    });
    expect(problems.errors).toEqual([]);
  });
});
