import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Partner } from '../../api/src/partners/partner.entity.js';
import { PartnerRole } from '../../api/src/partners/partner.enums.js';
import { AccessPolicy } from '../../api/src/platform/auth/access-policy.js';
import { personPrincipal } from '../../api/src/platform/auth/principal.js';
import type { Em } from '../../api/src/platform/db/orm.js';
import { sendSchoolSectionLink } from '../../api/src/school-side/links.service.js';
import type { MailMessage } from '../../api/src/platform/mail/mail-transport.js';
import { RecordingTransport } from '../../api/test/support/recording-transport.js';
import { startTestApp, type TestApp } from '../../api/test/support/test-app.js';
import { testClock } from '../../api/test/support/test-clock.js';
import { isolatedContext, launchBrowser, screenshot, type PageProblems } from './support/browser.js';
import { expectNoAxeViolations, expectPageStructure, expectReflowAt320, expectVisibleFocusOnEveryStop } from './support/page-checks.js';

/**
 * The school's pages (reached by signed links from an email, no account, no script) in
 * headless Chromium: axe with the WCAG 2.2 A and AA rules on every page and state, one
 * h1, a title and a language, reflow at 320 px, a visible focus on every control, the
 * GOV.UK error summary (focused, linking to the fields; each field's error tied to it),
 * and the school's section and the headteacher's response filled and sent with the
 * keyboard alone.
 */
describe("the school's pages (accessibility, end to end)", () => {
  let t: TestApp;
  let browser: Browser;
  let mail: RecordingTransport;
  let partnerToken: string;
  let partner: Partner;
  let schoolId: string;
  const opened: { context: BrowserContext; problems: PageProblems }[] = [];

  beforeAll(async () => {
    mail = new RecordingTransport();
    [t, browser] = await Promise.all([startTestApp({ mailTransport: mail }), launchBrowser()]);
    ({ partner, token: partnerToken } = await t.personWithRole(PartnerRole.PARTNER));
    const schools = await gqlOk(`{ schools(first: 1, filter: { status: [OPEN], phase: [SECONDARY] }) { nodes { id } } }`);
    schoolId = schools.schools.nodes[0].id;
  });

  afterAll(async () => {
    for (const o of opened) await o.context.close();
    await browser?.close();
    await t?.stop();
  });

  async function gqlOk(query: string, variables: Record<string, unknown> = {}) {
    const res = await t.gql(query, variables, { token: partnerToken });
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    return res.data!;
  }

  const linkIn = (message: MailMessage, route: 'section' | 'response') => new RegExp(`https?://\\S+(/school/${route}/\\S+)`).exec(message.text)![1]!;

  let day = 0;
  /**
   * A past visit of the partner's (each test its own, so links do not replace each other), on a
   * Tuesday in autumn 2020: before the demo county's notes, so there are no recommendations to carry.
   */
  async function pastVisit(): Promise<string> {
    const startsAt = new Date(Date.UTC(2020, 8, 15 + 7 * day++, 9));
    const input = { schoolId, type: 'SPRING', startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + 3 * 3_600_000).toISOString() };
    return (await gqlOk(`mutation($input: BookVisitInput!) { bookVisit(input: $input) { id } }`, { input })).bookVisit.id;
  }

  async function sectionLink(visitId: string): Promise<{ id: string; path: string }> {
    const link = (await gqlOk(`mutation($v: ID!) { sendSchoolSectionLink(visitId: $v) { id } }`, { v: visitId })).sendSchoolSectionLink;
    await t.app.outbox.runOnce();
    return { id: link.id, path: linkIn(mail.sent.at(-1)!, 'section') };
  }

  /** A note with two judgements, shared with the headteacher: the link of the email that sharing sends. */
  async function responseLink(): Promise<string> {
    const visitId = await pastVisit();
    const note = (await gqlOk(`mutation($v: ID!) { startNote(visitId: $v) { id version judgements { id area } } }`, { v: visitId })).startNote;
    const judgements = [
      { area: 'ACHIEVEMENT', schoolGrade: 2, partnerGrade: 2, evidenceBasis: 'REPORTED' },
      { area: 'QUALITY_OF_TEACHING', schoolGrade: 1, partnerGrade: 2, evidenceBasis: 'OBSERVED', disagreementReason: 'Good, not yet outstanding.' },
    ];
    const written = (
      await gqlOk(`mutation($id: ID!, $v: Int!, $input: UpdateNoteInput!) { updateNote(id: $id, expectedVersion: $v, input: $input) { id version } }`, {
        id: note.id,
        v: note.version,
        input: {
          summary: 'A school that knows itself well.',
          judgements,
          remove: note.judgements.filter((j: { area: string }) => !judgements.some((k) => k.area === j.area)).map((j: { id: string }) => j.id),
        },
      })
    ).updateNote;
    await gqlOk(`mutation($id: ID!, $v: Int!) { shareNote(id: $id, expectedVersion: $v) { status } }`, { id: written.id, v: written.version });
    await t.app.outbox.runOnce();
    return linkIn(mail.sent.at(-1)!, 'response');
  }

  async function open(path: string): Promise<Page> {
    const o = await isolatedContext(browser);
    opened.push(o);
    o.context.setDefaultTimeout(30_000);
    const page = await o.context.newPage();
    await page.setViewportSize({ width: 1024, height: 800 });
    await page.goto(`${t.url}${path}`);
    return page;
  }

  /** Every check a page and state must pass. */
  async function expectAccessible(page: Page, state: string) {
    await expectNoAxeViolations(page, state);
    await expectPageStructure(page);
    await expectReflowAt320(page);
    await screenshot(page, `school-pages-${state.replaceAll(' ', '-')}`);
  }

  const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');

  /** Tab (never a click) until the control with this id has focus. */
  async function tabTo(page: Page, id: string) {
    for (let i = 0; i < 80; i++) {
      if ((await focusedId(page)) === id) return;
      await page.keyboard.press('Tab');
    }
    throw new Error(`Tab never reached #${id}`);
  }

  /** The GOV.UK error summary: focused on arrival, each entry a link to its field, each field described by its own message. */
  async function expectErrorSummary(page: Page, fields: Record<string, string>) {
    const summary = await page.evaluate(() => {
      const box = document.activeElement as HTMLElement;
      return {
        focused: box.classList.contains('error-summary'),
        title: document.title,
        links: [...box.querySelectorAll('a')].map((a) => ({ href: a.getAttribute('href'), text: a.textContent?.trim() })),
      };
    });
    expect(summary.focused, 'the error summary takes focus').toBe(true);
    expect(summary.title).toMatch(/^Error: /);
    for (const [id, message] of Object.entries(fields)) {
      expect(summary.links).toContainEqual({ href: `#${id}`, text: message });
      const described = await page.evaluate((fieldId) => {
        const field = document.getElementById(fieldId)!;
        const group = field.closest('fieldset[aria-describedby]');
        const ids = `${field.getAttribute('aria-describedby') ?? ''} ${group?.getAttribute('aria-describedby') ?? ''}`.trim().split(/\s+/);
        return ids.map((d) => document.getElementById(d)?.textContent ?? '').join(' ');
      }, id);
      expect(described, `#${id} is described by its error`).toContain(message);
    }
  }

  describe("the school's section", () => {
    let path: string;
    let page: Page;
    let visitId: string;
    beforeAll(async () => {
      visitId = await pastVisit();
      path = (await sectionLink(visitId)).path;
      page = await open(path);
    });

    it('is accessible empty, with a visible focus on every control', { timeout: 180_000 }, async () => {
      await expectAccessible(page, 'section empty');
      const stops = await expectVisibleFocusOnEveryStop(page);
      expect(stops[0], 'the first stop skips to the content').toMatch(/^a#/);
      expect(stops).toContain('input#completed_by');
      expect(stops.at(-1)).toMatch(/accessibility/);
    });

    it('shows errors in a summary that takes focus and links to each field', { timeout: 180_000 }, async () => {
      await page.locator('#evidence_to_show').fill('Tracking data for Years 10 and 11.');
      await expectAccessible(page, 'section filled');
      await tabTo(page, 'completed_by');
      await page.keyboard.press('Enter');
      await page.waitForLoadState();
      await expect.poll(() => page.evaluate(() => document.activeElement?.className ?? '')).toContain('error-summary');
      await expectErrorSummary(page, { completed_by: 'Give your name and role.' });
      await expectAccessible(page, 'section errors');
      expect(await page.inputValue('#evidence_to_show'), 'nothing typed is lost').toBe('Tracking data for Years 10 and 11.');
      // The summary's link takes the keyboard to the field.
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await expect.poll(() => focusedId(page)).toBe('completed_by');
    });

    it('is filled and sent with the keyboard alone, and the thank-you page is accessible', { timeout: 180_000 }, async () => {
      const keyboard = await open(path);
      await tabTo(keyboard, 'grade_achievement');
      await keyboard.keyboard.type('2');
      await tabTo(keyboard, 'evidence_achievement');
      await keyboard.keyboard.type('Progress 8 above the national average.');
      await tabTo(keyboard, 'grade_quality_of_teaching');
      await keyboard.keyboard.type('1');
      await tabTo(keyboard, 'wants_from_visit');
      await keyboard.keyboard.type('Challenge on our Key Stage 4 predictions.');
      await tabTo(keyboard, 'completed_by');
      await keyboard.keyboard.type('Headteacher');
      await tabTo(keyboard, 'send');
      await keyboard.keyboard.press('Enter');
      await keyboard.getByRole('heading', { level: 1, name: 'Thank you' }).waitFor();
      await expectAccessible(keyboard, 'section thank you');

      const sent = (await gqlOk(`query($id: ID!) { visit(id: $id) { schoolSection { completedBy selfEvaluation { area grade } } } }`, { id: visitId })).visit;
      expect(sent.schoolSection.completedBy).toBe('Headteacher');
      expect(sent.schoolSection.selfEvaluation).toContainEqual({ area: 'QUALITY_OF_TEACHING', grade: 1 });
    });
  });

  describe("the headteacher's response", () => {
    it('is accessible while reading the draft, agreeing and disputing; errors are summarised; sent with the keyboard alone', { timeout: 180_000 }, async () => {
      const path = await responseLink();
      const page = await open(path);
      await expectAccessible(page, 'response draft');
      await expectVisibleFocusOnEveryStop(page);

      await tabTo(page, 'agree_yes');
      await page.keyboard.press('Space');
      expect(await page.isChecked('#agree_yes')).toBe(true);
      await expectAccessible(page, 'response agree');

      // Dispute without saying why, and no name: both errors, in the summary and at their fields.
      await page.keyboard.press('ArrowRight');
      expect(await page.isChecked('#agree_no')).toBe(true);
      await tabTo(page, 'send');
      await page.keyboard.press('Enter');
      await page.waitForLoadState();
      await expect.poll(() => page.evaluate(() => document.activeElement?.className ?? '')).toContain('error-summary');
      await expectErrorSummary(page, {
        comment_achievement: 'Say what you dispute: add a comment against a judgement or overall.',
        respondent: 'Give your name.',
      });
      await expectAccessible(page, 'response errors');

      // Reasons per judgement, a name, and send: keyboard only.
      await tabTo(page, 'comment_quality_of_teaching');
      await page.keyboard.type('Our own monitoring shows outstanding teaching in most lessons.');
      await tabTo(page, 'respondent');
      await page.keyboard.type('The headteacher');
      await tabTo(page, 'send');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: 'Thank you' }).waitFor();
      await expectAccessible(page, 'response done');

      // Used once: the refusal page is accessible too.
      const used = await open(path);
      await used.getByRole('heading', { level: 1, name: /already been sent/ }).waitFor();
      await expectAccessible(used, 'refusal used');
    });
  });

  describe('the refusal pages', () => {
    it('are accessible: invalid, for something else, withdrawn, expired, and a form without its token', { timeout: 180_000 }, async () => {
      const invalid = await open('/school/section/not-a-link');
      await invalid.getByRole('heading', { level: 1, name: /not valid/ }).waitFor();
      await expectAccessible(invalid, 'refusal invalid');

      const link = await sectionLink(await pastVisit());
      const wrong = await open(link.path.replace('/school/section/', '/school/response/'));
      await wrong.getByRole('heading', { level: 1, name: /something else/ }).waitFor();
      await expectAccessible(wrong, 'refusal wrong purpose');

      // A form posted without its token (as a page elsewhere would).
      const form = await open(link.path);
      await form.evaluate(() => document.querySelector('input[name=form_token]')!.remove());
      await form.locator('#completed_by').fill('Someone');
      await form.locator('#send').press('Enter');
      await form.getByRole('heading', { level: 1, name: /form has expired/ }).waitFor();
      await expectAccessible(form, 'refusal form');

      await gqlOk(`mutation($id: ID!) { revokeAccessLink(id: $id) { revokedAt } }`, { id: link.id });
      const revoked = await open(link.path);
      await revoked.getByRole('heading', { level: 1, name: /withdrawn/ }).waitFor();
      await expectAccessible(revoked, 'refusal revoked');

      // An expired link: sent with an end date already past (as the school-side test does).
      const em = t.app.orm.em.fork() as Em;
      const me = await em.findOneOrFail(Partner, { email: partner.email });
      await sendSchoolSectionLink(
        em,
        new AccessPolicy(personPrincipal(me), em, testClock),
        t.app.schoolSide,
        await pastVisit(),
        null,
        new Date(testClock.now().getTime() - 15 * 86_400_000),
      );
      await t.app.outbox.runOnce();
      const expired = await open(linkIn(mail.sent.at(-1)!, 'section'));
      await expired.getByRole('heading', { level: 1, name: /expired/ }).waitFor();
      await expectAccessible(expired, 'refusal expired');
    });
  });

  describe('the accessibility statement', () => {
    it("is linked from every school page's footer and is accessible itself", { timeout: 180_000 }, async () => {
      const page = await open('/school/section/not-a-link');
      await page
        .getByRole('contentinfo')
        .getByRole('link', { name: /accessibility/i })
        .press('Enter');
      await page.getByRole('heading', { level: 1, name: /accessibility statement/i }).waitFor();
      await expectAccessible(page, 'accessibility statement');
      await expectVisibleFocusOnEveryStop(page);
    });
  });
});
