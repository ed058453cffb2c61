import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Partner } from '../../api/src/partners/partner.entity.js';
import { PartnerRole } from '../../api/src/partners/partner.enums.js';
import { RecordingTransport } from '../../api/test/support/recording-transport.js';
import { startTestApp, type TestApp } from '../../api/test/support/test-app.js';
import { expectAccessible as expectAccessibleTab } from './support/axe.js';
import { isolatedContext, launchBrowser, screenshot, type PageProblems } from './support/browser.js';
import { expectNoAxeViolations, expectPageStructure, expectReflowAt320, expectVisibleFocusOnEveryStop } from './support/page-checks.js';

/**
 * Quality assurance in headless Chromium: the headteacher's feedback page (reached by its signed
 * link: axe WCAG 2.2 A and AA, one h1, reflow at 320 px, the error summary focused and linking to
 * the ratings) and the Teams Shadowing tab for a senior adviser and for the partner shadowed
 * (feedback given in the tab reaches the partner).
 */
describe('shadowing and headteacher feedback (end to end)', () => {
  let t: TestApp;
  let browser: Browser;
  let mail: RecordingTransport;
  let lead: Partner;
  let shadower: Partner;
  let managerEmail: string;
  let schoolId: string;
  const opened: { context: BrowserContext; problems: PageProblems }[] = [];

  async function gqlOk(query: string, variables: Record<string, unknown> = {}) {
    const res = await t.gql(query, variables);
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    return res.data!;
  }

  beforeAll(async () => {
    mail = new RecordingTransport();
    [t, browser] = await Promise.all([startTestApp({ mailTransport: mail }), launchBrowser()]);
    managerEmail = (await t.personWithRole(PartnerRole.MANAGER)).partner.email;
    [lead, shadower] = await t.app.orm.em.fork().find(Partner, { role: PartnerRole.PARTNER, active: true }, { orderBy: { name: 'asc' }, limit: 2 });
    const me = await t.gql<{ me: { allocations: { school: { id: string } }[] } }>(
      '{ me { allocations { school { id } } } }',
      {},
      { token: await t.issuer.signForPerson(lead!.email) },
    );
    schoolId = me.data!.me.allocations[0]!.school.id;
    // A visit on Monday 1 March 2027, shadowed: its feedback was due on 8 March and is late on the suite's day (10 March).
    const visitId = (
      await gqlOk(`mutation($input: BookVisitInput!) { bookVisit(input: $input) { id } }`, {
        input: { schoolId, leadPartnerId: lead!.id, type: 'SPRING', startsAt: '2027-03-01T09:00:00+00:00', endsAt: '2027-03-01T12:00:00+00:00' },
      })
    ).bookVisit.id;
    await gqlOk(`mutation($v: ID!, $s: ID!) { shadowVisit(visitId: $v, shadowerId: $s) { id } }`, { v: visitId, s: shadower!.id });
    // A visit to come, for the tab's booking: Wednesday 17 March 2027.
    await gqlOk(`mutation($input: BookVisitInput!) { bookVisit(input: $input) { id } }`, {
      input: { schoolId, leadPartnerId: lead!.id, type: 'SUMMER', startsAt: '2027-03-17T09:00:00+00:00', endsAt: '2027-03-17T12:00:00+00:00' },
    });
  });

  afterAll(async () => {
    for (const o of opened) await o.context.close();
    await browser?.close();
    await t?.stop();
  });

  async function open(path: string, as?: string): Promise<Page> {
    const o = await isolatedContext(browser);
    opened.push(o);
    if (as) {
      await o.context.addInitScript((email) => {
        if (location.protocol.startsWith('http') && !localStorage.getItem('sv.devPerson')) localStorage.setItem('sv.devPerson', email);
      }, as);
    }
    o.context.setDefaultTimeout(60_000);
    const page = await o.context.newPage();
    await page.setViewportSize({ width: 1100, height: 900 });
    await page.goto(`${t.url}${path}`);
    return page;
  }

  it("the headteacher's feedback page is accessible empty, with errors and sent", { timeout: 180_000 }, async () => {
    await gqlOk(`mutation($s: ID!, $p: ID) { requestHeadteacherFeedback(schoolId: $s, partnerId: $p) { id } }`, { s: schoolId, p: lead.id });
    await t.app.outbox.runOnce();
    const path = /https?:\/\/\S+(\/school\/feedback\/\S+)/.exec(mail.sent.at(-1)!.text)![1]!;
    const page = await open(path);
    await expectNoAxeViolations(page, 'feedback empty');
    await expectPageStructure(page);
    await expectReflowAt320(page);
    await screenshot(page, 'school-pages-feedback-empty');
    const stops = await expectVisibleFocusOnEveryStop(page);
    expect(stops).toEqual(expect.arrayContaining(['input#challenge_and_support_1', 'textarea#comments', 'input#respondent', 'button#send']));

    await page.locator('#challenge_and_support_2').check();
    await page.locator('#send').click();
    await page.waitForLoadState();
    await expect.poll(() => page.evaluate(() => document.activeElement?.className ?? '')).toContain('error-summary');
    const links = await page.evaluate(() => [...document.querySelectorAll('.error-summary a')].map((a) => a.getAttribute('href')));
    expect(links).toEqual(['#knowledge_of_school_1', '#quality_of_notes_1', '#communication_1', '#respondent']);
    expect(await page.locator('#challenge_and_support_2').isChecked()).toBe(true);
    await expectNoAxeViolations(page, 'feedback errors');
    await expectReflowAt320(page);
    await screenshot(page, 'school-pages-feedback-errors');

    for (const id of ['knowledge_of_school_1', 'quality_of_notes_cannot_say', 'communication_2']) await page.locator(`#${id}`).check();
    await page.locator('#respondent').fill('A. Head, Headteacher');
    await page.locator('#send').click();
    await page.waitForLoadState();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Thank you');
    await expectNoAxeViolations(page, 'feedback sent');
  });

  it('the Shadowing tab: a senior adviser sees who is due and gives late feedback; the partner reads it', { timeout: 180_000 }, async () => {
    const manager = await open('/addin/teams/tab.html#/shadowing', managerEmail);
    await manager.getByRole('heading', { name: 'Shadowing due' }).waitFor();
    await manager.getByTestId('shadowings').waitFor();
    const card = manager.getByTestId('shadowings').locator('li', { hasText: 'Mon, 1 Mar 2027' }).first();
    await expect.poll(() => card.textContent()).toContain('Feedback late');
    await manager.getByLabel('Partner the feedback is about').selectOption({ label: lead.name });
    await manager.getByText('None yet.').or(manager.getByTestId('headteacher-feedback')).first().waitFor();
    await expectAccessibleTab(manager, 'Shadowing (manager)');
    await screenshot(manager, 'teams-shadowing-manager');
    // book a shadowing of the visit to come
    await manager.getByLabel('Partner to shadow').selectOption({ label: lead.name });
    const visitChoice = manager.getByLabel('Their visit');
    await visitChoice.locator('option', { hasText: '17 Mar 2027' }).first().waitFor({ state: 'attached' });
    await visitChoice.selectOption({ index: 1 });
    await manager.getByLabel('Shadowed by').selectOption({ label: shadower.name });
    await manager.getByRole('button', { name: 'Book shadowing' }).click();
    // The booking's own status message (the tables' live counts are statuses too).
    await expect.poll(() => manager.getByRole('status').filter({ hasText: 'Booked:' }).first().textContent()).toContain('Booked: written feedback due by');
    await card.getByLabel(`Written feedback for ${lead.name}`).fill('Clear agenda and good challenge; agree next steps with the head before leaving.');
    await card.getByRole('button', { name: 'Give feedback' }).click();
    await expect.poll(() => card.textContent()).toContain('Feedback given late');

    const partner = await open('/addin/teams/tab.html#/shadowing', lead.email);
    const theirs = partner.getByTestId('shadowed');
    await theirs.waitFor();
    await expect.poll(() => theirs.textContent()).toContain('agree next steps with the head');
    await expectAccessibleTab(partner, 'Shadowing (partner)');
    await screenshot(partner, 'teams-shadowing-partner');
  });
});
