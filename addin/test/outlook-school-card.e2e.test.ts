import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Allocation } from '../../api/src/partners/allocation.entity.js';
import { PartnerRole } from '../../api/src/partners/partner.enums.js';
import { academicYearOf } from '../../api/src/platform/dates/academic-year.js';
import { School } from '../../api/src/schools/school.entity.js';
import { AttendeeRole } from '../../api/src/visits/visit.enums.js';
import { Visit } from '../../api/src/visits/visit.entity.js';
import { startTestApp, type TestApp } from '../../api/test/support/test-app.js';
import { testClock, testToday } from '../../api/test/support/test-clock.js';
import { formatDate } from '../src/shared/format.js';
import type { FakeAppointment } from '../src/outlook/fake-office.js';
import { expectAccessible } from './support/axe.js';
import { isolatedContext, launchBrowser, screenshot, type PageProblems } from './support/browser.js';
import { hasFocus } from './support/keyboard.js';

// Issue 22, acceptance 3: the school's card in the Outlook pane, in headless Chromium against the
// real API with the fake Office. Chosen a school, the card shows its Ofsted grade, the days left of
// this year's allocation, the last visit and the open recommendations; "Add as attendee" puts the
// headteacher on the appointment (requiredAttendees.addAsync); axe checks each state.
let t: TestApp;
let browser: Browser;
let partner: { email: string; name: string; id: string };

const STORAGE_KEY = 'sv.fakeOutlook.appointment';
const SHOTS = '/tmp/shots-pane';

interface CardData {
  id: string;
  name: string;
  lastOfstedGrade: number | null;
  headteacher: { name: string; email: string | null };
  chairOfGovernors: { name: string; email: string | null };
  visibleRiskCategory: { category: string; effectiveFrom: string } | null;
  currentAllocations: { days: number; daysSpent: number; daysRemaining: number; partner: { id: string } }[];
  lastVisit: { startsAt: string; leadPartner: { name: string } } | null;
  openRecommendations: { totalCount: number; nodes: { action: string; dueOn: string }[] } | null;
}
const CARD = `query($id: ID!) { school(id: $id) { id name lastOfstedGrade headteacher { name email } chairOfGovernors { name email }
  visibleRiskCategory { category effectiveFrom } currentAllocations { days daysSpent daysRemaining partner { id } }
  lastVisit { startsAt leadPartner { name } } openRecommendations(first: 3) { totalCount nodes { action dueOn } } } }`;

/** The partner's own school the card is tried on: one with more open recommendations than the card lists, and a last visit. */
let own: CardData;
/** A school the partner has never had. */
let other: { id: string; name: string };

function wednesdayInWeeks(weeks: number): { start: string; end: string } {
  const d = testClock.now(); // the suite's day, which the pages also run on
  d.setUTCDate(d.getUTCDate() + ((3 - d.getUTCDay() + 7) % 7) + 7 * weeks);
  d.setUTCHours(9, 30, 0, 0);
  return { start: d.toISOString(), end: new Date(d.getTime() + 3 * 3_600_000).toISOString() };
}

async function openPane(appointment: Partial<FakeAppointment>): Promise<{ context: BrowserContext; page: Page; problems: PageProblems }> {
  const { context, problems } = await isolatedContext(browser);
  await context.addInitScript(
    ({ person, appointment }) => {
      if (location.protocol !== 'http:') return;
      localStorage.setItem('sv.devPerson', person.email);
      (window as any).__SV_FAKE_OFFICE__ = { user: { emailAddress: person.email, displayName: person.name }, appointment };
    },
    { person: partner, appointment },
  );
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(`${t.url}/addin/outlook/taskpane.html`);
  return { context, page, problems };
}

const stored = (page: Page) => page.evaluate((key) => JSON.parse(localStorage.getItem(key)!) as FakeAppointment, STORAGE_KEY);
const announcement = (page: Page) => page.getByTestId('announcement').textContent();

/** Screenshots go beside the suite's artefacts and to this run's folder, to be looked at. */
async function shot(page: Page, name: string) {
  const file = await screenshot(page, name);
  mkdirSync(SHOTS, { recursive: true });
  copyFileSync(file, path.join(SHOTS, path.basename(file)));
}

/** Chooses a school in the booking form's combobox by typing part of its name, as a partner would. */
async function chooseSchool(frame: Pick<Page, 'getByRole'>, name: string) {
  const combobox = frame.getByRole('combobox', { name: /School/ });
  await combobox.click();
  await combobox.fill(name.slice(0, 14));
  await frame.getByRole('option', { name: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) }).click();
}

beforeAll(async () => {
  t = await startTestApp();
  const p = await t.personWithRole(PartnerRole.PARTNER);
  partner = { email: p.partner.email, name: p.partner.name, id: p.partner.id };
  const em = t.app.orm.em.fork();
  const mine = await em.find(Allocation, { partner: partner.id, academicYear: academicYearOf(testToday()) }, { populate: ['school'], orderBy: { id: 'asc' } });
  const cards: CardData[] = [];
  for (const a of mine) {
    const res = await t.gql<{ school: CardData }>(CARD, { id: a.school.id }, { token: p.token });
    expect(res.errors).toBeUndefined();
    cards.push(res.data!.school);
  }
  const chosen = cards.find(
    (c) => (c.openRecommendations?.totalCount ?? 0) > 3 && c.lastVisit && c.lastOfstedGrade && c.headteacher.email && c.chairOfGovernors.email,
  );
  expect(chosen, "a school of the partner's with more than three open recommendations, a last visit, and a headteacher and chair with addresses").toBeDefined();
  own = chosen!;
  // A school the partner has never had, whose chair the register gives no address for (in this file's own database).
  const ever = new Set((await em.find(Allocation, { partner: partner.id })).map((a) => a.school.id));
  const others = await em.find(School, { status: 'open' as never }, { orderBy: { name: 'asc' }, limit: 100 });
  const o = others.find((s) => !ever.has(s.id) && s.headteacher?.email && s.chairOfGovernors && /^[A-Za-z ]{14}/.test(s.name))!;
  await em.getConnection().execute('update school set chair_of_governors_email = null where id = ?', [o.id]);
  other = { id: o.id, name: o.name };
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

describe("the school's card in the Outlook pane", () => {
  it('shows the chosen school before booking, offers its headteacher and chair as attendees, and books them in their roles', { timeout: 150_000 }, async () => {
    const { context, page, problems } = await openPane({ surface: 'organiser', ...wednesdayInWeeks(3) });
    await page.getByRole('heading', { name: 'Book a school visit' }).waitFor();
    await chooseSchool(page, own.name);

    const card = page.getByRole('region', { name: own.name });
    await card.waitFor();
    await expect
      .poll(() => card.getByRole('heading', { level: 4 }).allTextContents())
      .toEqual(['Allocation this academic year', 'Last visit', 'Open recommendations', 'Headteacher and chair of governors']);
    const text = () => card.textContent();
    // Ofsted grade in words, with its date in words
    const grades = ['', 'Outstanding', 'Good', 'Requires improvement', 'Inadequate'];
    expect(await card.getByTestId('ofsted').textContent()).toContain(`${grades[own.lastOfstedGrade!]} (grade ${own.lastOfstedGrade})`);
    // the risk category where the partner may see it (this year's school: they may)
    expect(own.visibleRiskCategory).not.toBeNull();
    expect(await card.getByTestId('risk-category').textContent()).toContain(`${own.visibleRiskCategory!.category}, ` /* its words follow */);
    expect(await card.getByTestId('risk-category').textContent()).toContain(formatDate(own.visibleRiskCategory!.effectiveFrom));
    // days left (or over budget) of this year's allocation
    const allocation = own.currentAllocations.find((a) => a.partner.id === partner.id)!;
    const left = allocation.daysRemaining;
    const n = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 }).format(Math.abs(left));
    expect(await card.getByTestId('allocation').textContent()).toContain(
      left < 0 ? `${n} ${Math.abs(left) === 1 ? 'day' : 'days'} over budget` : `${n} ${left === 1 ? 'day' : 'days'} left`,
    );
    // the last visit, its date in words and who led it
    expect(await card.getByTestId('last-visit').textContent()).toContain(`${formatDate(own.lastVisit!.startsAt)}, led by ${own.lastVisit!.leadPartner.name}`);
    // the open recommendations, three of them, soonest due first, and how many more
    const items = await card.getByTestId('open-recommendations').getByRole('listitem').allTextContents();
    expect(items.slice(0, 3).map((i, k) => i.startsWith(own.openRecommendations!.nodes[k]!.action))).toEqual([true, true, true]);
    expect(items[0]).toContain(`due ${formatDate(own.openRecommendations!.nodes[0]!.dueOn)}`);
    expect(items[3]).toBe(`and ${own.openRecommendations!.totalCount - 3} more`);
    expect(await text()).toContain(own.headteacher.email!);
    await expectAccessible(page, 'Pane: school card before booking');
    await shot(page, 'outlook-school-card');

    // "Add as attendee" puts the headteacher on the appointment's required attendees, announced; they show as added.
    await card.getByRole('button', { name: `Add as attendee: ${own.headteacher.name}, headteacher` }).click();
    await expect.poll(() => announcement(page)).toBe(`Added ${own.headteacher.name} (headteacher) to the appointment’s required attendees.`);
    expect((await stored(page)).requiredAttendees).toEqual([{ emailAddress: own.headteacher.email, displayName: own.headteacher.name }]);
    const head = card.locator('[data-contact="headteacher"]');
    expect(await head.getByText('On the appointment').count()).toBe(1);
    expect(await head.getByRole('button').count()).toBe(0);
    // the button pressed has gone: focus is on the people's heading, not lost to the page
    expect(await hasFocus(card.getByRole('heading', { name: 'Headteacher and chair of governors' }))).toBe(true);
    // adding is not booking: the card sits in the booking form, and its buttons never submit it
    expect((await stored(page)).customProperties.schoolVisitId).toBeUndefined();
    expect(await page.getByRole('button', { name: 'Book visit' }).count()).toBe(1);
    // one left to add: no "Add both"
    expect(await card.getByRole('button', { name: /^Add both/ }).count()).toBe(0);
    await expectAccessible(page, 'Pane: headteacher added');
    await shot(page, 'outlook-school-card-headteacher-added');

    // Booked, the visit has the headteacher in their role.
    await page.getByRole('button', { name: 'Book visit' }).click();
    await page.getByRole('heading', { level: 2, name: new RegExp(`visit - `) }).waitFor();
    const visitId = (await stored(page)).customProperties.schoolVisitId!;
    const attendeesOfVisit = async () =>
      (await t.app.orm.em.fork().findOneOrFail(Visit, visitId, { populate: ['attendees'] })).attendees.getItems().map((a) => [a.email, a.role]);
    expect(await attendeesOfVisit()).toEqual([[own.headteacher.email, AttendeeRole.HEADTEACHER]]);

    // Re-opened on the booked appointment, the card is beside the visit; adding the chair there puts them on
    // the appointment and on the visit, in their role, and focus stays with the school's people.
    await page.reload();
    const linkedCard = page.getByRole('region', { name: own.name });
    await linkedCard.getByTestId('ofsted').waitFor();
    await linkedCard.getByRole('button', { name: `Add as attendee: ${own.chairOfGovernors.name}, chair of governors` }).click();
    await expect.poll(() => announcement(page)).toBe(`Added ${own.chairOfGovernors.name} (chair of governors) to the appointment’s required attendees.`);
    expect((await stored(page)).requiredAttendees.map((a) => a.emailAddress)).toEqual([own.headteacher.email, own.chairOfGovernors.email]);
    expect(await attendeesOfVisit()).toEqual([
      [own.headteacher.email, AttendeeRole.HEADTEACHER],
      [own.chairOfGovernors.email, AttendeeRole.CHAIR_OF_GOVERNORS],
    ]);
    expect(await linkedCard.getByText('On the appointment').count()).toBe(2);
    await expect.poll(() => hasFocus(linkedCard.getByRole('heading', { name: 'Headteacher and chair of governors' }))).toBe(true);
    await expectAccessible(page, 'Pane: booked visit with the school card');
    await shot(page, 'outlook-school-card-booked');
    expect(problems).toEqual({ errors: [], blocked: [] });
    await context.close();
  });

  it('offers both at once, and shows a school the partner does not have without its category, visits or notes', { timeout: 120_000 }, async () => {
    const { context, page, problems } = await openPane({ surface: 'organiser', ...wednesdayInWeeks(4) });
    await page.getByRole('heading', { name: 'Book a school visit' }).waitFor();
    await chooseSchool(page, own.name);
    const card = page.getByRole('region', { name: own.name });
    await card.getByRole('button', { name: `Add both as attendees: ${own.headteacher.name} and ${own.chairOfGovernors.name}` }).click();
    await expect
      .poll(async () => (await stored(page)).requiredAttendees.map((a) => a.emailAddress))
      .toEqual([own.headteacher.email, own.chairOfGovernors.email]);
    await expect.poll(() => announcement(page)).toContain('and');
    expect(await card.getByRole('button', { name: /attendee/ }).count()).toBe(0);

    // Another school: the combobox searches them all.
    await chooseSchool(page, other.name);
    const otherCard = page.getByRole('region', { name: other.name });
    await otherCard.waitFor();
    expect(await otherCard.getByTestId('risk-category').count()).toBe(0);
    expect(await otherCard.getByTestId('last-visit').textContent()).toBe('You see this school’s visits and notes once it is allocated to you.');
    expect(await otherCard.getByRole('heading', { name: 'Open recommendations' }).count()).toBe(0);
    // its chair has no address in the register: named, with no button
    const chair = otherCard.locator('[data-contact="chair of governors"]');
    expect(await chair.textContent()).toContain('No email address in the register.');
    expect(await chair.getByRole('button').count()).toBe(0);
    expect(await otherCard.getByRole('button', { name: /^Add as attendee: .*headteacher$/ }).count()).toBe(1);
    await expectAccessible(page, 'Pane: card of a school not allocated');
    await shot(page, 'outlook-school-card-not-allocated');
    expect(problems).toEqual({ errors: [], blocked: [] });
    await context.close();
  });

  it('works on the development Outlook page: the headteacher added from the pane shows on the simulated appointment', { timeout: 120_000 }, async () => {
    const { context, problems } = await isolatedContext(browser);
    await context.addInitScript((email) => {
      if (location.protocol === 'http:') localStorage.setItem('sv.devPerson', email);
    }, partner.email);
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${t.url}/dev/outlook`);
    const pane = page.frameLocator('iframe[title="Task pane"]');
    await pane.getByRole('heading', { name: 'Book a school visit' }).waitFor();
    await chooseSchool(pane as unknown as Page, own.name);
    const card = pane.getByRole('region', { name: own.name });
    await card.getByTestId('ofsted').waitFor();
    await card.getByRole('button', { name: `Add as attendee: ${own.headteacher.name}, headteacher` }).click();
    await expect.poll(() => page.getByRole('textbox', { name: 'Attendees' }).inputValue()).toBe(`${own.headteacher.name} <${own.headteacher.email}>`);
    await card.getByText('On the appointment').waitFor();
    await shot(page, 'dev-outlook-school-card');
    expect(problems).toEqual({ errors: [], blocked: [] });
    await context.close();
  });
});
