import { describe, expect, it } from 'vitest';
import { createFakeOffice, newFakeAppointment, type FakeOfficeOptions } from '../src/outlook/fake-office.js';
import { OfficeError, outlookAppointment, VISIT_ID_PROPERTY, visitReferenceIn } from '../src/outlook/office-adapter.js';

const user = { emailAddress: 'partner@council.example', displayName: 'A Partner' };
const fake = (overrides: Parameters<typeof newFakeAppointment>[0] = {}, options: Partial<FakeOfficeOptions> = {}) =>
  createFakeOffice(newFakeAppointment(overrides), { user, ...options });

describe('the Office adapter, organiser (compose) surface', () => {
  it('has no item id until the appointment is saved, then keeps the same one', async () => {
    const office = fake();
    const appointment = outlookAppointment(office);
    expect(appointment.surface).toBe('organiser');
    expect(await appointment.itemId()).toBeNull();
    const id = await appointment.save();
    expect(id).toMatch(/^AAMk/);
    expect(await appointment.save()).toBe(id);
    expect(await appointment.itemId()).toBe(id);
    expect(office.appointment.saves).toBe(2);
  });

  it('sets subject and location, and puts HTML above what the organiser wrote', async () => {
    const office = fake({ bodyHtml: '<p>Parking at the back.</p>' });
    const appointment = outlookAppointment(office);
    await appointment.setSubject('Autumn visit - Hillside Primary');
    await appointment.setLocation('1 High Street, Northmarsh');
    await appointment.prependHtml('<h2>Agenda</h2><p>Visit reference: 0b6e2f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b</p>');
    expect(office.appointment.subject).toBe('Autumn visit - Hillside Primary');
    expect(office.appointment.location).toBe('1 High Street, Northmarsh');
    expect(office.appointment.bodyHtml.indexOf('Agenda')).toBeLessThan(office.appointment.bodyHtml.indexOf('Parking'));
    expect(visitReferenceIn(await appointment.bodyText())).toBe('0b6e2f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b');
  });

  it('remembers the visit in the item’s custom properties', async () => {
    const office = fake();
    const appointment = outlookAppointment(office);
    expect(await appointment.visitId()).toBeNull();
    await appointment.rememberVisit('visit-1');
    expect(office.appointment.customProperties[VISIT_ID_PROPERTY]).toBe('visit-1');
    expect(await outlookAppointment(office).visitId()).toBe('visit-1');
  });

  it('reads the times as dates and attaches files', async () => {
    const office = fake({ start: '2026-11-25T09:30:00.000Z', end: '2026-11-25T12:30:00.000Z' });
    const appointment = outlookAppointment(office);
    expect(await appointment.times()).toEqual({ start: new Date('2026-11-25T09:30:00.000Z'), end: new Date('2026-11-25T12:30:00.000Z') });
    await appointment.attachFile(Buffer.from('hello').toString('base64'), 'Agenda.docx');
    expect(office.appointment.attachments).toEqual([{ name: 'Agenda.docx', bytes: 6 }]);
  });

  it('adds required attendees through requiredAttendees.addAsync, keeping those there and adding nobody twice', async () => {
    const office = fake({ requiredAttendees: [{ emailAddress: 'colleague@council.example', displayName: 'Colleague' }] });
    const appointment = outlookAppointment(office);
    const head = { emailAddress: 'Head@School.example', displayName: 'Pat Head' };
    await appointment.addRequiredAttendees([head]);
    await appointment.addRequiredAttendees([{ ...head, emailAddress: 'head@school.example' }]);
    expect((await appointment.attendees()).required.map((a) => a.emailAddress)).toEqual(['colleague@council.example', 'Head@School.example']);
    const failing = outlookAppointment(fake({}, { failures: { addAttendeesAsync: 'The recipient list is full' } }));
    await expect(failing.addRequiredAttendees([head])).rejects.toThrow('Outlook could not add the attendees: The recipient list is full.');
  });

  it('turns an Office.js failure into an error that says what could not be done', async () => {
    const appointment = outlookAppointment(fake({}, { failures: { saveAsync: 'The item is being edited elsewhere' } }));
    const failure = appointment.save();
    await expect(failure).rejects.toBeInstanceOf(OfficeError);
    await expect(failure).rejects.toThrow('Outlook could not save the appointment: The item is being edited elsewhere.');
  });
});

describe('the Office adapter, attendee (read) surface', () => {
  const organiser = { emailAddress: 'organiser@council.example', displayName: 'Organiser' };

  it('reads the appointment but changes nothing', async () => {
    const appointment = outlookAppointment(
      fake({
        surface: 'attendee',
        itemId: 'AAMkCopy',
        organiser,
        subject: 'Spring visit - X',
        bodyHtml: '<p>Visit reference: 0b6e2f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b</p>',
      }),
    );
    expect(appointment.surface).toBe('attendee');
    expect(await appointment.itemId()).toBe('AAMkCopy');
    expect(await appointment.subject()).toBe('Spring visit - X');
    expect(await appointment.organiserEmail()).toBe('organiser@council.example');
    await expect(appointment.setSubject('changed')).rejects.toThrow('only its organiser can');
    await expect(appointment.prependHtml('<p>x</p>')).rejects.toBeInstanceOf(OfficeError);
    await expect(appointment.addRequiredAttendees([{ emailAddress: 'head@school.example', displayName: 'Head' }])).rejects.toThrow('only its organiser can');
  });

  it('cannot see the organiser’s custom properties', async () => {
    const office = fake({ surface: 'attendee', itemId: 'AAMkCopy', organiser, customProperties: { [VISIT_ID_PROPERTY]: 'visit-1' } });
    expect(await outlookAppointment(office).visitId()).toBeNull();
  });
});

describe('the visit reference in a body', () => {
  it('is found in text however it is spaced or cased, and only as a whole id', () => {
    expect(visitReferenceIn('Agenda\nVisit reference:   0B6E2F3A-1C2D-4E5F-8A9B-0C1D2E3F4A5B\n')).toBe('0b6e2f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b');
    expect(visitReferenceIn('Visit reference: 0b6e2f3a-1c2d')).toBeNull();
    expect(visitReferenceIn('no reference here')).toBeNull();
  });
});
