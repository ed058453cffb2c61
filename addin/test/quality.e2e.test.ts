import { ref } from '@mikro-orm/core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Partner } from '../../api/src/partners/partner.entity.js';
import { PartnerRole } from '../../api/src/partners/partner.enums.js';
import { testClock, testToday } from '../../api/test/support/test-clock.js';
import { startTestApp, type TestApp } from '../../api/test/support/test-app.js';
import { expectAccessible } from './support/axe.js';
import { isolatedContext, launchBrowser, screenshot, type PageProblems } from './support/browser.js';

/**
 * Quality assurance in the Teams tab, end to end in headless Chromium over the real server: a new
 * partner's first note shows who it goes to and offers "Send to my mentor" instead of sharing; the
 * mentor finds it waiting, reads it and hands it back with feedback the partner then sees; a
 * senior adviser draws a sample, scores a note on the pro forma and sees the report. axe-core on
 * each page.
 */
describe('Quality assurance in the Teams tab (end to end)', () => {
  let t: TestApp;
  let browser: Browser;
  let managerEmail: string;
  const mentor = { name: 'Morwenna Mentor', email: 'morwenna.mentor@council.example', id: '' };
  const mentee = { name: 'Nerys Newcomer', email: 'nerys.newcomer@council.example', id: '' };
  let visitId: string;
  const opened: { context: BrowserContext; problems: PageProblems }[] = [];

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestApp(), launchBrowser()]);
    managerEmail = (await t.personWithRole(PartnerRole.MANAGER)).partner.email;
    const em = t.app.orm.em.fork();
    const m = Object.assign(new Partner(), { name: mentor.name, email: mentor.email, role: PartnerRole.PARTNER });
    const n = Object.assign(new Partner(), { name: mentee.name, email: mentee.email, role: PartnerRole.PARTNER, mentor: ref(m) });
    await em.persist([m, n]).flush();
    mentor.id = m.id;
    mentee.id = n.id;
    // The new partner's first visit, three days ago, booked for them by the manager (no note yet: the editor starts it).
    const school = (await t.gql(`{ schools(first: 1, filter: { status: [OPEN], phase: [PRIMARY] }) { nodes { id } } }`)).data!.schools.nodes[0].id;
    const startsAt = new Date(testClock.now().getTime() - 3 * 86_400_000);
    startsAt.setUTCHours(9, 0, 0, 0);
    const booked = await t.gql<{ bookVisit: { id: string } }>('mutation ($input: BookVisitInput!) { bookVisit(input: $input) { id } }', {
      input: {
        schoolId: school,
        type: 'SPRING',
        startsAt: startsAt.toISOString(),
        endsAt: new Date(startsAt.getTime() + 3 * 3_600_000).toISOString(),
        leadPartnerId: mentee.id,
      },
    });
    expect(booked.errors).toBeUndefined();
    visitId = booked.data!.bookVisit.id;
  });

  afterAll(async () => {
    for (const o of opened) await o.context.close();
    await browser?.close();
    await t?.stop();
  });

  async function open(url: string, as: string): Promise<{ page: Page; problems: PageProblems }> {
    const o = await isolatedContext(browser);
    opened.push(o);
    await o.context.addInitScript((email) => {
      if (location.protocol.startsWith('http') && !localStorage.getItem('sv.devPerson')) localStorage.setItem('sv.devPerson', email);
    }, as);
    o.context.setDefaultTimeout(60_000);
    const page = await o.context.newPage();
    await page.setViewportSize({ width: 1100, height: 900 });
    await page.goto(`${t.url}${url}`);
    return { page, problems: o.problems };
  }

  it('a first note names the mentor it goes to and offers "Send to my mentor" instead of sharing', { timeout: 120_000 }, async () => {
    const { page, problems } = await open(`/addin/teams/tab.html#/notes/${visitId}`, mentee.email);
    const banner = page.getByTestId('mentor-banner');
    await banner.waitFor();
    await expect(banner.textContent()).resolves.toContain(`Your first note goes to your mentor, ${mentor.name}, before it is shared`);
    await expect(page.getByRole('button', { name: 'Share with the headteacher' }).count()).resolves.toBe(0);
    await page.getByTestId('note-summary').fill('Leaders know the school well; the teaching of writing is inconsistent in Key Stage 2.');
    await expectAccessible(page, 'First note with the mentor banner');
    await screenshot(page, 'quality-first-note');
    await page.getByRole('button', { name: 'Send to my mentor' }).click();
    await page.getByTestId('with-mentor').waitFor();
    await expect(page.getByTestId('with-mentor').textContent()).resolves.toContain(mentor.name);
    expect(problems.errors).toEqual([]);
  });

  it('the mentor finds it waiting, reads it and hands it back with feedback the partner sees', { timeout: 120_000 }, async () => {
    const { page, problems } = await open('/addin/teams/tab.html#/notes', mentor.email);
    await page.getByTestId('mentor-queue').waitFor();
    await page
      .getByTestId('mentor-queue')
      .getByRole('link', { name: new RegExp(mentee.name) })
      .click();
    await page.getByTestId('mentor-review-page').waitFor();
    await expect(page.getByTestId('note-summary').inputValue()).resolves.toContain('inconsistent in Key Stage 2');
    await expect(page.getByTestId('note-summary').isEditable()).resolves.toBe(false);
    await expectAccessible(page, 'Mentor review');
    const feedback = 'Say how well writing is taught, with the evidence you saw, not only that it is inconsistent.';
    await page.getByTestId('mentor-comment-input').fill(feedback);
    await page.getByRole('button', { name: 'Comment and hand back' }).click();
    await page.getByTestId('mentor-done').waitFor();
    await screenshot(page, 'quality-mentor-review');
    expect(problems.errors).toEqual([]);

    const partner = await open(`/addin/teams/tab.html#/notes/${visitId}`, mentee.email);
    await partner.page.getByTestId('mentor-comment').first().waitFor();
    await expect(partner.page.getByTestId('mentor-comments').textContent()).resolves.toContain(feedback);
    await partner.page.getByRole('button', { name: 'Send to my mentor' }).waitFor();
    expect(partner.problems.errors).toEqual([]);
  });

  it('a senior adviser draws a sample, scores a note on the pro forma and sees the report', { timeout: 120_000 }, async () => {
    const { page, problems } = await open('/addin/teams/tab.html#/quality', managerEmail);
    await page.getByTestId('quality-year').waitFor();
    // Last academic year: all its notes are circulated, whatever the suite's day.
    const start = Number(testToday().slice(0, 4)) - (Number(testToday().slice(5, 7)) >= 9 ? 1 : 2);
    await page.getByTestId('quality-year').selectOption(`${start}-${String((start + 1) % 100).padStart(2, '0')}`);
    await page.getByTestId('quality-report').waitFor();
    await page.getByTestId('seed').fill('e2e');
    await page.getByTestId('draw-sample').click();
    await page.getByTestId('sample-drawn').waitFor();
    await page.getByTestId('sample').first().waitFor();
    await page
      .getByRole('button', { name: /^Score this note/ })
      .first()
      .click();
    const form = page.getByTestId('score-note');
    await form.waitFor();
    for (const group of await form.getByRole('radiogroup').all()) await group.getByRole('radio').nth(2).check();
    await page.getByTestId('evaluation-summary').fill('A clear note: sharpen the recommendations with dates and measures.');
    await expectAccessible(page, 'Quality: scoring a note');
    await screenshot(page, 'quality-scoring');
    await page.getByTestId('give-feedback').click();
    await form.waitFor({ state: 'detached' });
    // The sample is read again once the evaluation is saved: wait for it.
    await expect.poll(() => page.getByTestId('sample').first().textContent()).toMatch(/Given /);
    await screenshot(page, 'quality-manager');
    expect(problems.errors).toEqual([]);
  });
});
