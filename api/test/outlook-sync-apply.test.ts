import { randomUUID } from 'node:crypto';
import { ref } from '@mikro-orm/core';
import type { Attendee, Event } from '@microsoft/microsoft-graph-types';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { NoteOfVisit } from '../src/notes/note-of-visit.entity.js';
import { NoteStatus } from '../src/notes/note.enums.js';
import { OutboundEmail } from '../src/mail/outbound-email.entity.js';
import { createCalendarVisits } from '../src/outlook-sync/calendar-visits.service.js';
import type { CalendarVisits, Mailbox } from '../src/outlook-sync/calendar-change.js';
import { instantOf, UnknownTimeZoneError } from '../src/outlook-sync/event-times.js';
import { Partner } from '../src/partners/partner.entity.js';
import { PartnerRole } from '../src/partners/partner.enums.js';
import { AuditEvent } from '../src/platform/audit/audit-event.entity.js';
import { Contact } from '../src/schools/contact.embeddable.js';
import { School } from '../src/schools/school.entity.js';
import { AttendeeRole } from '../src/visits/visit.enums.js';
import { Visit } from '../src/visits/visit.entity.js';
import { requestEm } from '../src/platform/db/orm.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { realPostgresUrl } from './support/test-database.js';

/**
 * What a change read from a partner's Outlook calendar does to a visit (issue 21), on the real
 * database. Events are built as Microsoft Graph's delta returns them (`Prefer: IdType="ImmutableId"`,
 * times as a wall clock and a zone). The sync's "now" is injected: a fixed instant, so the rules
 * about what has already happened do not depend on the day the suite runs. Visits are booked in
 * 2030, early in the morning, away from the demo county's own.
 */
let t: TestApp;
let sync: CalendarVisits;
let partner: Partner;
let partnerToken: string;
let colleague: Partner;
let colleagueToken: string;
let mailbox: Mailbox;
let school: School;
const warn = vi.fn();
/** The sync's clock: a winter morning in 2030, before the visits these tests book. */
const NOW = new Date('2030-01-07T10:00:00Z');

const em = () => requestEm(t.app.orm);

/** A Graph event as delta returns it for the lead partner's mailbox (the organiser's copy). */
function graphEvent(id: string, fields: Partial<Event> & { start: Event['start']; end: Event['end'] }): Event {
  return {
    id,
    iCalUId: `040000008200E00074C5B7101A82E008${id}`,
    subject: 'Spring visit',
    type: 'singleInstance',
    isCancelled: false,
    isOrganizer: true,
    organizer: { emailAddress: { name: partner.name, address: partner.email } },
    attendees: [],
    ...fields,
  };
}

const wall = (dateTime: string, timeZone = 'UTC') => ({ dateTime: `${dateTime}.0000000`, timeZone });
const attendee = (address: string, name: string, type: Attendee['type'] = 'required'): Attendee => ({
  type,
  status: { response: 'none', time: '0001-01-01T00:00:00Z' },
  emailAddress: { name, address },
});

/** A visit booked through the API by the partner, then linked to its Graph event as sync would. */
async function bookedAndLinked(startsAt: string, endsAt: string, extra: Record<string, unknown> = {}) {
  const eventId = `AAkALgAAAAAAHYQDEapmEc2byACqAC-EWg0A${randomUUID()}`;
  const res = await t.gql(
    `mutation($input: BookVisitInput!) { bookVisit(input: $input) { id version } }`,
    { input: { schoolId: school.id, type: 'SPRING', startsAt, endsAt, appointment: { itemId: `AAMk-${randomUUID()}` }, ...extra } },
    { token: partnerToken },
  );
  expect(res.errors).toBeUndefined();
  const id = res.data!.bookVisit.id as string;
  const event = graphEvent(eventId, { start: wall(startsAt.slice(0, 19)), end: wall(endsAt.slice(0, 19)) });
  const summary = await sync.link(em(), mailbox, [{ visitId: id, event }], NOW);
  expect(summary).toMatchObject({ moved: 0, cancelled: 0 });
  return { id, event, visit: () => em().findOneOrFail(Visit, id, { populate: ['attendees'] }) };
}

const auditsOf = (id: string) => em().find(AuditEvent, { entityId: id }, { orderBy: { id: 'asc' } });

beforeAll(async () => {
  t = await startTestApp();
  const first = await t.personWithRole(PartnerRole.PARTNER);
  partner = first.partner;
  partnerToken = first.token;
  colleague = await em().findOneOrFail(Partner, { role: PartnerRole.PARTNER, active: true, id: { $ne: partner.id } }, { orderBy: { name: 'asc' } });
  colleagueToken = await t.issuer.signForPerson(colleague.email);
  mailbox = { partnerId: partner.id, email: partner.email };
  const schoolId = (await t.gql(`{ schools(first: 1, filter: { status: [OPEN] }) { nodes { id } } }`)).data!.schools.nodes[0].id as string;
  // The school's contacts, as the register would have them.
  const e = em();
  school = await e.findOneOrFail(School, schoolId);
  school.headteacher = Object.assign(new Contact(), { name: school.headteacher?.name ?? 'A Head', email: 'Head@Oakfield.sch.example' });
  school.chairOfGovernors = Object.assign(new Contact(), { name: 'C Chair', email: 'chair@oakfield.sch.example' });
  await e.flush();
  sync = createCalendarVisits({ clock: { now: () => NOW }, logger: { warn } });
});
afterAll(() => t?.stop());

describe('event times', () => {
  it('reads Windows zone names, IANA names and UTC, and refuses a zone it does not know', () => {
    expect(instantOf(wall('2026-10-27T09:00:00', 'GMT Standard Time')).toISOString()).toBe('2026-10-27T09:00:00.000Z');
    expect(instantOf(wall('2026-10-20T09:00:00', 'GMT Standard Time')).toISOString()).toBe('2026-10-20T08:00:00.000Z');
    expect(instantOf(wall('2026-10-20T09:00:00', 'Europe/London')).toISOString()).toBe('2026-10-20T08:00:00.000Z');
    expect(instantOf(wall('2026-10-20T10:00:00', 'W. Europe Standard Time')).toISOString()).toBe('2026-10-20T08:00:00.000Z');
    expect(instantOf(wall('2026-10-20T08:00:00', 'UTC')).toISOString()).toBe('2026-10-20T08:00:00.000Z');
    expect(() => instantOf(wall('2026-10-20T09:00:00', 'tzone://Microsoft/Custom'))).toThrow(UnknownTimeZoneError);
    expect(() => instantOf(wall('2026-10-20T09:00:00', ''))).toThrow(/time zone/);
  });
});

describe('an appointment moved in Outlook', () => {
  it('moves the visit, in a Windows zone, audited as calendar sync in the same transaction', async () => {
    const { id, event, visit } = await bookedAndLinked('2030-03-12T07:00:00Z', '2030-03-12T09:00:00Z');
    const before = await visit();
    const moved = { ...event, start: wall('2030-03-14T07:30:00', 'GMT Standard Time'), end: wall('2030-03-14T09:30:00', 'GMT Standard Time') };
    expect(await sync.apply(em(), mailbox, [{ kind: 'event', event: moved }], NOW)).toEqual({
      moved: 1,
      cancelled: 0,
      flagged: 0,
      attendeesChanged: 0,
      ignored: 0,
    });
    const after = await visit();
    expect([after.startsAt.toISOString(), after.endsAt.toISOString()]).toEqual(['2030-03-14T07:30:00.000Z', '2030-03-14T09:30:00.000Z']);
    expect(after.version).toBe(before.version + 1);
    const audits = (await auditsOf(id)).filter((a) => a.actor === 'system:outlook-sync');
    expect(audits.map((a) => a.action)).toEqual(expect.arrayContaining(['outlook_moved', 'update']));
    expect(audits.find((a) => a.action === 'outlook_moved')!.changes).toMatchObject({
      was: { startsAt: '2030-03-12T07:00:00.000Z' },
      startsAt: '2030-03-14T07:30:00.000Z',
    });
    // One transaction: the visit's row and the move's audit rows (the last two) were written by the same one.
    const [row] = await em().execute<{ xmin: string }[]>('select xmin::text as xmin from visit where id = ?', [id]);
    const moveAudits = await em().execute<{ xmin: string; action: string }[]>(
      'select xmin::text as xmin, action from audit_event where entity_id = ? order by id desc limit 2',
      [id],
    );
    expect(moveAudits.map((r) => r.action).sort()).toEqual(['outlook_moved', 'update']);
    expect(moveAudits.map((r) => r.xmin)).toEqual([row!.xmin, row!.xmin]);
  });

  it('keeps the London wall time across the October clock change (09:00 BST on 20 October to 09:00 GMT on 27 October)', async () => {
    const { event, visit } = await bookedAndLinked('2026-10-20T08:00:00Z', '2026-10-20T10:00:00Z');
    const before = new Date('2026-10-01T09:00:00Z'); // the sync runs before the visit
    const moved = { ...event, start: wall('2026-10-27T09:00:00', 'GMT Standard Time'), end: wall('2026-10-27T11:00:00', 'GMT Standard Time') };
    expect((await sync.apply(em(), mailbox, [{ kind: 'event', event: moved }], before)).moved).toBe(1);
    const read = await t.gql(`query($id: ID!) { visit(id: $id) { startsAt endsAt } }`, { id: (await visit()).id }, { token: partnerToken });
    expect(read.data!.visit).toEqual({ startsAt: '2026-10-27T09:00:00+00:00', endsAt: '2026-10-27T11:00:00+00:00' });
  });

  it('reads an IANA zone and UTC alike, and changes nothing when applied twice (no version, no audit row)', async () => {
    const { id, event, visit } = await bookedAndLinked('2030-03-19T07:00:00Z', '2030-03-19T08:00:00Z');
    const moved = { ...event, start: wall('2030-04-02T08:00:00', 'Europe/London'), end: wall('2030-04-02T09:00:00', 'Europe/London') };
    expect((await sync.apply(em(), mailbox, [{ kind: 'event', event: moved }], NOW)).moved).toBe(1);
    const once = await visit();
    expect(once.startsAt.toISOString()).toBe('2030-04-02T07:00:00.000Z'); // BST
    const audits = (await auditsOf(id)).length;
    const sameInUtc = { ...moved, start: wall('2030-04-02T07:00:00'), end: wall('2030-04-02T08:00:00') };
    const again = await sync.apply(
      em(),
      mailbox,
      [
        { kind: 'event', event: moved },
        { kind: 'event', event: sameInUtc },
      ],
      NOW,
    );
    expect(again).toEqual({ moved: 0, cancelled: 0, flagged: 0, attendeesChanged: 0, ignored: 2 });
    expect((await visit()).version).toBe(once.version);
    expect((await auditsOf(id)).length).toBe(audits);
  });

  it("moves a started note's deadlines with its visit, for the steps not yet taken, leaving the note's version", async () => {
    const { id, event } = await bookedAndLinked('2030-03-04T07:00:00Z', '2030-03-04T08:00:00Z');
    const e = em();
    const booked = await e.findOneOrFail(Visit, id);
    const note = Object.assign(new NoteOfVisit(), {
      visit: ref(booked),
      author: booked.leadPartner,
      status: NoteStatus.DRAFT,
      draftDueOn: '2030-03-11',
      circulationDueOn: '2030-03-18',
    });
    await e.persist(note).flush();
    const moved = { ...event, start: wall('2030-03-06T07:00:00'), end: wall('2030-03-06T08:00:00') };
    expect((await sync.apply(em(), mailbox, [{ kind: 'event', event: moved }], NOW)).moved).toBe(1);
    // Wednesday 6 March 2030: five and ten working days on
    expect(await em().findOneOrFail(NoteOfVisit, note.id)).toMatchObject({ draftDueOn: '2030-03-13', circulationDueOn: '2030-03-20', version: note.version });
  });

  it('does not move a completed or cancelled visit, nor one led by someone else than the mailbox', async () => {
    const { id, event, visit } = await bookedAndLinked('2030-03-20T07:00:00Z', '2030-03-20T08:00:00Z');
    const moved = { ...event, start: wall('2030-03-21T07:00:00'), end: wall('2030-03-21T08:00:00') };
    const otherMailbox = { partnerId: colleague.id, email: colleague.email };
    expect(await sync.apply(em(), otherMailbox, [{ kind: 'event', event: moved }], NOW)).toMatchObject({ moved: 0, ignored: 1 });
    await t.gql(`mutation($id: ID!) { cancelVisit(id: $id, reason: "Not needed") { id } }`, { id }, { token: partnerToken });
    expect(await sync.apply(em(), mailbox, [{ kind: 'event', event: moved }], NOW)).toMatchObject({ moved: 0, ignored: 1 });
    expect((await visit()).startsAt.toISOString()).toBe('2030-03-20T07:00:00.000Z');
  });

  it('leaves the visit as it is, and says why, when the event is in a zone it cannot read', async () => {
    const { event, visit } = await bookedAndLinked('2030-03-22T07:00:00Z', '2030-03-22T08:00:00Z');
    const custom = { ...event, start: wall('2030-03-23T07:00:00', 'Customized Time Zone'), end: wall('2030-03-23T08:00:00', 'Customized Time Zone') };
    warn.mockClear();
    expect(await sync.apply(em(), mailbox, [{ kind: 'event', event: custom }], NOW)).toMatchObject({ moved: 0, ignored: 1 });
    expect((await visit()).startsAt.toISOString()).toBe('2030-03-22T07:00:00.000Z');
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ eventId: event.id, reason: expect.stringMatching(/Customized Time Zone/) }),
      expect.any(String),
    );
  });

  it('links by the iCal UID before the event id is known, and a move made before the link is not lost', async () => {
    const itemId = `AAMk-${randomUUID()}`;
    const res = await t.gql(
      `mutation($input: BookVisitInput!) { bookVisit(input: $input) { id } }`,
      { input: { schoolId: school.id, type: 'SPRING', startsAt: '2030-03-25T07:00:00Z', endsAt: '2030-03-25T08:00:00Z', appointment: { itemId } } },
      { token: partnerToken },
    );
    const id = res.data!.bookVisit.id as string;
    expect(await sync.unlinked(em(), mailbox)).toContainEqual({ visitId: id, itemId });
    const event = graphEvent(`AAkALg-${randomUUID()}`, { start: wall('2030-03-26T07:00:00'), end: wall('2030-03-26T08:00:00') });
    expect(await sync.link(em(), mailbox, [{ visitId: id, event }], NOW)).toMatchObject({ moved: 1 });
    const linked = await em().findOneOrFail(Visit, id);
    expect(linked.appointment).toMatchObject({ itemId, eventId: event.id, icalUid: event.iCalUId });
    expect(linked.startsAt.toISOString()).toBe('2030-03-26T07:00:00.000Z');
    expect((await sync.unlinked(em(), mailbox)).map((u) => u.visitId)).not.toContain(id);
    expect((await auditsOf(id)).map((a) => a.action)).toContain('outlook_linked');
  });
});

describe('an appointment cancelled or deleted in Outlook', () => {
  it('cancels a booked visit still to come: "Cancelled in Outlook", "Deleted in Outlook"', async () => {
    const cancelled = await bookedAndLinked('2030-04-08T07:00:00Z', '2030-04-08T08:00:00Z');
    const deleted = await bookedAndLinked('2030-04-09T07:00:00Z', '2030-04-09T08:00:00Z');
    const summary = await sync.apply(
      em(),
      mailbox,
      [
        { kind: 'event', event: { ...cancelled.event, isCancelled: true } },
        { kind: 'removed', eventId: deleted.event.id! },
      ],
      NOW,
    );
    expect(summary).toMatchObject({ cancelled: 2, ignored: 0 });
    expect(await cancelled.visit()).toMatchObject({ status: 'cancelled', cancellationReason: 'Cancelled in Outlook', cancelledAt: NOW });
    expect(await deleted.visit()).toMatchObject({ status: 'cancelled', cancellationReason: 'Deleted in Outlook' });
    expect((await auditsOf(cancelled.id)).find((a) => a.action === 'outlook_cancel')?.actor).toBe('system:outlook-sync');
    expect((await auditsOf(deleted.id)).some((a) => a.action === 'outlook_deleted')).toBe(true);
    // the same deletion read again changes nothing
    const version = (await deleted.visit()).version;
    expect(await sync.apply(em(), mailbox, [{ kind: 'removed', eventId: deleted.event.id! }], NOW)).toMatchObject({ cancelled: 0, ignored: 1 });
    expect((await deleted.visit()).version).toBe(version);
  });

  it('keeps a visit whose note was started, flags it and tells the partner; nothing is lost', async () => {
    const { id, event, visit } = await bookedAndLinked('2030-04-10T07:00:00Z', '2030-04-10T08:00:00Z');
    const e = em();
    const booked = await e.findOneOrFail(Visit, id);
    e.persist(
      Object.assign(new NoteOfVisit(), {
        visit: ref(booked),
        author: booked.leadPartner,
        status: NoteStatus.DRAFT,
        draftDueOn: '2030-04-17',
        circulationDueOn: '2030-04-24',
      }),
    );
    await e.flush();
    const summary = await sync.apply(em(), mailbox, [{ kind: 'removed', eventId: event.id! }], NOW);
    expect(summary).toMatchObject({ cancelled: 0, flagged: 1 });
    expect(await visit()).toMatchObject({ status: 'booked', appointmentCancelledAt: NOW });
    expect(await em().count(NoteOfVisit, { visit: id })).toBe(1);
    // The partner is told by notifications (the event's consumer), by email here: no Teams feed configured.
    await t.app.notifications!.runOnce(NOW);
    const told = await em().find(OutboundEmail, { visit: id });
    expect(told.map((m) => [m.toAddress, m.subject])).toEqual([[partner.email, expect.stringMatching(/^Appointment deleted in Outlook: .* is kept$/)]]);
    expect((await auditsOf(id)).some((a) => a.action === 'outlook_flagged')).toBe(true);
    // told once
    expect(await sync.apply(em(), mailbox, [{ kind: 'event', event: { ...event, isCancelled: true } }], NOW)).toMatchObject({ flagged: 0, ignored: 1 });
    await t.app.notifications!.runOnce(NOW);
    expect(await em().count(OutboundEmail, { visit: id })).toBe(1);
  });

  it('leaves a visit that has already taken place alone', async () => {
    const { event, visit } = await bookedAndLinked('2029-12-10T07:00:00Z', '2029-12-10T08:00:00Z');
    const version = (await visit()).version;
    expect(await sync.apply(em(), mailbox, [{ kind: 'removed', eventId: event.id! }], NOW)).toMatchObject({ cancelled: 0, flagged: 0, ignored: 1 });
    expect(await visit()).toMatchObject({ status: 'booked', version, appointmentCancelledAt: null });
  });
});

describe("the appointment's attendees", () => {
  it('become the visit’s: a partner by account (who then sees it and is warned of an overlap), the headteacher by email', async () => {
    // The colleague leads a visit of their own at the same time.
    const theirs = await t.gql(
      `mutation($input: BookVisitInput!) { bookVisit(input: $input) { id } }`,
      { input: { schoolId: school.id, type: 'SPRING', startsAt: '2030-04-16T06:30:00Z', endsAt: '2030-04-16T07:30:00Z' } },
      { token: colleagueToken },
    );
    expect(theirs.errors).toBeUndefined();
    const { id, event, visit } = await bookedAndLinked('2030-04-16T07:00:00Z', '2030-04-16T08:00:00Z');
    const withPeople = {
      ...event,
      attendees: [
        attendee(partner.email, partner.name), // the organiser's own entry is not an attendee of the visit
        attendee(colleague.email.toUpperCase(), 'Colleague in Outlook'),
        attendee('head@oakfield.sch.example', 'Head in Outlook'),
        attendee('bursar@oakfield.sch.example', 'The Bursar', 'optional'),
        attendee('someone@elsewhere.example', 'Someone'),
        attendee('room.12@council.example', 'Room 12', 'resource'),
      ],
    };
    expect(await sync.apply(em(), mailbox, [{ kind: 'event', event: withPeople }], NOW)).toMatchObject({ attendeesChanged: 1, moved: 0 });
    const attendees = (await visit()).attendees.getItems().map((a) => ({ name: a.name, email: a.email, role: a.role, partner: a.partner?.id ?? null }));
    expect(attendees).toEqual([
      { name: colleague.name, email: colleague.email.toLowerCase(), role: 'partner', partner: colleague.id },
      { name: 'Head in Outlook', email: 'head@oakfield.sch.example', role: 'headteacher', partner: null },
      { name: 'The Bursar', email: 'bursar@oakfield.sch.example', role: 'school_staff', partner: null },
      { name: 'Someone', email: 'someone@elsewhere.example', role: 'other', partner: null },
    ]);
    expect((await auditsOf(id)).find((a) => a.action === 'outlook_attendee')?.changes).toMatchObject({ attendees: 4, partners: [colleague.id] });

    const seen = await t.gql(`query($id: ID!) { visit(id: $id) { id warnings { code message } } }`, { id }, { token: colleagueToken });
    expect(seen.errors).toBeUndefined();
    expect(seen.data!.visit.warnings).toContainEqual({
      code: 'PARTNER_OVERLAP',
      message: expect.stringContaining(`${colleague.name}, attending, has another visit`),
    });
    const theirWarnings = await t.gql(`query($id: ID!) { visit(id: $id) { warnings { code } } }`, { id: theirs.data!.bookVisit.id }, { token: colleagueToken });
    expect(theirWarnings.data!.visit.warnings.map((w: { code: string }) => w.code)).toContain('PARTNER_OVERLAP');

    // The partner renames an attendee and gives another role: Outlook listing them again keeps both.
    const e = em();
    const head = await e.findOneOrFail(Visit, id, { populate: ['attendees'] });
    Object.assign(head.attendees.getItems()[1]!, { name: 'Mrs H (head)', role: AttendeeRole.OTHER });
    await e.flush();
    const version = (await visit()).version;
    expect(await sync.apply(em(), mailbox, [{ kind: 'event', event: withPeople }], NOW)).toMatchObject({ attendeesChanged: 0, ignored: 1 });
    expect((await visit()).attendees.getItems()[1]).toMatchObject({ name: 'Mrs H (head)', role: 'other' });
    expect((await visit()).version).toBe(version);
  });
});

describe('recurring appointments', () => {
  it('follows each occurrence as its own visit; the series cancelled cancels the visits still to come', async () => {
    const seriesMasterId = `AAkALg-series-${randomUUID()}`;
    const occurrence = async (day: string) => {
      const itemId = `AAMk-${randomUUID()}`;
      const res = await t.gql(
        `mutation($input: BookVisitInput!) { bookVisit(input: $input) { id appointment { seriesMasterId } } }`,
        {
          input: {
            schoolId: school.id,
            type: 'ROUND_TABLE',
            startsAt: `${day}T07:00:00Z`,
            endsAt: `${day}T08:00:00Z`,
            // Outlook gives every occurrence the series' iCal UID: each is still a visit of its own.
            appointment: { itemId, icalUid: `series-uid-${seriesMasterId}`, seriesMasterId },
          },
        },
        { token: partnerToken },
      );
      expect(res.errors).toBeUndefined();
      const event = graphEvent(`AAkALg-occ-${randomUUID()}`, {
        type: 'occurrence',
        seriesMasterId,
        start: wall(`${day}T07:00:00`),
        end: wall(`${day}T08:00:00`),
      });
      await sync.link(em(), mailbox, [{ visitId: res.data!.bookVisit.id, event }], NOW);
      return { id: res.data!.bookVisit.id as string, event };
    };
    const past = await occurrence('2029-11-05');
    const first = await occurrence('2030-05-06');
    const second = await occurrence('2030-06-03');
    expect(new Set([past.id, first.id, second.id]).size).toBe(3);

    // One occurrence moved: only its visit moves.
    const moved = { ...first.event, type: 'exception' as const, start: wall('2030-05-07T07:00:00'), end: wall('2030-05-07T08:00:00') };
    expect(await sync.apply(em(), mailbox, [{ kind: 'event', event: moved }], NOW)).toMatchObject({ moved: 1 });
    expect((await em().findOneOrFail(Visit, first.id)).startsAt.toISOString()).toBe('2030-05-07T07:00:00.000Z');
    expect((await em().findOneOrFail(Visit, second.id)).startsAt.toISOString()).toBe('2030-06-03T07:00:00.000Z');

    // The series deleted: its master is removed; the visits to come are cancelled, the one held is left.
    expect(await sync.apply(em(), mailbox, [{ kind: 'removed', eventId: seriesMasterId }], NOW)).toMatchObject({ cancelled: 2 });
    expect((await em().find(Visit, [past.id, first.id, second.id], { orderBy: { startsAt: 'asc' } })).map((v) => v.status)).toEqual([
      'booked',
      'cancelled',
      'cancelled',
    ]);
  });
});

// A second connection holding the visit's row, as a partner's edit in flight does: the embedded database has one connection only.
describe.runIf(realPostgresUrl())("a partner's edit at the same time (real PostgreSQL)", () => {
  it("waits for the partner's edit, reads the visit again and applies the move on top of it: neither is lost", async () => {
    const { id, event, visit } = await bookedAndLinked('2030-05-20T07:00:00Z', '2030-05-20T08:00:00Z');
    const before = await visit();
    const partnerEdit = new pg.Client({ connectionString: (t.config.database as { url: string }).url });
    await partnerEdit.connect();
    let applied: Promise<unknown> | undefined;
    try {
      await partnerEdit.query('begin');
      await partnerEdit.query(`update visit set location = 'Staff room', version = version + 1 where id = $1`, [id]);
      const moved = { ...event, start: wall('2030-05-21T07:00:00'), end: wall('2030-05-21T08:00:00') };
      applied = sync.apply(em(), mailbox, [{ kind: 'event', event: moved }], NOW);
      // the sync is waiting for the partner's row lock
      await expect
        .poll(
          async () =>
            (await partnerEdit.query(`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`)).rows[0]
              .n,
          {
            timeout: 20_000,
          },
        )
        .toBeGreaterThan(0);
      await partnerEdit.query('commit');
    } finally {
      if (!applied) await partnerEdit.query('rollback');
      await partnerEdit.end();
    }
    expect(await applied).toMatchObject({ moved: 1 });
    expect(await visit()).toMatchObject({ location: 'Staff room', startsAt: new Date('2030-05-21T07:00:00Z'), version: before.version + 2 });
  });
});
