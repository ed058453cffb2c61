import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PartnerRole } from '../../api/src/partners/partner.enums.js';
import { Visit } from '../../api/src/visits/visit.entity.js';
import { startTestApp, type TestApp } from '../../api/test/support/test-app.js';
import { testClock } from '../../api/test/support/test-clock.js';
import { AGENDA_BLOCK_ID, withAgendaBlock } from '../src/outlook/agenda-block.js';
import { bookFromAppointment, findLinkedVisit, type SchoolChoice } from '../src/outlook/appointment-visit.js';
import { createFakeOffice, newFakeAppointment, type FakeAppointment, type FakeOffice } from '../src/outlook/fake-office.js';
import { LAUNCH_EVENT_FUNCTIONS, registerLaunchEvents, type LaunchEventOutcome } from '../src/outlook/launch-events.js';
import { outlookAppointment } from '../src/outlook/office-adapter.js';
import { createApiClient, type ApiClient } from '../src/shared/api/api-client.js';

// The event-based activation handlers (launch-events.ts), fired by the fake Office.js as
// Outlook fires them, against the real API and database; and the recurring appointment's
// occurrences, each its own visit.
let t: TestApp;
let partner: { email: string; name: string };
let colleague: { email: string; name: string; id: string };
let partnerApi: ApiClient;
let school: SchoolChoice;

function apiAs(email: string): ApiClient {
  const absolute: typeof fetch = (input, init) => fetch(new URL(String(input), t.url), init);
  return createApiClient(`${t.url}/graphql`, { getToken: () => t.issuer.signForPerson(email), account: () => null }, absolute);
}

/** A Wednesday some weeks after the suite's day, 09:30 London in winter or summer (UTC here). */
function wednesday(weeks: number, hour = 9): Date {
  const d = testClock.now();
  d.setUTCDate(d.getUTCDate() + ((3 - d.getUTCDay() + 7) % 7) + 7 * weeks);
  d.setUTCHours(hour, 30, 0, 0);
  return d;
}

function organiserOffice(start: Date, overrides: Partial<FakeAppointment> = {}): FakeOffice {
  return createFakeOffice(
    newFakeAppointment({
      start: start.toISOString(),
      end: new Date(start.getTime() + 3 * 3_600_000).toISOString(),
      bodyHtml: '<p>Parking at the back.</p>',
      ...overrides,
    }),
    { user: { emailAddress: partner.email, displayName: partner.name } },
  );
}

/** The handlers associated with this Office, as the launch-events runtime associates them; their outcomes collected. */
function withHandlers(office: FakeOffice, api: () => Promise<ApiClient> = async () => partnerApi): LaunchEventOutcome[] {
  const outcomes: LaunchEventOutcome[] = [];
  registerLaunchEvents(office, api, (o) => outcomes.push(o));
  return outcomes;
}

const visitOf = (id: string) => t.app.orm.em.fork().findOneOrFail(Visit, id, { populate: ['attendees'] });

beforeAll(async () => {
  t = await startTestApp();
  partner = (await t.personWithRole(PartnerRole.PARTNER)).partner;
  const manager = (await t.personWithRole(PartnerRole.MANAGER)).partner;
  colleague = { email: manager.email, name: manager.name, id: manager.id };
  partnerApi = apiAs(partner.email);
  const mine = await t.gql<{ me: { allocations: { school: SchoolChoice }[] } }>(
    '{ me { allocations { school { id name address { oneLine } } } } }',
    {},
    { token: await t.issuer.signForPerson(partner.email) },
  );
  school = mine.data!.me.allocations[0]!.school;
});

afterAll(() => t?.stop());

describe('the agenda block in the body', () => {
  it('is replaced where it is, keeping what the organiser wrote above and below it', () => {
    const body = `<p>Before</p>${withAgendaBlock('', '<div data-school-visit-id="x"><div>Old date</div></div>')}<p>After</p>`;
    const next = withAgendaBlock(body, '<div>New date</div>');
    expect(next).toBe(`<p>Before</p><div id="${AGENDA_BLOCK_ID}"><div>New date</div></div><p>After</p>`);
    // Outlook prefixes the ids it keeps ("x_"); the block is still found.
    expect(withAgendaBlock(next.replace(`id="${AGENDA_BLOCK_ID}"`, `id="x_${AGENDA_BLOCK_ID}"`), '<b>Newer</b>')).toBe(
      `<p>Before</p><div id="${AGENDA_BLOCK_ID}"><b>Newer</b></div><p>After</p>`,
    );
    // None yet: put at the top.
    expect(withAgendaBlock('<p>Only mine</p>', '<i>Agenda</i>')).toBe(`<div id="${AGENDA_BLOCK_ID}"><i>Agenda</i></div><p>Only mine</p>`);
    // Outlook's body is a whole document: the top of the body is inside <body>, not before <html>.
    expect(withAgendaBlock('<html><head><meta charset="utf-8"></head><body dir="ltr"><p>Only mine</p></body></html>', '<i>Agenda</i>')).toBe(
      `<html><head><meta charset="utf-8"></head><body dir="ltr"><div id="${AGENDA_BLOCK_ID}"><i>Agenda</i></div><p>Only mine</p></body></html>`,
    );
  });
});

describe('event-based activation, fired by the fake Office', () => {
  it('associates a handler for each launch event in the manifest', async () => {
    const office = organiserOffice(wednesday(3));
    const outcomes = withHandlers(office);
    for (const name of Object.values(LAUNCH_EVENT_FUNCTIONS)) await expect(office.fireLaunchEvent(name)).resolves.toBeUndefined();
    expect(outcomes.map((o) => o.event)).toEqual(Object.keys(LAUNCH_EVENT_FUNCTIONS));
  });

  it('moves the visit when the appointment’s time changes, and rewrites the agenda block with the new date', async () => {
    const office = organiserOffice(wednesday(3));
    const visit = await bookFromAppointment(outlookAppointment(office), partnerApi, { school, type: 'AUTUMN' });
    const oldWhen = /(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) \d+ \w+ \d{4}, \d\d:\d\d/.exec(office.appointment.bodyHtml)![0];
    const outcomes = withHandlers(office);

    // The organiser drags the appointment a day later, an hour earlier, with the pane closed.
    const start = new Date(wednesday(3, 8).getTime() + 86_400_000);
    office.appointment.start = start.toISOString();
    office.appointment.end = new Date(start.getTime() + 3 * 3_600_000).toISOString();
    await office.fireLaunchEvent(LAUNCH_EVENT_FUNCTIONS.OnAppointmentTimeChanged, 'olkAppointmentTimeChanged');

    expect(outcomes).toEqual([{ event: 'OnAppointmentTimeChanged', result: 'moved' }]);
    const moved = await visitOf(visit.id);
    expect(moved.startsAt.getTime()).toBe(start.getTime());
    expect(moved.version).toBeGreaterThan(visit.version);
    const body = office.appointment.bodyHtml;
    expect(body).not.toContain(oldWhen);
    expect(body.split('Visit reference').length - 1).toBe(1);
    expect(body).toContain('Thursday');
    expect(body.endsWith('<p>Parking at the back.</p>')).toBe(true);

    // Fired again with nothing changed: nothing to do, and still completed.
    await office.fireLaunchEvent(LAUNCH_EVENT_FUNCTIONS.OnAppointmentTimeChanged);
    expect(outcomes.at(-1)).toEqual({ event: 'OnAppointmentTimeChanged', result: 'unchanged' });
  });

  it('sends the attendees to the visit when they change, updating the same visit', async () => {
    const office = organiserOffice(wednesday(4));
    const visit = await bookFromAppointment(outlookAppointment(office), partnerApi, { school, type: 'AUTUMN' });
    expect((await visitOf(visit.id)).attendees).toHaveLength(0);
    const outcomes = withHandlers(office);

    office.appointment.requiredAttendees = [
      { emailAddress: 'Head@School.example', displayName: 'Pat Head' },
      { emailAddress: colleague.email.toUpperCase(), displayName: colleague.name },
    ];
    office.appointment.optionalAttendees = [{ emailAddress: partner.email, displayName: partner.name }]; // the organiser: not an attendee
    await office.fireLaunchEvent(LAUNCH_EVENT_FUNCTIONS.OnAppointmentAttendeesChanged, 'olkAppointmentAttendeesChanged');

    expect(outcomes).toEqual([{ event: 'OnAppointmentAttendeesChanged', result: 'attendees updated' }]);
    const after = await visitOf(visit.id);
    const attendees = after.attendees.getItems().map((a) => ({ email: a.email, role: a.role, partner: a.partner?.id ?? null }));
    expect(attendees).toEqual([
      { email: 'head@school.example', role: 'school_staff', partner: null },
      { email: colleague.email.toLowerCase(), role: 'partner', partner: colleague.id },
    ]);
    expect(after.startsAt.getTime()).toBe(new Date(visit.startsAt).getTime());
    expect(await t.app.orm.em.fork().count(Visit, { appointment: { itemId: office.appointment.itemId } })).toBe(1);
  });

  it('leaves an appointment that is not a visit alone, and completes the event whatever fails', async () => {
    const office = organiserOffice(wednesday(5));
    const outcomes = withHandlers(office);
    await office.fireLaunchEvent(LAUNCH_EVENT_FUNCTIONS.OnAppointmentTimeChanged);
    expect(outcomes).toEqual([{ event: 'OnAppointmentTimeChanged', result: 'not a booked visit' }]);

    const unreachable = organiserOffice(wednesday(5));
    const failures = withHandlers(unreachable, async () => {
      throw new Error('no network');
    });
    await unreachable.fireLaunchEvent(LAUNCH_EVENT_FUNCTIONS.OnAppointmentAttendeesChanged);
    expect(failures).toEqual([{ event: 'OnAppointmentAttendeesChanged', result: 'failed', detail: 'no network' }]);
  });
});

describe('a recurring appointment', () => {
  it('books each occurrence as its own visit, with its series, and never shows one occurrence another’s visit', async () => {
    const series = 'AAMkSeriesMaster1';
    const first = organiserOffice(wednesday(6), { itemId: 'AAMkOccurrence1', seriesId: series });
    const firstVisit = await bookFromAppointment(outlookAppointment(first), partnerApi, { school, type: 'JOINT_EVALUATION' });
    expect((await visitOf(firstVisit.id)).appointment?.seriesMasterId).toBe(series);

    // The next occurrence carries the series' custom property and body: both name the first visit.
    const second = organiserOffice(wednesday(10), {
      itemId: 'AAMkOccurrence2',
      seriesId: series,
      customProperties: { ...first.appointment.customProperties },
      bodyHtml: first.appointment.bodyHtml,
    });
    expect(await findLinkedVisit(outlookAppointment(second), partnerApi)).toBeNull();

    const secondVisit = await bookFromAppointment(outlookAppointment(second), partnerApi, { school, type: 'JOINT_EVALUATION' });
    expect(secondVisit.id).not.toBe(firstVisit.id);
    expect(new Date(secondVisit.startsAt).getTime()).toBe(wednesday(10).getTime());
    expect(second.appointment.bodyHtml.split('Visit reference').length - 1).toBe(1);
    expect(second.appointment.bodyHtml).toContain(secondVisit.id);
    expect((await findLinkedVisit(outlookAppointment(second), partnerApi))?.id).toBe(secondVisit.id);
    expect((await findLinkedVisit(outlookAppointment(first), partnerApi))?.id).toBe(firstVisit.id);
    // The first visit did not move to the second occurrence.
    expect((await visitOf(firstVisit.id)).startsAt.getTime()).toBe(wednesday(6).getTime());
  });
});
