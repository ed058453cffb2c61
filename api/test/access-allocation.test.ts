import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { academicYearLabel, academicYearStart } from '../src/platform/dates/academic-year.js';
import { PartnerRole } from '../src/partners/partner.enums.js';
import { AccessPolicy } from '../src/platform/auth/access-policy.js';
import { personPrincipal } from '../src/platform/auth/principal.js';
import { loadConfig } from '../src/platform/config.js';
import type { Em } from '../src/platform/db/orm.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { testClock, testToday } from './support/test-clock.js';

/**
 * Access follows the allocation, not a booking (issue 20): a school's completed visits and
 * circulated notes open to a partner through their allocation (this academic year and the one
 * before, ALLOCATION_HISTORY_YEARS) or a visit they actually attended; booking a visit, even
 * cancelling it at once, opens nothing but that visit. Checked on every way a note is read:
 * the visit lists, note(id) by its read view and by the ORM, and the Word download.
 */
let t: TestApp;
let partner: { id: string; token: string };
/** Schools with a circulated note the partner may not read, with that note. */
let closed: { schoolId: string; noteId: string; visitId: string }[];

const thisYear = academicYearStart(testToday());
const BOOK = `mutation($input: BookVisitInput!) { bookVisit(input: $input) { id version status warnings { code message } } }`;
const NOTE_VIEW = `query($id: ID!) { note(id: $id) { id status } }`;
// revisions are not served by the note's read view: this one goes through the ORM
const NOTE_ORM = `query($id: ID!) { note(id: $id) { id revisions { id } } }`;

async function noteCodes(noteId: string, token: string) {
  const view = await t.gql(NOTE_VIEW, { id: noteId }, { token });
  const orm = await t.gql(NOTE_ORM, { id: noteId }, { token });
  const download = await fetch(`${t.url}/exports/notes/${noteId}/note.docx`, { headers: { authorization: `Bearer ${token}` } });
  return [view.errors?.[0]?.extensions?.code ?? 'OK', orm.errors?.[0]?.extensions?.code ?? 'OK', download.status];
}

/** Every visit of a school the partner's lists show, through the read view ({ id } only) and the ORM (leadPartner). */
async function listed(schoolId: string, token: string) {
  const view = await t.gql(
    `query($s: ID!) { visits(first: 100, filter: { schoolId: $s }) { totalCount nodes { id note { id } } } }`,
    { s: schoolId },
    { token },
  );
  const orm = await t.gql(
    `query($s: ID!) { visits(first: 100, filter: { schoolId: $s }) { totalCount nodes { id leadPartner { id } } } }`,
    { s: schoolId },
    { token },
  );
  const all = await t.gql(`{ visits(first: 100) { nodes { id school { id } } } }`, {}, { token });
  expect(view.errors).toBeUndefined();
  expect(orm.errors).toBeUndefined();
  expect(all.errors).toBeUndefined();
  expect(view.data!.visits.totalCount).toBe(orm.data!.visits.totalCount);
  return {
    view: view.data!.visits.nodes.map((v: { id: string }) => v.id).sort(),
    orm: orm.data!.visits.nodes.map((v: { id: string }) => v.id).sort(),
    inFullList: all.data!.visits.nodes.filter((v: { school: { id: string } }) => v.school.id === schoolId).map((v: { id: string }) => v.id),
  };
}

beforeAll(async () => {
  t = await startTestApp();
  const p = await t.personWithRole(PartnerRole.PARTNER);
  partner = { id: p.partner.id, token: p.token };
  const circulated = await t.gql(`{ visits(first: 100, filter: { status: [COMPLETED] }) { nodes { id school { id } note { id status } } } }`);
  closed = [];
  const seen = new Set<string>();
  for (const v of circulated.data!.visits.nodes as { id: string; school: { id: string }; note: { id: string; status: string } | null }[]) {
    if (v.note?.status !== 'CIRCULATED' || seen.has(v.school.id)) continue;
    seen.add(v.school.id);
    const [code] = await noteCodes(v.note.id, partner.token);
    if (code === 'FORBIDDEN') closed.push({ schoolId: v.school.id, noteId: v.note.id, visitId: v.id });
    if (closed.length === 3) break;
  }
  expect(closed.length).toBe(3);
});
afterAll(() => t?.stop());

describe('access follows the allocation, not a booking', () => {
  it("booking a visit at a school not allocated to you, and cancelling it, opens none of the school's notes or visits", async () => {
    const { schoolId, noteId, visitId } = closed[0]!;
    const booked = await t.gql(
      BOOK,
      { input: { schoolId, type: 'SUMMER', startsAt: '2027-06-15T07:00:00+01:00', endsAt: '2027-06-15T08:00:00+01:00', useAgendaTemplate: true } },
      { token: partner.token },
    );
    expect(booked.errors).toBeUndefined();
    const mine = booked.data!.bookVisit;

    const closedStill = async () => {
      expect(await noteCodes(noteId, partner.token)).toEqual(['FORBIDDEN', 'FORBIDDEN', 403]);
      expect((await t.gql(`query($id: ID!) { visit(id: $id) { id } }`, { id: visitId }, { token: partner.token })).errors?.[0]?.extensions?.code).toBe(
        'FORBIDDEN',
      );
      // their own visit, and only that, in every list
      const lists = await listed(schoolId, partner.token);
      expect(lists).toEqual({ view: [mine.id], orm: [mine.id], inFullList: [mine.id] });
    };

    // the partner still prepares the visit they booked: its agenda and its document
    const own = await t.gql(`query($id: ID!) { visit(id: $id) { id agenda { title } } }`, { id: mine.id }, { token: partner.token });
    expect(own.errors).toBeUndefined();
    expect(own.data!.visit.agenda.length).toBeGreaterThan(0);
    const agenda = await fetch(`${t.url}/exports/visits/${mine.id}/agenda.docx`, { headers: { authorization: `Bearer ${partner.token}` } });
    expect(agenda.status).toBe(200);
    await closedStill();

    const cancelled = await t.gql(
      `mutation($id: ID!) { cancelVisit(id: $id, reason: "Booked by mistake") { status } }`,
      { id: mine.id },
      { token: partner.token },
    );
    expect(cancelled.data?.cancelVisit.status).toBe('CANCELLED');
    await closedStill();
  });

  it('a visit the partner led and completed opens the school', async () => {
    const { schoolId, noteId } = closed[1]!;
    // a visit that took place last week (the business clock's), completed once held
    const booked = await t.gql(
      BOOK,
      { input: { schoolId, type: 'OTHER', startsAt: `${testToday()}T06:00:00Z`, endsAt: `${testToday()}T07:00:00Z` } },
      { token: partner.token },
    );
    expect(booked.errors).toBeUndefined();
    expect(await noteCodes(noteId, partner.token)).toEqual(['FORBIDDEN', 'FORBIDDEN', 403]);
    const done = await t.gql(`mutation($id: ID!) { completeVisit(id: $id) { status } }`, { id: booked.data!.bookVisit.id }, { token: partner.token });
    expect(done.errors).toBeUndefined();
    expect(await noteCodes(noteId, partner.token)).toEqual(['OK', 'OK', 200]);
  });

  it('an allocation opens the school this academic year and the one before, not earlier ones', async () => {
    const { schoolId, noteId } = closed[2]!;
    const allocate = (academicYear: string) =>
      t.gql(`mutation($input: AllocatePartnerInput!) { allocatePartner(input: $input) { id } }`, {
        input: { partnerId: partner.id, schoolId, academicYear, days: 1 },
      });
    expect((await allocate(academicYearLabel(thisYear - 2))).errors).toBeUndefined();
    expect(await noteCodes(noteId, partner.token)).toEqual(['FORBIDDEN', 'FORBIDDEN', 403]);
    expect((await allocate(academicYearLabel(thisYear - 1))).errors).toBeUndefined();
    expect(await noteCodes(noteId, partner.token)).toEqual(['OK', 'OK', 200]);

    // a council that keeps only this year's allocations (ALLOCATION_HISTORY_YEARS=0), and one that keeps more
    const em = t.app.orm.em.fork() as Em;
    const me = personPrincipal({ id: partner.id, role: PartnerRole.PARTNER });
    const policy = (allocationHistoryYears: number) => new AccessPolicy(me, em, testClock, { allocationHistoryYears });
    await expect(policy(0).assertCanSeeSchoolRecords(schoolId)).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    await expect(policy(2).assertCanSeeSchoolRecords(schoolId)).resolves.toBeUndefined();
    expect(loadConfig({ NODE_ENV: 'test', ALLOCATION_HISTORY_YEARS: '0' }).access).toEqual({ allocationHistoryYears: 0 });
    expect(loadConfig({ NODE_ENV: 'test' }).access).toEqual({ allocationHistoryYears: 1 });
    expect(() => loadConfig({ NODE_ENV: 'test', ALLOCATION_HISTORY_YEARS: '-1' })).toThrow(/ALLOCATION_HISTORY_YEARS/);
  });
});
