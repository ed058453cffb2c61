import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PartnerRole } from '../src/partners/partner.enums.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Council closure days (issue 17): days the council closes of its own accord,
 * managed by managers, skipped by working-day deadlines. The notes here are in
 * November 2021, before any demo visit, so every deadline moved is one made here.
 */
let t: TestApp;
let partnerToken: string;
let schools: string[];

const ADD = `mutation($input: CouncilClosureDaysInput!) { addCouncilClosureDays(input: $input) { days { id date reason } rescheduledNotes } }`;
const REMOVE = `mutation($dates: [Date!]!) { removeCouncilClosureDays(dates: $dates) { days { id date reason } rescheduledNotes } }`;
const LIST = `query($from: Date!, $to: Date!) { councilClosureDays(from: $from, to: $to) { date reason } }`;
const NOTE = `id version status draftDueOn circulationDueOn`;

const sql = (text: string, params: unknown[] = []) => t.app.orm.em.fork().getConnection().execute(text, params);
const add = (dates: unknown, reason: unknown = 'Christmas shutdown', token?: string) => t.gql(ADD, { input: { dates, reason } }, token ? { token } : {});
const remove = (dates: unknown, token?: string) => t.gql(REMOVE, { dates }, token ? { token } : {});
const list = async (from: string, to: string, token?: string) => {
  const res = await t.gql(LIST, { from, to }, token ? { token } : {});
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!.councilClosureDays as { date: string; reason: string }[];
};

async function visitAndNote(date: string, school: string) {
  const booked = await t.gql(`mutation($input: BookVisitInput!) { bookVisit(input: $input) { id } }`, {
    input: { schoolId: school, type: 'AUTUMN', startsAt: `${date}T09:00:00+00:00`, endsAt: `${date}T12:00:00+00:00` },
  });
  expect(booked.errors, JSON.stringify(booked.errors)).toBeUndefined();
  const visitId = booked.data!.bookVisit.id as string;
  const started = await t.gql(`mutation($v: ID!) { startNote(visitId: $v) { ${NOTE} } }`, { v: visitId });
  expect(started.errors, JSON.stringify(started.errors)).toBeUndefined();
  return { visitId, note: started.data!.startNote as { id: string; version: number; status: string; draftDueOn: string; circulationDueOn: string } };
}

const noteNow = async (id: string) => (await t.gql(`query($id: ID!) { note(id: $id) { ${NOTE} } }`, { id })).data!.note;

beforeAll(async () => {
  t = await startTestApp();
  partnerToken = (await t.personWithRole(PartnerRole.PARTNER)).token;
  schools = (await t.gql(`{ schools(first: 4, filter: { status: [OPEN] }) { nodes { id } } }`)).data!.schools.nodes.map((s: { id: string }) => s.id);
});
afterAll(() => t?.stop());

describe('council closure days through GraphQL', () => {
  it('a manager adds and removes them; everyone signed in lists them; a partner may not change them', async () => {
    const added = await add(['2026-12-30', '2026-12-29', '2026-12-30'], '  Christmas   shutdown ');
    expect(added.errors, JSON.stringify(added.errors)).toBeUndefined();
    expect(added.data!.addCouncilClosureDays.days.map((d: { date: string; reason: string }) => [d.date, d.reason])).toEqual([
      ['2026-12-29', 'Christmas shutdown'],
      ['2026-12-30', 'Christmas shutdown'],
    ]);
    expect(await list('2026-12-01', '2027-01-31', partnerToken)).toEqual([
      { date: '2026-12-29', reason: 'Christmas shutdown' },
      { date: '2026-12-30', reason: 'Christmas shutdown' },
    ]);
    expect(await list('2026-12-30', '2026-12-30')).toEqual([{ date: '2026-12-30', reason: 'Christmas shutdown' }]);

    for (const res of [await add(['2026-12-31'], 'Christmas shutdown', partnerToken), await remove(['2026-12-29'], partnerToken)]) {
      expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(res.errors?.[0]?.message).toMatch(/Only a senior adviser \(manager\) can change the council closure days/);
    }
    expect(await list('2026-12-01', '2027-01-31')).toHaveLength(2);

    const removed = await remove(['2026-12-30']);
    expect(removed.errors, JSON.stringify(removed.errors)).toBeUndefined();
    expect(removed.data!.removeCouncilClosureDays.days).toMatchObject([{ date: '2026-12-30', reason: 'Christmas shutdown' }]);
    expect(await list('2026-12-01', '2027-01-31')).toEqual([{ date: '2026-12-29', reason: 'Christmas shutdown' }]);

    // Each change is audited, by whom and in which request.
    const audit = await sql(`select action, actor, request_id, changes from audit_event where entity_type = 'CouncilClosureDay' order by id`);
    expect(audit.map((a: any) => a.action)).toEqual(['create', 'create', 'delete']);
    expect(audit.every((a: any) => a.actor !== 'system' && a.request_id)).toBe(true);
    expect(audit[0].changes).toMatchObject({ date: '2026-12-29', reason: 'Christmas shutdown' });
  });

  it('refuses bad input with BAD_USER_INPUT, a day already closed with CONFLICT, an unknown day with NOT_FOUND: never a 500, and nothing written', async () => {
    const before = await sql(`select (select count(*) from council_closure_day) as days, (select count(*) from audit_event) as audit`);
    const tooMany = Array.from({ length: 101 }, (_, i) => new Date(Date.UTC(2030, 0, 1 + i)).toISOString().slice(0, 10));
    const cases: [string, () => Promise<{ errors?: any[] }>, string, RegExp][] = [
      ['a day that does not exist', () => add(['2027-02-30']), 'BAD_USER_INPUT', /2027-02-30/],
      ['not a date', () => add(['next Tuesday']), 'BAD_USER_INPUT', /date/],
      ['year 1999', () => add(['1999-12-31']), 'BAD_USER_INPUT', /1999-12-31/],
      ['year 2101', () => add(['2101-01-04']), 'BAD_USER_INPUT', /2101-01-04/],
      ['year 0211', () => add(['0211-05-03']), 'BAD_USER_INPUT', /0211-05-03/],
      ['year 9999', () => add(['9999-12-31']), 'BAD_USER_INPUT', /9999-12-31/],
      ['no dates', () => add([]), 'BAD_USER_INPUT', /at least one date/],
      ['too many dates', () => add(tooMany), 'BAD_USER_INPUT', /at most 100 dates/],
      ['a Saturday', () => add(['2027-12-18']), 'BAD_USER_INPUT', /Saturday 18 December 2027 is a weekend day: deadlines never count weekends/],
      ['a bank holiday', () => add(['2027-12-27']), 'BAD_USER_INPUT', /Monday 27 December 2027 is a bank holiday \(Christmas Day\): deadlines skip it already/],
      ['a blank reason', () => add(['2027-12-29'], '   '), 'BAD_USER_INPUT', /Say why the council is closed/],
      ['no reason', () => add(['2027-12-29'], null), 'BAD_USER_INPUT', /reason/i],
      ['a reason of 201 characters', () => add(['2027-12-29'], 'x'.repeat(201)), 'BAD_USER_INPUT', /at most 200|200 characters/],
      [
        'a day already closed, with a new one',
        () => add(['2027-01-04', '2026-12-29']),
        'CONFLICT',
        /already closed on Tuesday 29 December 2026 \("Christmas shutdown"\)\. Leave that day out, or remove it first/,
      ],
      ['removing a day not closed', () => remove(['2026-12-31']), 'NOT_FOUND', /no closure day on Thursday 31 December 2026: nothing was removed/],
      ['removing a closed day with one not closed', () => remove(['2026-12-29', '2026-12-31']), 'NOT_FOUND', /Thursday 31 December 2026/],
      ['removing a bad date', () => remove(['2026-13-01']), 'BAD_USER_INPUT', /2026-13-01/],
      [
        'a range backwards',
        () => t.gql(LIST, { from: '2027-01-31', to: '2026-12-01' }),
        'BAD_USER_INPUT',
        /"from" \(2027-01-31\) is after "to" \(2026-12-01\)/,
      ],
      ['a range in year 3000', () => t.gql(LIST, { from: '2026-12-01', to: '3000-01-01' }), 'BAD_USER_INPUT', /3000-01-01/],
    ];
    for (const [what, send, code, message] of cases) {
      const res = await send();
      expect(res.errors?.[0]?.extensions?.code, `${what}: ${JSON.stringify(res.errors)}`).toBe(code);
      expect(res.errors?.[0]?.message, what).toMatch(message);
    }
    expect(await sql(`select (select count(*) from council_closure_day) as days, (select count(*) from audit_event) as audit`)).toEqual(before);
    expect(await list('2026-12-01', '2027-01-31')).toEqual([{ date: '2026-12-29', reason: 'Christmas shutdown' }]);
  });

  it('lets one of two managers adding the same day at once win; the other gets CONFLICT (the unique date, on real PostgreSQL)', async () => {
    const results = await Promise.all([add(['2028-03-01'], 'Election count'), add(['2028-03-01'], 'Election count')]);
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    const loser = results.find((r) => r.errors)!;
    expect(loser.errors![0]!.extensions?.code).toBe('CONFLICT');
    expect(loser.errors![0]!.message).toMatch(/already closed on Wednesday 1 March 2028|Someone has just added a closure day/);
    expect(await list('2028-03-01', '2028-03-01')).toEqual([{ date: '2028-03-01', reason: 'Election count' }]);
  });
});

describe('deadlines and closure days', () => {
  it('a note started after a closure day is added skips it, and so do the visit’s deadlines', async () => {
    expect((await add(['2021-06-09', '2021-06-10'], 'Staff training')).errors).toBeUndefined();
    // Monday 7 June 2021: 8 | 9, 10 closed | 11, 14, 15, 16 → draft due Wednesday 16 June; then 17, 18, 21, 22, 23.
    const { visitId, note } = await visitAndNote('2021-06-07', schools[0]!);
    expect(note).toMatchObject({ draftDueOn: '2021-06-16', circulationDueOn: '2021-06-23' });
    const visit = (await t.gql(`query($id: ID!) { visit(id: $id) { noteDraftDueOn noteCirculationDueOn } }`, { id: visitId })).data!.visit;
    expect(visit).toEqual({ noteDraftDueOn: '2021-06-16', noteCirculationDueOn: '2021-06-23' });
    // The visit lists (read views) agree.
    const page = await t.gql(
      `{ visits(first: 100, filter: { from: "2021-06-07T00:00:00+01:00", to: "2021-06-08T00:00:00+01:00" }) { nodes { id noteDraftDueOn noteCirculationDueOn } } }`,
    );
    expect(page.errors).toBeUndefined();
    expect(page.data!.visits.nodes.find((v: { id: string }) => v.id === visitId)).toMatchObject({
      noteDraftDueOn: '2021-06-16',
      noteCirculationDueOn: '2021-06-23',
    });
  });

  it('moves the deadlines still ahead when closure days are added or removed, leaves those already met, and audits each move', async () => {
    // A: visit Monday 8 November 2021, draft not yet shared. Due 15 and 22 November.
    const a = (await visitAndNote('2021-11-08', schools[1]!)).note;
    expect(a).toMatchObject({ draftDueOn: '2021-11-15', circulationDueOn: '2021-11-22' });
    // B: visit Thursday 4 November, draft already shared. Due 11 and 18 November.
    const b = (await visitAndNote('2021-11-04', schools[2]!)).note;
    expect(b).toMatchObject({ draftDueOn: '2021-11-11', circulationDueOn: '2021-11-18' });
    await sql(`update note_of_visit set status = 'shared', shared_at = ?, first_shared_at = ? where id = ?`, [
      new Date('2021-11-10T12:00:00Z'),
      new Date('2021-11-10T12:00:00Z'),
      b.id,
    ]);
    // C: visit Tuesday 9 November, already circulated. Due 16 and 23 November.
    const c = (await visitAndNote('2021-11-09', schools[3]!)).note;
    const at = new Date('2021-11-12T12:00:00Z');
    await sql(`update note_of_visit set status = 'circulated', shared_at = ?, first_shared_at = ?, circulated_at = ?, first_circulated_at = ? where id = ?`, [
      at,
      at,
      at,
      at,
      c.id,
    ]);
    // D: visit Friday 12 November, after the closure: nothing to move.
    const d = (await visitAndNote('2021-11-12', schools[0]!)).note;

    const added = await add(['2021-11-10', '2021-11-11'], 'Office move');
    expect(added.errors, JSON.stringify(added.errors)).toBeUndefined();
    expect(added.data!.addCouncilClosureDays.rescheduledNotes).toBe(2);
    // A: 9 | 10, 11 closed | 12, 15, 16, 17 → 17 November; then 18, 19, 22, 23, 24.
    expect(await noteNow(a.id)).toEqual({ ...a, draftDueOn: '2021-11-17', circulationDueOn: '2021-11-24' });
    // B: the draft went on time and stays judged on 11 November; circulation 5, 8, 9, 12, 15, 16, 17, 18, 19, 22.
    expect(await noteNow(b.id)).toMatchObject({ version: b.version, draftDueOn: '2021-11-11', circulationDueOn: '2021-11-22' });
    expect(await noteNow(c.id)).toMatchObject({ version: c.version, draftDueOn: '2021-11-16', circulationDueOn: '2021-11-23' });
    expect(await noteNow(d.id)).toEqual(d);
    // The note's version did not move: a partner editing it is not told someone else changed it.
    const save = await t.gql(
      `mutation($id: ID!, $v: Int!) { updateNote(id: $id, expectedVersion: $v, input: { summary: "Written after the office move." }) { version draftDueOn } }`,
      {
        id: a.id,
        v: a.version,
      },
    );
    expect(save.errors, JSON.stringify(save.errors)).toBeUndefined();
    expect(save.data!.updateNote.draftDueOn).toBe('2021-11-17');

    const moves = await sql(
      `select entity_id, actor, changes from audit_event where entity_type = 'NoteOfVisit' and changes->>'why' = 'council closure days changed' order by id`,
    );
    expect(moves.map((m: any) => [m.entity_id, m.changes.draftDueOn ?? null, m.changes.circulationDueOn])).toEqual(
      [
        [a.id, '2021-11-17', '2021-11-24'],
        [b.id, null, '2021-11-22'],
      ].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    );
    expect(moves.every((m: any) => m.actor !== 'system')).toBe(true);

    // Removing one of the days moves them back by one.
    const removed = await remove(['2021-11-11']);
    expect(removed.errors, JSON.stringify(removed.errors)).toBeUndefined();
    expect(removed.data!.removeCouncilClosureDays.rescheduledNotes).toBe(2);
    expect(await noteNow(a.id)).toMatchObject({ draftDueOn: '2021-11-16', circulationDueOn: '2021-11-23' });
    expect(await noteNow(b.id)).toMatchObject({ draftDueOn: '2021-11-11', circulationDueOn: '2021-11-19' });
    expect(await noteNow(c.id)).toMatchObject({ draftDueOn: '2021-11-16', circulationDueOn: '2021-11-23' });
  });
});
