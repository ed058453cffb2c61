import { randomUUID } from 'node:crypto';
import ICAL from 'ical.js';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEvent } from '../src/platform/audit/audit-event.entity.js';
import { KENT_TERM_CALENDARS } from '../demo/kent-2009-11.data.js';
import { Partner } from '../src/partners/partner.entity.js';
import { PartnerRole } from '../src/partners/partner.enums.js';
import { AgendaItem } from '../src/visits/agenda-item.entity.js';
import { Visit } from '../src/visits/visit.entity.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Booking visits from appointments. Dates far from the demo data (2009 for Kent's
 * calendar, 2030 for the rest) and early-morning times keep the demo's own visits
 * out of the overlap and allocation arithmetic.
 */
let t: TestApp;
let partner: Partner;
let partnerToken: string;
let colleagueToken: string;
let colleague: Partner;
let schoolId: string;
let otherSchoolId: string;

const VISIT_FIELDS = `id version status type startsAt endsAt location inSchoolDays outOfSchoolDays
  leadPartner { id } school { id name } appointment { itemId icalUid organiserEmail }
  attendees { name role } agenda { position title ownerRole minutes } warnings { code message }`;
const BOOK = `mutation($input: BookVisitInput!) { bookVisit(input: $input) { ${VISIT_FIELDS} } }`;

/** An instant at a London wall-clock hour (2009 and 2030 dates here are all in GMT or BST as written). */
const at = (date: string, hour: number, offset = '+00:00') => `${date}T${String(hour).padStart(2, '0')}:00:00${offset}`;
const codes = (visit: { warnings: { code: string }[] }) => visit.warnings.map((w) => w.code);

async function book(input: Record<string, unknown>, token = partnerToken) {
  const res = await t.gql(BOOK, { input: { schoolId, type: 'SPRING', useAgendaTemplate: true, ...input } }, { token });
  return res;
}

async function bookOk(input: Record<string, unknown>, token = partnerToken) {
  const res = await book(input, token);
  expect(res.errors).toBeUndefined();
  return res.data!.bookVisit;
}

beforeAll(async () => {
  t = await startTestApp();
  const first = await t.personWithRole(PartnerRole.PARTNER);
  partner = first.partner;
  partnerToken = first.token;
  colleague = await t.app.orm.em.fork().findOneOrFail(Partner, { role: PartnerRole.PARTNER, id: { $ne: partner.id } });
  colleagueToken = await t.issuer.signForPerson(colleague.email);
  const schools = (await t.gql(`{ schools(first: 2, filter: { status: [OPEN] }) { nodes { id } } }`)).data!.schools.nodes;
  [schoolId, otherSchoolId] = schools.map((s: { id: string }) => s.id);
});
afterAll(() => t?.stop());

describe('bookVisit', () => {
  it("books a visit with its type's agenda, the school's address and the lead partner, and audits it", async () => {
    const visit = await bookOk({
      startsAt: at('2030-03-12', 7),
      endsAt: at('2030-03-12', 11),
      attendees: [{ name: 'Head Teacher', email: 'HEAD@school.example', role: 'HEADTEACHER' }],
      appointment: { itemId: `AAMk-${randomUUID()}`, organiserEmail: partner.email },
    });
    expect(visit).toMatchObject({ status: 'BOOKED', type: 'SPRING', version: expect.any(Number), leadPartner: { id: partner.id }, inSchoolDays: 1 });
    expect(visit.location).toBeTruthy();
    expect(visit.agenda.length).toBeGreaterThan(2);
    expect(visit.agenda.map((a: { position: number }) => a.position)).toEqual(visit.agenda.map((_: unknown, i: number) => i + 1));
    expect(visit.attendees).toEqual([{ name: 'Head Teacher', role: 'HEADTEACHER' }]);
    const audit = await t.app.orm.em.fork().find(AuditEvent, { entityId: visit.id });
    expect(audit.map((a) => [a.action, a.actor])).toContainEqual(['create', `partner:${partner.id}`]);
  });

  it('books once per appointment: the same appointment again returns the same visit, updated', async () => {
    const appointment = { itemId: `AAMk-${randomUUID()}`, icalUid: `UID-${randomUUID()}` };
    const first = await bookOk({ startsAt: at('2030-03-13', 7), endsAt: at('2030-03-13', 8), appointment });
    const again = await bookOk({ startsAt: at('2030-03-13', 6), endsAt: at('2030-03-13', 8), location: 'Staff room', appointment });
    expect(again.id).toBe(first.id);
    expect(again.startsAt).toBe('2030-03-13T06:00:00+00:00');
    expect(again.location).toBe('Staff room');
    expect(again.agenda).toHaveLength(first.agenda.length); // the agenda is not added twice
    // An attendee's copy carries the iCal UID but another item id.
    const attendeeCopy = await bookOk({ startsAt: at('2030-03-13', 6), endsAt: at('2030-03-13', 8), appointment: { icalUid: appointment.icalUid } });
    expect(attendeeCopy.id).toBe(first.id);
    expect(await t.app.orm.em.fork().count(Visit, { appointment: { icalUid: appointment.icalUid } })).toBe(1);
  });

  it('stays one visit when bookings of the same appointment race each other', async () => {
    const appointment = { itemId: `AAMk-${randomUUID()}`, icalUid: `UID-${randomUUID()}` };
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        book({ startsAt: at('2030-03-14', 7), endsAt: at('2030-03-14', 8 + (i % 2)), appointment, attendees: [{ name: `Attendee ${i}`, role: 'GOVERNOR' }] }),
      ),
    );
    for (const res of results) expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    expect(new Set(results.map((r) => r.data!.bookVisit.id)).size).toBe(1);
    expect(await t.app.orm.em.fork().count(Visit, { appointment: { icalUid: appointment.icalUid } })).toBe(1);
  });

  it('needs the appointment’s item id or iCal UID, and a sensible time', async () => {
    expect(
      (await book({ startsAt: at('2030-03-15', 7), endsAt: at('2030-03-15', 8), appointment: { organiserEmail: partner.email } })).errors?.[0]?.extensions
        ?.code,
    ).toBe('BAD_USER_INPUT');
    expect((await book({ startsAt: at('2030-03-15', 8), endsAt: at('2030-03-15', 7) })).errors?.[0]?.message).toMatch(/endsAt must be after startsAt/);
    expect((await book({ startsAt: at('2030-03-15', 1), endsAt: at('2030-03-15', 23) })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('is refused to a service, and to a partner booking for someone else', async () => {
    const service = await book({ startsAt: at('2030-03-15', 7), endsAt: at('2030-03-15', 8) }, await t.serviceToken('Finance'));
    expect(service.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const forOther = await book({ startsAt: at('2030-03-15', 7), endsAt: at('2030-03-15', 8), leadPartnerId: partner.id }, colleagueToken);
    expect(forOther.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const byManager = await book({ startsAt: at('2030-03-15', 7), endsAt: at('2030-03-15', 8), leadPartnerId: partner.id }, t.managerToken);
    expect(byManager.errors).toBeUndefined();
    expect(byManager.data!.bookVisit.leadPartner.id).toBe(partner.id);
  });
});

describe('booking one occurrence of a recurring appointment', () => {
  it('makes each occurrence its own visit, keeps the series, and finds each by its own item id', async () => {
    const seriesMasterId = `AAMk-series-${randomUUID()}`;
    // Outlook gives every occurrence the series' iCal UID: it must not make them one visit.
    const icalUid = `UID-series-${randomUUID()}`;
    const occurrence = (day: string) => ({
      type: 'ROUND_TABLE',
      startsAt: at(day, 7),
      endsAt: at(day, 8),
      appointment: { itemId: `AAMk-occ-${randomUUID()}`, icalUid, seriesMasterId },
    });
    const first = occurrence('2030-01-14');
    const second = occurrence('2030-02-11');
    const one = await bookOk(first);
    const two = await bookOk(second);
    expect(two.id).not.toBe(one.id);
    const stored = await t.app.orm.em.fork().find(Visit, [one.id, two.id], { orderBy: { startsAt: 'asc' } });
    expect(stored.map((v) => v.appointment?.seriesMasterId)).toEqual([seriesMasterId, seriesMasterId]);
    // booking an occurrence again updates its own visit, never the series' first
    expect((await bookOk({ ...second, location: 'Library' })).id).toBe(two.id);
    const q = `query($itemId: String) { visitForAppointment(itemId: $itemId) { id } }`;
    expect((await t.gql(q, { itemId: first.appointment.itemId }, { token: partnerToken })).data!.visitForAppointment.id).toBe(one.id);
    expect((await t.gql(q, { itemId: second.appointment.itemId }, { token: partnerToken })).data!.visitForAppointment.id).toBe(two.id);
    // the series' UID finds no occurrence's visit
    const byUid = await t.gql(`query($icalUid: String) { visitForAppointment(icalUid: $icalUid) { id } }`, { icalUid }, { token: partnerToken });
    expect(byUid.data!.visitForAppointment).toBeNull();
  });

  it('needs the occurrence’s own item id', async () => {
    const res = await book({
      startsAt: at('2030-01-15', 7),
      endsAt: at('2030-01-15', 8),
      appointment: { icalUid: `UID-${randomUUID()}`, seriesMasterId: 'AAMk-series' },
    });
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.message).toMatch(/own itemId/);
  });
});

describe('visitForAppointment', () => {
  it('finds the visit by item id or iCal UID, and answers null for an unknown appointment', async () => {
    const appointment = { itemId: `AAMk-${randomUUID()}`, icalUid: `UID-${randomUUID()}` };
    const visit = await bookOk({ startsAt: at('2030-03-18', 7), endsAt: at('2030-03-18', 8), appointment });
    const q = `query($itemId: String, $icalUid: String) { visitForAppointment(itemId: $itemId, icalUid: $icalUid) { id } }`;
    expect((await t.gql(q, { itemId: appointment.itemId }, { token: partnerToken })).data!.visitForAppointment.id).toBe(visit.id);
    expect((await t.gql(q, { icalUid: appointment.icalUid }, { token: partnerToken })).data!.visitForAppointment.id).toBe(visit.id);
    expect((await t.gql(q, { itemId: 'AAMk-unknown' }, { token: partnerToken })).data!.visitForAppointment).toBeNull();
  });
});

describe('the visit lifecycle', () => {
  it('reschedules with the version check: a stale edit is refused', async () => {
    const visit = await bookOk({ startsAt: at('2030-03-19', 7), endsAt: at('2030-03-19', 8) });
    const move = `mutation($id: ID!, $v: Int!, $s: DateTime!, $e: DateTime!) { rescheduleVisit(id: $id, expectedVersion: $v, startsAt: $s, endsAt: $e) { version startsAt } }`;
    const moved = await t.gql(move, { id: visit.id, v: visit.version, s: at('2030-03-20', 7), e: at('2030-03-20', 8) }, { token: partnerToken });
    expect(moved.errors).toBeUndefined();
    expect(moved.data!.rescheduleVisit.version).toBe(visit.version + 1);
    const stale = await t.gql(move, { id: visit.id, v: visit.version, s: at('2030-03-21', 7), e: at('2030-03-21', 8) }, { token: partnerToken });
    expect(stale.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', currentVersion: visit.version + 1 });
    const byColleague = await t.gql(move, { id: visit.id, v: visit.version + 1, s: at('2030-03-21', 7), e: at('2030-03-21', 8) }, { token: colleagueToken });
    expect(byColleague.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('cancels with a reason, keeps the visit, and refuses to cancel twice', async () => {
    const visit = await bookOk({ startsAt: at('2030-03-22', 7), endsAt: at('2030-03-22', 8) });
    const cancel = `mutation($id: ID!, $r: String!) { cancelVisit(id: $id, reason: $r) { status cancellationReason warnings { code } } }`;
    expect((await t.gql(cancel, { id: visit.id, r: '' }, { token: partnerToken })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const done = await t.gql(cancel, { id: visit.id, r: 'School closed for snow.' }, { token: partnerToken });
    expect(done.data!.cancelVisit).toEqual({ status: 'CANCELLED', cancellationReason: 'School closed for snow.', warnings: [] });
    expect((await t.gql(cancel, { id: visit.id, r: 'again' }, { token: partnerToken })).errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('completes a visit only once it has started', async () => {
    const future = await bookOk({ startsAt: at('2030-03-25', 7), endsAt: at('2030-03-25', 8) });
    const complete = `mutation($id: ID!) { completeVisit(id: $id, inSchoolDays: 0.5) { status inSchoolDays } }`;
    expect((await t.gql(complete, { id: future.id }, { token: partnerToken })).errors?.[0]?.message).toMatch(/not started yet/);
    const past = await bookOk({ startsAt: at('2020-03-25', 7), endsAt: at('2020-03-25', 8) });
    expect((await t.gql(complete, { id: past.id }, { token: partnerToken })).data!.completeVisit).toEqual({ status: 'COMPLETED', inSchoolDays: 0.5 });
  });

  it('replaces the agenda in order, moving the version on; a partner cannot change a round table’s fixed agenda', async () => {
    const visit = await bookOk({ startsAt: at('2030-03-26', 7), endsAt: at('2030-03-26', 8) });
    const set = `mutation($id: ID!, $v: Int!, $items: [AgendaItemInput!]!) { setAgenda(visitId: $id, expectedVersion: $v, items: $items) { version agenda { position title minutes } } }`;
    const items = [
      { title: 'Data review', ownerRole: 'PARTNER', minutes: 45 },
      { title: 'Learning walk', detail: 'With the deputy', ownerRole: 'HEADTEACHER', minutes: 60 },
    ];
    const res = await t.gql(set, { id: visit.id, v: visit.version, items }, { token: partnerToken });
    expect(res.data!.setAgenda.agenda).toEqual([
      { position: 1, title: 'Data review', minutes: 45 },
      { position: 2, title: 'Learning walk', minutes: 60 },
    ]);
    expect(res.data!.setAgenda.version).toBeGreaterThan(visit.version);
    const roundTable = await bookOk({ type: 'ROUND_TABLE', startsAt: at('2030-03-27', 7), endsAt: at('2030-03-27', 8) });
    expect(roundTable.agenda).toHaveLength(7); // the fixed seven-item agenda of seed 004
    const refused = await t.gql(set, { id: roundTable.id, v: roundTable.version, items }, { token: partnerToken });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('warnings', () => {
  it('flags a visit in a school holiday of the term calendar (Kent 2009-10, seed 004)', async () => {
    const kent = KENT_TERM_CALENDARS.find((c) => c.academicYear === '2009-10')!;
    const upsert = `mutation($input: TermCalendarInput!) { upsertTermCalendar(input: $input) { academicYear terms { name } holidays { name startsOn endsOn } } }`;
    const input = { academicYear: kent.academicYear, terms: kent.terms.map((x) => ({ ...x, season: x.season.toUpperCase() })), holidays: kent.holidays };
    expect((await t.gql(upsert, { input }, { token: partnerToken })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const saved = await t.gql(upsert, { input: { ...input, expectedVersion: null } });
    expect(saved.errors).toBeUndefined();
    expect(saved.data!.upsertTermCalendar.terms).toHaveLength(6);

    const read = await t.gql(`{ termCalendar(academicYear: "2009-10") { terms { name startsOn endsOn } holidays { name } } }`, {}, { token: partnerToken });
    expect(read.data!.termCalendar.terms[0]).toEqual({ name: 'Term 1', startsOn: '2009-09-03', endsOn: '2009-10-23' });
    expect((await t.gql(`{ termCalendar(academicYear: "2050-51") { academicYear } }`)).data!.termCalendar).toBeNull();

    const halfTerm = await bookOk({ type: 'AUTUMN', startsAt: at('2009-10-28', 9), endsAt: at('2009-10-28', 10) });
    expect(codes(halfTerm)).toContain('SCHOOL_HOLIDAY');
    // Dates in words, as everything a person reads (issue 22).
    expect(halfTerm.warnings.find((w: { code: string }) => w.code === 'SCHOOL_HOLIDAY')?.message).toContain(
      'falls in the Autumn Holiday (26 October 2009 to 30 October 2009)',
    );
    const termTime = await bookOk({ type: 'AUTUMN', startsAt: at('2009-11-04', 9), endsAt: at('2009-11-04', 10) });
    expect(codes(termTime)).not.toContain('SCHOOL_HOLIDAY');
    expect(codes(termTime)).not.toContain('TYPE_OUT_OF_TERM');
    const summerInAutumn = await bookOk({ type: 'SUMMER', startsAt: at('2009-11-05', 9), endsAt: at('2009-11-05', 10) });
    expect(codes(summerInAutumn)).toContain('TYPE_OUT_OF_TERM');
  });

  it('refuses a calendar whose terms overlap or fall outside the year', async () => {
    const upsert = `mutation($input: TermCalendarInput!) { upsertTermCalendar(input: $input) { academicYear } }`;
    const terms = [
      { name: 'Autumn', season: 'AUTUMN', startsOn: '2031-09-03', endsOn: '2031-12-19' },
      { name: 'Spring', season: 'SPRING', startsOn: '2031-12-01', endsOn: '2032-03-26' },
    ];
    expect((await t.gql(upsert, { input: { academicYear: '2031-32', terms, holidays: [] } })).errors?.[0]?.message).toMatch(/must start after Autumn ends/);
    const outside = [{ name: 'Autumn', season: 'AUTUMN', startsOn: '2032-09-03', endsOn: '2032-12-19' }];
    expect((await t.gql(upsert, { input: { academicYear: '2031-32', terms: outside, holidays: [] } })).errors?.[0]?.message).toMatch(/outside 2031-32/);
  });

  it('flags weekends and a headteacher performance-management visit (no note of visit)', async () => {
    const saturday = await bookOk({ startsAt: at('2030-03-16', 9), endsAt: at('2030-03-16', 10) });
    expect(codes(saturday)).toContain('WEEKEND');
    const htpm = await bookOk({ type: 'HEADTEACHER_PERFORMANCE_MANAGEMENT', startsAt: at('2030-03-28', 7), endsAt: at('2030-03-28', 8) });
    expect(codes(htpm)).toContain('NO_NOTE_OF_VISIT');
  });

  it('flags overlapping visits of the partner and of the school; a cancelled visit frees its time', async () => {
    const mine = await bookOk({ schoolId: otherSchoolId, startsAt: at('2030-04-02', 6), endsAt: at('2030-04-02', 8) });
    const clash = await bookOk({ startsAt: at('2030-04-02', 7), endsAt: at('2030-04-02', 9) });
    expect(codes(clash)).toContain('PARTNER_OVERLAP');
    const colleagues = await bookOk({ startsAt: at('2030-04-02', 8), endsAt: at('2030-04-02', 9) }, colleagueToken);
    expect(codes(colleagues)).toContain('SCHOOL_OVERLAP');
    expect(codes(colleagues)).not.toContain('PARTNER_OVERLAP');

    await t.gql(`mutation($id: ID!) { cancelVisit(id: $id, reason: "Moved") { status } }`, { id: mine.id }, { token: partnerToken });
    const after = await t.gql(`query($id: ID!) { visit(id: $id) { warnings { code } } }`, { id: clash.id }, { token: partnerToken });
    expect(codes(after.data!.visit)).not.toContain('PARTNER_OVERLAP');
  });

  it('warns a partner attending a visit of another visit of theirs at the same time', async () => {
    const theirs = await bookOk({ schoolId: otherSchoolId, startsAt: at('2030-04-03', 6), endsAt: at('2030-04-03', 8) }, colleagueToken);
    const attended = await bookOk({
      startsAt: at('2030-04-03', 7),
      endsAt: at('2030-04-03', 9),
      attendees: [{ name: colleague.name, email: colleague.email, role: 'PARTNER', partnerId: colleague.id }],
    });
    expect(attended.warnings).toContainEqual({ code: 'PARTNER_OVERLAP', message: expect.stringContaining(`${colleague.name}, attending, has another visit`) });
    expect(codes(attended)).not.toContain('SCHOOL_OVERLAP');
    const read = await t.gql(`query($id: ID!) { visit(id: $id) { warnings { code message } } }`, { id: theirs.id }, { token: colleagueToken });
    expect(read.data!.visit.warnings).toContainEqual({ code: 'PARTNER_OVERLAP', message: expect.stringMatching(/^The lead partner has another visit/) });
  });

  it('flags a visit that takes the school past its allocation; cancelling it frees the days', async () => {
    const allocate = `mutation($input: AllocatePartnerInput!) { allocatePartner(input: $input) { id days daysSpent daysRemaining reason } }`;
    const input = { partnerId: partner.id, schoolId: otherSchoolId, academicYear: '2030-31', days: 2 };
    expect((await t.gql(allocate, { input }, { token: partnerToken })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await t.gql(allocate, { input })).data!.allocatePartner).toMatchObject({ days: 2, daysSpent: 0, daysRemaining: 2 });

    const day = { schoolId: otherSchoolId, type: 'AUTUMN', inSchoolDays: 1, outOfSchoolDays: 0.5 };
    const first = await bookOk({ ...day, startsAt: at('2030-10-08', 7, '+01:00'), endsAt: at('2030-10-08', 8, '+01:00') });
    expect(codes(first)).not.toContain('ALLOCATION_EXCEEDED');
    const second = await bookOk({ ...day, startsAt: at('2030-10-09', 7, '+01:00'), endsAt: at('2030-10-09', 8, '+01:00') });
    expect(codes(second)).toContain('ALLOCATION_EXCEEDED');
    expect((await t.gql(allocate, { input })).data!.allocatePartner).toMatchObject({ daysSpent: 3, daysRemaining: -1 });

    await t.gql(`mutation($id: ID!) { cancelVisit(id: $id, reason: "Not needed") { status } }`, { id: first.id }, { token: partnerToken });
    const after = await t.gql(`query($id: ID!) { visit(id: $id) { warnings { code } } }`, { id: second.id }, { token: partnerToken });
    expect(codes(after.data!.visit)).not.toContain('ALLOCATION_EXCEEDED');
    expect((await t.gql(allocate, { input })).data!.allocatePartner).toMatchObject({ daysSpent: 1.5, daysRemaining: 0.5 });

    const unallocated = await bookOk({ startsAt: at('2030-10-10', 7, '+01:00'), endsAt: at('2030-10-10', 8, '+01:00') });
    expect(codes(unallocated)).toContain('NO_ALLOCATION');
  });

  it('warns, naming whose it is, and audits a booking at a school allocated to someone else; none when it is allocated to you', async () => {
    const allocate = `mutation($input: AllocatePartnerInput!) { allocatePartner(input: $input) { id } }`;
    const year = '2031-32';
    expect((await t.gql(allocate, { input: { partnerId: colleague.id, schoolId: otherSchoolId, academicYear: year, days: 3 } })).errors).toBeUndefined();
    const when = { schoolId: otherSchoolId, type: 'AUTUMN', startsAt: at('2031-10-14', 7, '+01:00'), endsAt: at('2031-10-14', 8, '+01:00') };

    const preview = await t.gql(`query($input: BookVisitInput!) { bookingWarnings(input: $input) { code message } }`, { input: when }, { token: partnerToken });
    expect(preview.errors).toBeUndefined();
    const previewed = preview.data!.bookingWarnings.find((w: { code: string }) => w.code === 'NOT_ALLOCATED_TO_YOU');
    expect(previewed?.message).toMatch(/^Not allocated to you/);
    expect(previewed?.message).toContain(colleague.name);
    // a preview books nothing, so it audits nothing
    const audits = () => t.app.orm.em.fork().find(AuditEvent, { action: 'book_unallocated' });
    const auditedBefore = (await audits()).length;

    const visit = await bookOk(when);
    expect(codes(visit)).toContain('NOT_ALLOCATED_TO_YOU');
    const audited = (await audits()).filter((a) => a.entityId === visit.id);
    expect(audited).toHaveLength(1);
    expect(audited[0]!.actor).toBe(`partner:${partner.id}`);
    expect(audited[0]!.changes).toMatchObject({ school: otherSchoolId, leadPartner: partner.id, academicYear: year, allocatedTo: [colleague.id] });
    expect((await audits()).length).toBe(auditedBefore + 1);

    // the colleague allocated there books without the warning or the audit row
    const theirs = await bookOk({ ...when, startsAt: at('2031-10-15', 7, '+01:00'), endsAt: at('2031-10-15', 8, '+01:00') }, colleagueToken);
    expect(codes(theirs)).not.toContain('NOT_ALLOCATED_TO_YOU');
    expect((await audits()).some((a) => a.entityId === theirs.id)).toBe(false);
  });

  it('gives a partner new to a school the familiarisation day by default', async () => {
    const allocate = `mutation($input: AllocatePartnerInput!) { allocatePartner(input: $input) { days reason } }`;
    const fresh = await t.gql(allocate, { input: { partnerId: partner.id, schoolId, academicYear: '2033-34' } });
    expect(fresh.data!.allocatePartner).toEqual({ days: 6, reason: expect.stringMatching(/familiarisation/) });
    const returning = await t.gql(allocate, { input: { partnerId: partner.id, schoolId, academicYear: '2034-35' } });
    expect(returning.data!.allocatePartner).toEqual({ days: 5, reason: null });
  });
});

describe('agenda templates', () => {
  it('has one for every visit type, editable by managers only', async () => {
    const templates = (await t.gql(`{ agendaTemplates { visitType version fixed items { title } } }`)).data!.agendaTemplates;
    expect(templates.map((x: { visitType: string }) => x.visitType)).toEqual([
      'FAMILIARISATION',
      'AUTUMN',
      'SPRING',
      'SUMMER',
      'HEADTEACHER_PERFORMANCE_MANAGEMENT',
      'ROUND_TABLE',
      'JOINT_EVALUATION',
      'INSPECTION_FEEDBACK',
      'OTHER',
    ]);
    const roundTable = templates.find((x: { visitType: string }) => x.visitType === 'ROUND_TABLE');
    expect(roundTable).toMatchObject({ fixed: true, items: expect.arrayContaining([]) });
    expect(roundTable.items).toHaveLength(7);
    const set = `mutation($v: Int!) { setAgendaTemplate(visitType: OTHER, expectedVersion: $v, items: [{ title: "Purpose of the visit", ownerRole: PARTNER, minutes: 20 }]) { version items { title } } }`;
    const other = templates.find((x: { visitType: string }) => x.visitType === 'OTHER');
    expect((await t.gql(set, { v: other.version }, { token: partnerToken })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const changed = await t.gql(set, { v: other.version });
    expect(changed.data!.setAgendaTemplate).toEqual({ version: other.version + 1, items: [{ title: 'Purpose of the visit' }] });
    expect((await t.gql(set, { v: other.version })).errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });
});

describe('agenda exports', () => {
  let visit: { id: string; version: number };
  beforeAll(async () => {
    visit = await bookOk({
      type: 'AUTUMN',
      startsAt: at('2030-10-15', 9, '+01:00'),
      endsAt: at('2030-10-15', 12, '+01:00'),
      appointment: { icalUid: `UID-${randomUUID()}` },
    });
    const items = [
      { title: 'Outcomes <script>alert(1)</script> & targets', detail: 'KS2 "expected standard"', ownerRole: 'PARTNER', minutes: 60 },
      { title: 'Safeguarding check', ownerRole: 'HEADTEACHER', minutes: 30 },
    ];
    const res = await t.gql(
      `mutation($id: ID!, $v: Int!, $items: [AgendaItemInput!]!) { setAgenda(visitId: $id, expectedVersion: $v, items: $items) { id } }`,
      { id: visit.id, v: visit.version, items },
      { token: partnerToken },
    );
    expect(res.errors).toBeUndefined();
  });

  it('renders the agenda as HTML for the appointment body, every text escaped', async () => {
    const html = (await t.gql(`query($id: ID!) { visit(id: $id) { agendaHtml } }`, { id: visit.id }, { token: partnerToken })).data!.visit.agendaHtml as string;
    expect(html).toContain('Autumn visit - ');
    expect(html).toContain('Tuesday 15 October 2030, 09:00 to 12:00');
    expect(html).toContain('Outcomes &lt;script&gt;alert(1)&lt;/script&gt; &amp; targets');
    expect(html).not.toContain('<script>');
    expect(html).toContain(`Visit reference: ${visit.id}`);
    expect(html.match(/<li/g)).toHaveLength(2);
  });

  it('serves the agenda as a Word document holding the agenda text', async () => {
    const { agendaDocxUrl } = (await t.gql(`query($id: ID!) { visit(id: $id) { agendaDocxUrl } }`, { id: visit.id }, { token: partnerToken })).data!.visit;
    expect((await fetch(`${t.url}${agendaDocxUrl}`)).status).toBe(401);
    const res = await fetch(`${t.url}${agendaDocxUrl}`, { headers: { authorization: `Bearer ${partnerToken}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('wordprocessingml');
    const zip = await JSZip.loadAsync(await res.arrayBuffer());
    const xml = await zip.file('word/document.xml')!.async('string');
    expect(xml).toContain('Safeguarding check');
    expect(xml).toContain('Outcomes &lt;script&gt;alert(1)&lt;/script&gt; &amp; targets');
  });

  it('serves the visit as an iCalendar event that parses, with the appointment’s UID', async () => {
    const { icsUrl, appointment, startsAt, endsAt } = (
      await t.gql(`query($id: ID!) { visit(id: $id) { icsUrl startsAt endsAt appointment { icalUid } } }`, { id: visit.id }, { token: partnerToken })
    ).data!.visit;
    const res = await fetch(`${t.url}${icsUrl}`, { headers: { authorization: `Bearer ${partnerToken}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/calendar');
    const event = new ICAL.Event(new ICAL.Component(ICAL.parse(await res.text())).getFirstSubcomponent('vevent')!);
    expect(event.uid).toBe(appointment.icalUid);
    expect(event.summary).toMatch(/^Autumn visit - /);
    expect(event.startDate.toJSDate().getTime()).toBe(new Date(startsAt).getTime());
    expect(event.endDate.toJSDate().getTime()).toBe(new Date(endsAt).getTime());
    expect(event.description).toContain('Safeguarding check');
  });

  it('raises the event’s SEQUENCE with every change to the visit, agenda edits included', async () => {
    const read = async () => {
      const { icsUrl, version, agenda } = (
        await t.gql(
          `query($id: ID!) { visit(id: $id) { icsUrl version agenda { title detail minutes ownerRole } } }`,
          { id: visit.id },
          { token: partnerToken },
        )
      ).data!.visit;
      const res = await fetch(`${t.url}${icsUrl}`, { headers: { authorization: `Bearer ${partnerToken}` } });
      const vevent = new ICAL.Component(ICAL.parse(await res.text())).getFirstSubcomponent('vevent')!;
      return { version: version as number, agenda, sequence: Number(vevent.getFirstPropertyValue('sequence')) };
    };
    const before = await read();
    expect(before.sequence).toBe(before.version - 1);
    // The same items again: nothing a person would call a move, but the visit changed (its agenda was rewritten).
    const edited = await t.gql(
      `mutation($id: ID!, $v: Int!, $items: [AgendaItemInput!]!) { setAgenda(visitId: $id, expectedVersion: $v, items: $items) { version } }`,
      { id: visit.id, v: before.version, items: before.agenda },
      { token: partnerToken },
    );
    expect(edited.errors).toBeUndefined();
    const after = await read();
    expect(after.version).toBeGreaterThan(before.version);
    expect(after.sequence).toBeGreaterThan(before.sequence);
    expect(after.sequence).toBe(after.version - 1);
  });

  it('refuses the files to a partner who may not see the visit', async () => {
    // A partner who has just joined: no allocations, no visits.
    const em = t.app.orm.em.fork();
    const newcomer = Object.assign(new Partner(), { name: 'New Partner', email: `new.${randomUUID().slice(0, 8)}@northmarsh.example` });
    await em.persist(newcomer).flush();
    const token = await t.issuer.signForPerson(newcomer.email);
    const res = await fetch(`${t.url}/exports/visits/${visit.id}/visit.ics`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('FORBIDDEN');
    expect((await fetch(`${t.url}/exports/visits/not-a-uuid/visit.ics`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(400);
  });
});

describe('the audit trail of bookings', () => {
  it('records every mutation with who made it', async () => {
    const em = () => t.app.orm.em.fork();
    const actorOf = async (entityType: string, entityId: string, action: string) =>
      (await em().find(AuditEvent, { entityType, entityId, action }, { orderBy: { id: 'desc' } }))[0]?.actor;
    const me = `partner:${partner.id}`;
    const manager = (await t.personWithRole(PartnerRole.MANAGER)).partner;

    const visit = await bookOk({ startsAt: at('2030-05-07', 7, '+01:00'), endsAt: at('2030-05-07', 8, '+01:00') });
    expect(await actorOf('Visit', visit.id, 'create')).toBe(me);
    const moved = await t.gql(
      `mutation($id: ID!, $v: Int!) { rescheduleVisit(id: $id, expectedVersion: $v, startsAt: "2030-05-08T07:00:00+01:00", endsAt: "2030-05-08T08:00:00+01:00") { version } }`,
      { id: visit.id, v: visit.version },
      { token: partnerToken },
    );
    expect(moved.errors).toBeUndefined();
    await t.gql(
      `mutation($id: ID!, $v: Int!) { setAgenda(visitId: $id, expectedVersion: $v, items: [{ title: "Only item", ownerRole: ALL }]) { id } }`,
      { id: visit.id, v: moved.data!.rescheduleVisit.version },
      { token: partnerToken },
    );
    const items = await em().find(AgendaItem, { visit: visit.id });
    expect(await actorOf('AgendaItem', items[0]!.id, 'create')).toBe(me);
    await t.gql(`mutation($id: ID!) { cancelVisit(id: $id, reason: "Audit check") { id } }`, { id: visit.id }, { token: partnerToken });
    const updates = await em().find(AuditEvent, { entityType: 'Visit', entityId: visit.id, action: 'update' });
    expect(updates.map((u) => u.actor)).toEqual([me, me, me]);
    expect(updates.at(-1)!.changes).toMatchObject({ status: 'cancelled', cancellationReason: 'Audit check' });

    const allocation = await t.gql(`mutation($input: AllocatePartnerInput!) { allocatePartner(input: $input) { id } }`, {
      input: { partnerId: partner.id, schoolId, academicYear: '2040-41', days: 3 },
    });
    expect(await actorOf('Allocation', allocation.data!.allocatePartner.id, 'create')).toBe(`partner:${manager.id}`);
  });
});
