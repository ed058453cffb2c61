import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Partner } from '../../api/src/partners/partner.entity.js';
import { PartnerRole } from '../../api/src/partners/partner.enums.js';
import { Visit } from '../../api/src/visits/visit.entity.js';
import { startTestApp, type TestApp } from '../../api/test/support/test-app.js';
import { testClock } from '../../api/test/support/test-clock.js';
import type { FakeAppointment } from '../src/outlook/fake-office.js';
import { expectAccessible } from './support/axe.js';
import { ARTIFACTS, isolatedContext, launchBrowser, screenshot, type PageProblems } from './support/browser.js';

// The Outlook task pane in headless Chromium, against the real API, with Office.js's
// CDN script answered by the fake and every non-loopback request refused.
let t: TestApp;
let browser: Browser;
let partner: { email: string; name: string };
let manager: { email: string; name: string };
const firstRenderMs: Record<string, number> = {};

const STORAGE_KEY = 'sv.fakeOutlook.appointment';

function wednesdayInWeeks(weeks: number): { start: string; end: string } {
  const d = testClock.now(); // the suite's day, which the pages also run on
  d.setUTCDate(d.getUTCDate() + ((3 - d.getUTCDay() + 7) % 7) + 7 * weeks);
  d.setUTCHours(9, 30, 0, 0);
  return { start: d.toISOString(), end: new Date(d.getTime() + 3 * 3_600_000).toISOString() };
}

interface PaneSetup {
  person: { email: string; name: string };
  /** A first visit: nobody chosen on the development sign-in yet. */
  firstVisit?: boolean;
  appointment: Partial<FakeAppointment>;
  theme?: { bodyBackgroundColor: string };
}

async function openPane(setup: PaneSetup): Promise<{ context: BrowserContext; page: Page; problems: PageProblems }> {
  const { context, problems } = await isolatedContext(browser);
  await context.addInitScript(
    ({ setup }) => {
      if (location.protocol !== 'http:') return; // about:blank has no storage of its own
      if (!setup.firstVisit) localStorage.setItem('sv.devPerson', setup.person.email);
      (window as any).__SV_FAKE_OFFICE__ = {
        user: { emailAddress: setup.person.email, displayName: setup.person.name },
        appointment: setup.appointment,
        theme: setup.theme,
      };
    },
    { setup },
  );
  const page = await context.newPage();
  // A step that never happens fails with the step named, well inside the test's own timeout.
  page.setDefaultTimeout(20_000);
  await page.goto(`${t.url}/addin/outlook/taskpane.html`);
  return { context, page, problems };
}

const storedAppointment = (page: Page) => page.evaluate((key) => JSON.parse(localStorage.getItem(key)!) as FakeAppointment, STORAGE_KEY);

async function recordFirstRender(page: Page, label: string) {
  await page.waitForFunction(() => performance.getEntriesByName('sv-first-content').length > 0);
  firstRenderMs[label] = await page.evaluate(() => Math.round(performance.getEntriesByName('sv-first-content')[0]!.startTime));
}

beforeAll(async () => {
  t = await startTestApp();
  partner = (await t.personWithRole(PartnerRole.PARTNER)).partner;
  manager = (await t.personWithRole(PartnerRole.MANAGER)).partner;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await t?.stop();
  if (Object.keys(firstRenderMs).length) {
    writeFileSync(path.join(ARTIFACTS, 'outlook-first-render.json'), JSON.stringify(firstRenderMs, null, 2));
    console.log(`Outlook task pane, time to first render (ms from navigation): ${JSON.stringify(firstRenderMs)}`);
  }
});

describe('the Outlook task pane', () => {
  let bookedVisitId = '';
  let bookedBody = '';

  it('books a visit from a new appointment: subject, location, agenda and link filled in', { timeout: 120_000 }, async () => {
    const { context, page, problems } = await openPane({
      person: partner,
      appointment: { surface: 'organiser', ...wednesdayInWeeks(3), bodyHtml: '<p>Parking at the back.</p>' },
    });
    await page.getByRole('heading', { name: 'Book a school visit' }).waitFor();
    await recordFirstRender(page, 'compose, new appointment');

    const school = page.getByRole('combobox', { name: /School/ });
    await school.click();
    // The partner's own (allocated) schools come first, in their own group.
    const firstGroup = page.getByRole('listbox').getByRole('group').first();
    await firstGroup.waitFor();
    expect(await firstGroup.textContent()).toMatch(/^My schools/);
    const mySchools = firstGroup.getByRole('option');
    const schoolName = (await mySchools.first().textContent())!.trim();
    await mySchools.first().click();
    await expect.poll(() => school.inputValue()).toBe(schoolName);
    // The API's warnings for this date and school are shown before booking.
    await page.getByText('Checking the date and the allocation…').waitFor({ state: 'detached' });
    await expectAccessible(page, 'Pane: booking form');
    await screenshot(page, 'outlook-compose-light');

    await page.getByRole('button', { name: 'Book visit' }).click();
    const heading = page.getByRole('heading', { name: new RegExp(`visit - ${schoolName}`) });
    await heading.waitFor();

    const appointment = await storedAppointment(page);
    bookedVisitId = appointment.customProperties.schoolVisitId!;
    bookedBody = appointment.bodyHtml;
    expect(bookedVisitId).toMatch(/^[0-9a-f-]{36}$/);
    expect(appointment.itemId).toBeTruthy();
    expect(appointment.subject).toMatch(new RegExp(`^(Autumn|Spring|Summer) visit - ${schoolName}$`));
    expect(appointment.location.length).toBeGreaterThan(5);
    expect(appointment.bodyHtml.indexOf(`Visit reference: ${bookedVisitId}`)).toBeGreaterThan(-1);
    expect(appointment.bodyHtml.indexOf('Visit reference')).toBeLessThan(appointment.bodyHtml.indexOf('Parking'));
    const visit = await t.app.orm.em.fork().findOneOrFail(Visit, bookedVisitId, { populate: ['school'] });
    expect(visit.appointment?.itemId).toBe(appointment.itemId);
    expect(visit.school.getEntity().name).toBe(schoolName);
    await expect.poll(() => page.getByRole('listitem').count()).toBeGreaterThan(0); // the agenda shows in the pane
    await expectAccessible(page, 'Pane: booked visit');
    await screenshot(page, 'outlook-booked-light');

    // Re-opening the pane on the same appointment shows the visit and books nothing new.
    await page.reload();
    await heading.waitFor();
    await recordFirstRender(page, 'compose, booked appointment');
    expect(await page.getByRole('button', { name: 'Book visit' }).count()).toBe(0);
    const again = await storedAppointment(page);
    expect(again.customProperties.schoolVisitId).toBe(bookedVisitId);
    expect(again.bodyHtml.split('Visit reference').length - 1).toBe(1);
    expect(await t.app.orm.em.fork().count(Visit, { appointment: { itemId: appointment.itemId } })).toBe(1);
    expect(problems).toEqual({ errors: [], blocked: [] });
    await context.close();
  });

  it('shows an attendee the visit through the reference in the body, in the dark theme', async () => {
    expect(bookedVisitId, 'the booking test runs first').not.toBe('');
    const { context, page, problems } = await openPane({
      person: manager,
      theme: { bodyBackgroundColor: '#1f1f1f' },
      appointment: {
        surface: 'attendee',
        itemId: 'AAMkAttendeeCopy1',
        bodyHtml: bookedBody,
        ...wednesdayInWeeks(3),
        organiser: { emailAddress: partner.email, displayName: partner.name },
      },
    });
    await page.getByRole('heading', { name: /visit - / }).waitFor();
    await recordFirstRender(page, 'read, attendee');
    expect(await page.locator('[data-theme="dark"]').count()).toBe(1);
    await expect.poll(() => page.getByTestId('note-status').textContent()).toMatch(/Note: Not started/);
    expect(await page.getByText(/Draft due with the headteacher/).count()).toBe(1);
    expect(await page.getByRole('button', { name: /Attach agenda/ }).count()).toBe(0);
    await expectAccessible(page, 'Pane: attendee, dark');
    await screenshot(page, 'outlook-attendee-dark');
    expect(problems).toEqual({ errors: [], blocked: [] });
    await context.close();
  });

  it('says plainly when the service cannot be reached, and recovers on retry', async () => {
    const { context, page } = await openPane({ person: partner, appointment: { surface: 'organiser', ...wednesdayInWeeks(4) } });
    await page.getByRole('heading', { name: 'Book a school visit' }).waitFor();
    await context.route(`${t.url}/graphql`, (route) => route.abort('connectionrefused'));
    await page.reload();
    const alert = page.locator('[data-error-code="OFFLINE"]').first();
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Can’t reach the school visits service');
    await expectAccessible(page, 'Pane: service unreachable');
    await context.unroute(`${t.url}/graphql`);
    await alert.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('heading', { name: 'Book a school visit' }).waitFor();
    await context.close();
  });

  it('opens the note editor from the appointment of a visit that has taken place', async () => {
    // A visit booked from an appointment last week, through the API as the partner would have.
    const start = new Date(testClock.now().getTime() - 7 * 86_400_000);
    start.setUTCHours(9, 30, 0, 0);
    const end = new Date(start.getTime() + 3 * 3_600_000);
    const token = await t.issuer.signForPerson(partner.email);
    const mine = await t.gql<{ me: { allocations: { school: { id: string } }[] } }>('{ me { allocations { school { id } } } }', {}, { token });
    const booked = await t.gql<{ bookVisit: { id: string } }>(
      'mutation($input: BookVisitInput!) { bookVisit(input: $input) { id } }',
      {
        input: {
          schoolId: mine.data!.me.allocations[0]!.school.id,
          type: 'OTHER',
          startsAt: start.toISOString(),
          endsAt: end.toISOString(),
          appointment: { itemId: 'AAMkPastVisit1', organiserEmail: partner.email },
        },
      },
      { token },
    );
    expect(booked.errors).toBeUndefined();
    const { context, page, problems } = await openPane({
      person: partner,
      appointment: { surface: 'organiser', itemId: 'AAMkPastVisit1', start: start.toISOString(), end: end.toISOString() },
    });
    await page.getByRole('button', { name: 'Write the note of visit' }).click();
    await page.getByText('Judgements', { exact: true }).first().waitFor();
    expect(await page.getByRole('link', { name: 'Open in Teams' }).count()).toBe(0); // the editor replaced the visit card
    await expectAccessible(page, 'Pane: note editor');
    await screenshot(page, 'outlook-note-editor-light');
    await page.getByRole('button', { name: '← Back to the visit' }).click();
    await page.getByTestId('note-status').waitFor();
    await expect.poll(() => page.getByTestId('note-status').textContent()).toMatch(/Note: Draft/);
    expect(problems).toEqual({ errors: [], blocked: [] });
    await context.close();
  });

  it('signs a first visitor in as the first partner instead of showing an error', async () => {
    const { context, page, problems } = await openPane({ person: partner, firstVisit: true, appointment: { surface: 'organiser', ...wednesdayInWeeks(5) } });
    await page.getByRole('heading', { name: 'Book a school visit' }).waitFor();
    // The form can show before any call to the API (a new appointment has nothing to look up), so
    // the choice is waited for, not read at once.
    const firstPartner = await t.app.orm.em.fork().findOneOrFail(Partner, { role: PartnerRole.PARTNER, active: true }, { orderBy: { name: 'asc' } });
    await expect.poll(() => page.evaluate(() => localStorage.getItem('sv.devPerson'))).toBe(firstPartner.email);
    await expect.poll(() => page.getByRole('combobox', { name: /Development sign-in/ }).textContent()).toContain(firstPartner.name);
    // Its own schools are offered: the queries it made were signed in.
    await page.getByRole('combobox', { name: /School/ }).click();
    await page.getByRole('listbox').getByRole('group').first().waitFor();
    expect(await page.locator('[data-error-code]').count()).toBe(0);
    expect(problems).toEqual({ errors: [], blocked: [] });
    await context.close();
  });

  it('tells an attendee when the appointment is not a school visit', async () => {
    const { context, page } = await openPane({
      person: partner,
      appointment: {
        surface: 'attendee',
        itemId: 'AAMkUnrelated',
        bodyHtml: '<p>Team lunch</p>',
        organiser: { emailAddress: 'someone@council.example', displayName: 'Someone' },
      },
    });
    await page.getByText('This appointment is not linked to a school visit.').waitFor();
    await expectAccessible(page, 'Pane: not a school visit');
    await context.close();
  });
});
