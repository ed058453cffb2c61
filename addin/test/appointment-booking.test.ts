import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../api/test/support/test-app.js';
import { PartnerRole } from '../../api/src/partners/partner.enums.js';
import { Visit } from '../../api/src/visits/visit.entity.js';
import {
  appointmentSubject,
  attachAgendaDocument,
  bookFromAppointment,
  findLinkedVisit,
  moveVisitToAppointment,
  timesDiffer,
  type SchoolChoice,
} from '../src/outlook/appointment-visit.js';
import { createFakeOffice, newFakeAppointment, type FakeAppointment } from '../src/outlook/fake-office.js';
import { outlookAppointment, VISIT_ID_PROPERTY, visitReferenceIn } from '../src/outlook/office-adapter.js';
import { createApiClient, type ApiClient } from '../src/shared/api/api-client.js';
import { ApiError } from '../src/shared/api/api-error.js';

// The task pane's booking flow, with the fake Office.js, against the real API and database.
let t: TestApp;
let partnerEmail: string;
let partnerApi: ApiClient;
let managerApi: ApiClient;
let school: SchoolChoice;

function apiAs(email: string): ApiClient {
  const absolute: typeof fetch = (input, init) => fetch(new URL(String(input), t.url), init);
  return createApiClient(`${t.url}/graphql`, { getToken: () => t.issuer.signForPerson(email), account: () => null }, absolute);
}

const nextWednesday = (weeks: number) => {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + ((3 - d.getUTCDay() + 7) % 7) + 7 * weeks);
  d.setUTCHours(9, 30, 0, 0);
  return d;
};

function organiserAppointment(weeks: number, overrides: Partial<FakeAppointment> = {}) {
  const start = nextWednesday(weeks);
  return createFakeOffice(
    newFakeAppointment({
      start: start.toISOString(),
      end: new Date(start.getTime() + 3 * 3_600_000).toISOString(),
      bodyHtml: '<p>Parking at the back.</p>',
      ...overrides,
    }),
    {
      user: { emailAddress: partnerEmail, displayName: 'Partner' },
    },
  );
}

const visitsForItem = (itemId: string) => t.app.orm.em.fork().count(Visit, { appointment: { itemId } });

beforeAll(async () => {
  t = await startTestApp();
  const { partner } = await t.personWithRole(PartnerRole.PARTNER);
  partnerEmail = partner.email;
  partnerApi = apiAs(partnerEmail);
  managerApi = apiAs((await t.personWithRole(PartnerRole.MANAGER)).partner.email);
  const mine = await t.gql<{ me: { allocations: { school: SchoolChoice }[] } }>(
    '{ me { allocations { school { id name address { oneLine } } } } }',
    {},
    { token: await t.issuer.signForPerson(partnerEmail) },
  );
  school = mine.data!.me.allocations[0]!.school;
});

afterAll(() => t?.stop());

describe('booking a visit from an appointment', () => {
  it('books the visit and dresses the appointment: subject, location, agenda on top, link back', async () => {
    const office = organiserAppointment(3);
    const appointment = outlookAppointment(office);
    const visit = await bookFromAppointment(appointment, partnerApi, { school, type: 'AUTUMN' });

    expect(visit.school.id).toBe(school.id);
    expect(office.appointment.itemId).toBeTruthy();
    expect(office.appointment.subject).toBe(appointmentSubject('AUTUMN', school.name));
    expect(office.appointment.subject).toBe(`Autumn visit - ${school.name}`);
    expect(office.appointment.location).toBe(school.address!.oneLine);
    expect(office.appointment.customProperties[VISIT_ID_PROPERTY]).toBe(visit.id);
    expect(office.appointment.bodyHtml.indexOf(`Visit reference: ${visit.id}`)).toBeGreaterThan(-1);
    expect(office.appointment.bodyHtml.indexOf('Visit reference')).toBeLessThan(office.appointment.bodyHtml.indexOf('Parking'));
    expect(new Date(visit.startsAt).toISOString()).toBe(office.appointment.start);
    expect(await findLinkedVisit(appointment, partnerApi)).toMatchObject({ id: visit.id });
  });

  it('never books twice for one appointment, even when the link on the item was lost', async () => {
    const office = organiserAppointment(4);
    const first = await bookFromAppointment(outlookAppointment(office), partnerApi, { school, type: 'AUTUMN' });
    office.appointment.customProperties = {};
    const again = await bookFromAppointment(outlookAppointment(office), partnerApi, { school, type: 'AUTUMN' });
    expect(again.id).toBe(first.id);
    expect(await visitsForItem(office.appointment.itemId!)).toBe(1);
    expect(office.appointment.bodyHtml.split('Visit reference').length - 1).toBe(1);
    // Without the custom property, the pane still finds the visit by the item id.
    office.appointment.customProperties = {};
    office.appointment.bodyHtml = '';
    expect(await findLinkedVisit(outlookAppointment(office), partnerApi)).toMatchObject({ id: first.id });
  });

  it('lets an attendee, who has no custom properties, find the visit through the reference in the body', async () => {
    const organiser = organiserAppointment(5);
    const visit = await bookFromAppointment(outlookAppointment(organiser), partnerApi, { school, type: 'AUTUMN' });
    const attendeeCopy = createFakeOffice(
      newFakeAppointment({
        ...organiser.appointment,
        surface: 'attendee',
        itemId: 'AAMkAttendeeCopy',
        organiser: { emailAddress: partnerEmail, displayName: 'Partner' },
      }),
      { user: { emailAddress: 'manager@council.example', displayName: 'Manager' } },
    );
    const appointment = outlookAppointment(attendeeCopy);
    expect(await appointment.visitId()).toBeNull();
    expect(visitReferenceIn(await appointment.bodyText())).toBe(visit.id);
    expect(await findLinkedVisit(appointment, managerApi)).toMatchObject({ id: visit.id });
  });

  it('finds nothing for an appointment never booked', async () => {
    const office = organiserAppointment(6);
    expect(await findLinkedVisit(outlookAppointment(office), partnerApi)).toBeNull();
    await outlookAppointment(office).save();
    expect(await findLinkedVisit(outlookAppointment(office), partnerApi)).toBeNull();
  });

  it('notices a moved appointment and moves the visit, refusing a stale version', async () => {
    const office = organiserAppointment(7);
    const appointment = outlookAppointment(office);
    const visit = await bookFromAppointment(appointment, partnerApi, { school, type: 'AUTUMN' });
    const later = new Date(new Date(office.appointment.start).getTime() + 86_400_000);
    office.appointment.start = later.toISOString();
    office.appointment.end = new Date(later.getTime() + 3 * 3_600_000).toISOString();
    const times = await appointment.times();
    expect(timesDiffer(visit, times)).toBe(true);
    const moved = await moveVisitToAppointment(partnerApi, visit, times);
    expect(new Date(moved.startsAt).getTime()).toBe(later.getTime());
    expect(timesDiffer(moved, times)).toBe(false);
    const stale = moveVisitToAppointment(partnerApi, visit, times);
    await expect(stale).rejects.toBeInstanceOf(ApiError);
    await expect(stale).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('attaches the agenda as a Word document', async () => {
    const office = organiserAppointment(8);
    const appointment = outlookAppointment(office);
    const visit = await bookFromAppointment(appointment, partnerApi, { school, type: 'AUTUMN' });
    const { name, attached } = await attachAgendaDocument(appointment, partnerApi, visit);
    expect(name).toMatch(/^Agenda - .+\.docx$/);
    expect(attached).toBe(true);
    expect(office.appointment.attachments).toHaveLength(1);
    expect(office.appointment.attachments[0]!.bytes).toBeGreaterThan(2000);
  });

  it('says why when a partner books a school they cannot see', async () => {
    const office = organiserAppointment(9);
    const stranger = createApiClient(`${t.url}/graphql`, { getToken: async () => 'not-a-token', account: () => null });
    await expect(bookFromAppointment(outlookAppointment(office), stranger, { school, type: 'AUTUMN' })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await visitsForItem(office.appointment.itemId!)).toBe(0);
  });
});
