import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmailStatus, OutboundEmail } from '../../api/src/mail/outbound-email.entity.js';
import type { MailTransport } from '../../api/src/platform/mail/mail-transport.js';
import { PartnerRole } from '../../api/src/partners/partner.enums.js';
import { AgendaTemplate } from '../../api/src/visits/agenda-template.entity.js';
import { VisitType } from '../../api/src/visits/visit.enums.js';
import { Visit } from '../../api/src/visits/visit.entity.js';
import { startTestApp, type TestApp } from '../../api/test/support/test-app.js';
import { testClock } from '../../api/test/support/test-clock.js';
import type { FakeAppointment } from '../src/outlook/fake-office.js';
import { expectAccessible } from './support/axe.js';
import { isolatedContext, launchBrowser, screenshot, type PageProblems } from './support/browser.js';
import { hasFocus, tabTo } from './support/keyboard.js';

// A visit's whole life from the Outlook task pane (issue 21), in headless Chromium against
// the real API: booked with its attendees, its agenda attached once, edited, its type
// changed, moved (and the body's agenda with it), the school sent its link, its emails
// retried, cancelled; and a visit that has taken place completed. axe checks each state.
let t: TestApp;
let browser: Browser;
let partner: { email: string; name: string; id: string };
let colleague: { email: string; name: string; id: string };

const STORAGE_KEY = 'sv.fakeOutlook.appointment';
/** The school's address the mail server refuses while `refusing` (then accepts, as after a fault is fixed). */
const REFUSED = 'office@school.example';
let refusing = true;
const mailTransport: MailTransport = {
  send: async (message) => {
    if (refusing && message.to === REFUSED) throw new Error('550 The mail server refused the message');
  },
};

function wednesdayInWeeks(weeks: number, hour = 9): { start: string; end: string } {
  const d = testClock.now(); // the suite's day, which the pages also run on
  d.setUTCDate(d.getUTCDate() + ((3 - d.getUTCDay() + 7) % 7) + 7 * weeks);
  d.setUTCHours(hour, 30, 0, 0);
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
/** Changes the simulated appointment as Outlook would (the organiser edits it), then re-opens the pane on it. */
async function editAppointment(page: Page, patch: Partial<FakeAppointment>) {
  await page.evaluate(({ key, patch }) => localStorage.setItem(key, JSON.stringify({ ...JSON.parse(localStorage.getItem(key)!), ...patch })), {
    key: STORAGE_KEY,
    patch,
  });
  await page.reload();
}
const announcement = (page: Page) => page.getByTestId('announcement').textContent();
const visitOf = (id: string) => t.app.orm.em.fork().findOneOrFail(Visit, id, { populate: ['attendees', 'agendaItems'] });
/** "Wednesday 17 March 2027", as the agenda block words the visit's day (London time). */
function londonWhen(iso: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).formatToParts(
    new Date(iso),
  );
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${part('weekday')} ${part('day')} ${part('month')} ${part('year')}`;
}

beforeAll(async () => {
  t = await startTestApp({ mailTransport });
  partner = (await t.personWithRole(PartnerRole.PARTNER)).partner;
  colleague = (await t.personWithRole(PartnerRole.MANAGER)).partner;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

describe('a visit’s life in the Outlook task pane', () => {
  let visitId = '';
  let context: BrowserContext;
  let page: Page;
  let problems: PageProblems;
  afterAll(() => context?.close());

  it(
    'books with the appointment’s attendees, announces it and keeps focus, and attaches the agenda once however often pressed',
    { timeout: 120_000 },
    async () => {
      ({ context, page, problems } = await openPane({
        surface: 'organiser',
        ...wednesdayInWeeks(3),
        bodyHtml: '<p>Parking at the back.</p>',
        requiredAttendees: [
          { emailAddress: 'head@school.example', displayName: 'Pat Head' },
          { emailAddress: colleague.email, displayName: colleague.name },
        ],
      }));
      await page.getByRole('heading', { name: 'Book a school visit' }).waitFor();
      await page.getByRole('combobox', { name: /School/ }).click();
      await page.getByRole('listbox').getByRole('group').first().getByRole('option').first().click();
      await page.getByText('Checking the date and the allocation…').waitFor({ state: 'detached' });
      await page.getByRole('button', { name: 'Book visit' }).click();
      const heading = page.getByRole('heading', { level: 2, name: / - / });
      await heading.waitFor();
      await expect.poll(() => announcement(page)).toMatch(/^Booked: .+ visit - /);
      await expect.poll(() => hasFocus(heading)).toBe(true);

      visitId = (await stored(page)).customProperties.schoolVisitId!;
      const visit = await visitOf(visitId);
      expect(visit.attendees.getItems().map((a) => [a.email, a.role, a.partner?.id ?? null])).toEqual([
        ['head@school.example', 'school_staff', null],
        [colleague.email.toLowerCase(), 'partner', colleague.id],
      ]);
      await expectAccessible(page, 'Pane: booked, announced');

      const attach = page.getByRole('button', { name: /Attach agenda as Word|Attaching/ });
      await attach.click();
      await attach.click(); // pressed again, while the first is at work or after: one attachment either way
      await expect.poll(() => announcement(page)).toMatch(/Attached “Agenda - .+\.docx”\.|is already attached\./);
      await page.getByRole('button', { name: 'Attach agenda as Word' }).click();
      await expect.poll(() => announcement(page)).toMatch(/^“Agenda - .+\.docx” is already attached\.$/);
      const attachments = (await stored(page)).attachments;
      expect(attachments).toHaveLength(1);
      expect(attachments[0]!.name).toMatch(/^Agenda - .+\.docx$/);
      expect(problems).toEqual({ errors: [], blocked: [] });
    },
  );

  it('edits the agenda, and the agenda in the appointment body says so', { timeout: 90_000 }, async () => {
    expect(visitId, 'the booking test runs first').not.toBe('');
    await page.getByRole('button', { name: 'Edit the agenda' }).click();
    const first = page.getByRole('textbox', { name: 'Item 1' });
    await expect.poll(() => hasFocus(first)).toBe(true);
    await expectAccessible(page, 'Pane: editing the agenda');
    await first.fill('Tour of the new library');
    await page.getByRole('button', { name: 'Save the agenda' }).click();
    await expect.poll(() => announcement(page)).toContain('Agenda saved');
    await expect.poll(() => page.getByTestId('agenda').textContent()).toContain('Tour of the new library');
    await expect.poll(() => hasFocus(page.getByRole('button', { name: 'Edit the agenda' }))).toBe(true);
    const body = (await stored(page)).bodyHtml;
    expect(body).toContain('Tour of the new library');
    expect(body.split('Visit reference').length - 1).toBe(1);
    expect(body.endsWith('<p>Parking at the back.</p>')).toBe(true);
    expect((await visitOf(visitId)).agendaItems.getItems()[0]!.title).toBe('Tour of the new library');
  });

  it('rewrites the agenda block with the new date after "Move the visit"', { timeout: 90_000 }, async () => {
    const before = (await stored(page)).bodyHtml;
    const old = wednesdayInWeeks(3);
    expect(before).toContain(londonWhen(old.start));
    const moved = wednesdayInWeeks(4, 13);
    await editAppointment(page, moved);
    await page.getByTestId('times-differ').waitFor();
    await expectAccessible(page, 'Pane: appointment moved');
    await page.getByRole('button', { name: 'Move the visit' }).click();
    await expect.poll(() => announcement(page)).toMatch(/^Visit moved to /);
    await page.getByTestId('times-differ').waitFor({ state: 'detached' });
    await expect.poll(() => hasFocus(page.getByRole('heading', { level: 2, name: / - / }))).toBe(true);
    const body = (await stored(page)).bodyHtml;
    expect(body).not.toContain(londonWhen(old.start));
    expect(body).toContain(londonWhen(moved.start));
    expect(body).toContain('Tour of the new library');
    expect(body.endsWith('<p>Parking at the back.</p>')).toBe(true);
    expect((await visitOf(visitId)).startsAt.toISOString()).toBe(moved.start);
  });

  it('changes the type after asking, bringing the new type’s (fixed) agenda', { timeout: 90_000 }, async () => {
    await page.getByRole('combobox', { name: 'Change the type to' }).click();
    await page.getByRole('option', { name: 'Round table visit' }).click();
    await page.getByRole('button', { name: 'Change the type' }).click();
    // The partner edited the agenda: asked first; a round table's agenda is fixed, so keeping it is not offered.
    const confirm = page.getByTestId('confirm-agenda');
    await confirm.waitFor();
    expect(await confirm.getByRole('button', { name: 'Keep my agenda' }).count()).toBe(0);
    await expectAccessible(page, 'Pane: asked before replacing the agenda');
    await confirm.getByRole('button', { name: 'Replace the agenda' }).click();
    await expect.poll(() => announcement(page)).toMatch(/^Now a round table visit, with its agenda\./);
    const template = await t.app.orm.em.fork().findOneOrFail(AgendaTemplate, { visitType: VisitType.ROUND_TABLE });
    const titles = template.items.map((i) => i.title);
    await expect.poll(() => page.getByTestId('agenda').locator('li').count()).toBe(titles.length);
    expect(await page.getByTestId('agenda').textContent()).toContain(titles[0]!);
    // Fixed: not offered to a partner (the API would refuse it).
    expect(await page.getByRole('button', { name: 'Edit the agenda' }).count()).toBe(0);
    await page.getByText('This type of visit has a fixed agenda').waitFor();
    const visit = await visitOf(visitId);
    expect(visit.type).toBe(VisitType.ROUND_TABLE);
    expect(visit.agendaItems.getItems().map((i) => i.title)).toEqual(titles);
    const appointment = await stored(page);
    expect(appointment.subject).toMatch(/^Round table visit - /);
    expect(appointment.bodyHtml).toContain(titles[0]!);
    expect(appointment.bodyHtml).not.toContain('Tour of the new library');
  });

  it('sends the school its link, lists the email and sends a failed one again', { timeout: 90_000 }, async () => {
    await page.getByRole('textbox', { name: /Send the link to/ }).fill(REFUSED);
    await page.getByRole('button', { name: 'Send the school its link' }).click();
    await expect.poll(() => announcement(page)).toMatch(/^Link sent to office@school\.example/);
    // The mail server refuses it: the outbox records the failure (and would try again later).
    await t.app.outbox.runOnce();
    const email = await t.app.orm.em.fork().findOneOrFail(OutboundEmail, { visit: visitId, toAddress: REFUSED });
    expect(email.lastError).toContain('refused');
    expect(email.status).not.toBe(EmailStatus.SENT);
    await page.reload();
    const item = page.getByTestId('visit-emails').locator('li', { hasText: REFUSED });
    await item.getByRole('button', { name: /Send again/ }).waitFor();
    expect(await item.textContent()).toContain('refused');
    await expectAccessible(page, 'Pane: an email not sent');
    refusing = false; // the fault is fixed; the partner sends it again
    await item.getByRole('button', { name: /Send again/ }).click();
    await expect.poll(() => announcement(page)).toBe('Email sent.');
    await expect.poll(() => item.getAttribute('data-email-status')).toBe('SENT');
    await expect.poll(() => hasFocus(page.getByRole('heading', { name: 'Emails about this visit' }))).toBe(true);
    expect((await t.app.orm.em.fork().findOneOrFail(OutboundEmail, email.id)).status).toBe(EmailStatus.SENT);
  });

  it('says so in words a partner can act on when the visit changed elsewhere, and reloads it', { timeout: 90_000 }, async () => {
    // Someone else changes the visit after the pane loaded it.
    const token = await t.issuer.signForPerson(partner.email);
    const now = await visitOf(visitId);
    const res = await t.gql(
      'mutation($id: ID!, $v: Int!, $s: DateTime!, $e: DateTime!) { rescheduleVisit(id: $id, expectedVersion: $v, startsAt: $s, endsAt: $e, location: "The hall") { version } }',
      { id: visitId, v: now.version, s: now.startsAt.toISOString(), e: now.endsAt.toISOString() },
      { token },
    );
    expect(res.errors).toBeUndefined();
    await page.getByRole('textbox', { name: /Reason for cancelling/ }).fill('The school is closed for a burst pipe');
    await page.getByRole('button', { name: 'Cancel the visit' }).click();
    const alert = page.locator('[data-error-code="CONFLICT"]').first();
    await alert.waitFor();
    expect(await alert.textContent()).toContain('This visit was changed elsewhere');
    expect(await alert.textContent()).toContain('make your change again');
    await expect.poll(() => page.getByText('The hall').count()).toBeGreaterThan(0); // reloaded: the colleague's change shows
    expect((await visitOf(visitId)).status).toBe('booked');
    await expectAccessible(page, 'Pane: changed elsewhere');
  });

  it('cancels the visit with a reason', { timeout: 90_000 }, async () => {
    await page.getByRole('textbox', { name: /Reason for cancelling/ }).fill('The school is closed for a burst pipe');
    await page.getByRole('button', { name: 'Cancel the visit' }).click();
    await expect.poll(() => announcement(page)).toMatch(/^Visit cancelled/);
    await expect.poll(() => page.getByTestId('visit-status').textContent()).toBe('Visit cancelled');
    await expect.poll(() => hasFocus(page.getByRole('heading', { level: 2, name: / - / }))).toBe(true);
    expect(await page.getByText('Cancelled: The school is closed for a burst pipe').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Cancel the visit' }).count()).toBe(0);
    const visit = await visitOf(visitId);
    expect(visit.status).toBe('cancelled');
    expect(visit.cancellationReason).toBe('The school is closed for a burst pipe');
    await expectAccessible(page, 'Pane: cancelled');
    await screenshot(page, 'outlook-visit-cancelled-light');
    expect(problems).toEqual({ errors: [], blocked: [] });
  });
});

describe('a visit that has taken place', () => {
  it('is completed from the pane with the keyboard, focus kept on the visit', { timeout: 90_000 }, async () => {
    // Booked last week from an appointment, through the API as the partner would have.
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
          type: 'AUTUMN',
          startsAt: start.toISOString(),
          endsAt: end.toISOString(),
          appointment: { itemId: 'AAMkPastVisitToComplete', organiserEmail: partner.email },
        },
      },
      { token },
    );
    expect(booked.errors).toBeUndefined();
    const { context, page, problems } = await openPane({
      surface: 'organiser',
      itemId: 'AAMkPastVisitToComplete',
      start: start.toISOString(),
      end: end.toISOString(),
    });
    // With the keyboard only: the button pressed goes, and focus lands on the visit, not the page.
    const complete = page.getByRole('button', { name: 'Mark the visit completed' });
    await complete.waitFor();
    await tabTo(page, complete);
    await page.keyboard.press('Enter');
    await expect.poll(() => announcement(page)).toBe('Visit completed.');
    await expect.poll(() => page.getByTestId('visit-status').textContent()).toBe('Visit completed');
    await expect.poll(() => hasFocus(page.getByRole('heading', { level: 2, name: / - / }))).toBe(true);
    expect(await page.getByRole('button', { name: 'Mark the visit completed' }).count()).toBe(0);
    expect((await visitOf(booked.data!.bookVisit.id)).status).toBe('completed');
    await expectAccessible(page, 'Pane: completed');
    expect(problems).toEqual({ errors: [], blocked: [] });
    await context.close();
  });
});

describe('the development Outlook page', () => {
  it('runs the launch-event handlers when the simulated appointment’s time or attendees change', { timeout: 150_000 }, async () => {
    const { context, problems } = await isolatedContext(browser);
    await context.addInitScript((email) => {
      if (location.protocol === 'http:') localStorage.setItem('sv.devPerson', email);
    }, partner.email);
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${t.url}/dev/outlook`);
    const pane = page.frameLocator('iframe[title="Task pane"]');
    await pane.getByRole('heading', { name: 'Book a school visit' }).waitFor();
    await pane.getByRole('combobox', { name: /School/ }).click();
    await pane.getByRole('listbox').getByRole('group').first().getByRole('option').first().click();
    await pane.getByText('Checking the date and the allocation…').waitFor({ state: 'detached' });
    await pane.getByRole('button', { name: 'Book visit' }).click();
    await pane.getByRole('heading', { level: 2, name: / - / }).waitFor();
    const appointment = () => page.evaluate(() => JSON.parse(localStorage.getItem('sv.devOutlook.appointment')!) as FakeAppointment);
    const visitId = (await appointment()).customProperties.schoolVisitId!;
    const booked = await visitOf(visitId);

    // The organiser starts it an hour and a half earlier, with the pane closed: the handler moves the visit.
    const starts = page.getByLabel('Starts');
    const value = await starts.inputValue(); // "yyyy-mm-ddThh:mm", London time
    await starts.fill(`${value.slice(0, 10)}T08:00`);
    const outcome = page.getByTestId('launch-event-outcome');
    await expect.poll(() => outcome.textContent()).toBe('OnAppointmentTimeChanged: moved');
    const moved = await visitOf(visitId);
    expect(moved.startsAt.getTime()).toBe(booked.startsAt.getTime() - 90 * 60_000);
    expect((await appointment()).bodyHtml).toContain(', 08:00 to ');

    await page.getByRole('textbox', { name: 'Attendees' }).fill(`Pat Head <head@school.example>\n${colleague.name} <${colleague.email}>`);
    await page.keyboard.press('Tab'); // leaving the field: Outlook's attendees changed
    await expect.poll(() => outcome.textContent()).toBe('OnAppointmentAttendeesChanged: attendees updated');
    expect((await visitOf(visitId)).attendees.getItems().map((a) => [a.email, a.role])).toEqual([
      ['head@school.example', 'school_staff'],
      [colleague.email.toLowerCase(), 'partner'],
    ]);
    await pane.getByRole('heading', { level: 2, name: / - / }).waitFor(); // the pane, reopened, shows the visit
    expect(await pane.getByTestId('times-differ').count()).toBe(0);
    expect(problems).toEqual({ errors: [], blocked: [] });
    await context.close();
  });
});
