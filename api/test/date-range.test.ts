import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateScalar, DateTimeScalar } from '../src/platform/graphql/scalars.js';
import { PartnerRole } from '../src/partners/partner.enums.js';
import { bookedVisits } from './support/booked-visits.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Dates from 2000 to 2100 only: a booking in year 0211 or 9999 used to be stored and then answer
 * INTERNAL_SERVER_ERROR from the visit's warnings (worked out after the commit), and every list
 * holding it failed from then on. Now such a date is refused before anything is written, and a row
 * stored earlier with one still reads, its warnings saying the date needs correcting.
 */
describe('the Date and DateTime scalars', () => {
  it('accept 2000 to 2100 and refuse the years around, in words', () => {
    expect(DateScalar.parseValue('2000-01-01')).toBe('2000-01-01');
    expect(DateScalar.parseValue('2100-12-31')).toBe('2100-12-31');
    for (const date of ['1999-12-31', '2101-01-01', '0211-01-01', '1899-12-31', '3000-01-01', '9999-12-31']) {
      expect(() => DateScalar.parseValue(date)).toThrow(
        `"${date}" is not a date this service accepts: dates run from 1 January 2000 to 31 December 2100. Check the year.`,
      );
    }
    expect(() => DateScalar.parseValue('2027-02-30')).toThrow('"2027-02-30" is not a date: February 2027 has 28 days.');
    expect(() => DateScalar.parseValue(20270315)).toThrow('A date is a string: write a date as YYYY-MM-DD, e.g. "2027-03-15".');

    expect(DateTimeScalar.parseValue('2000-01-01T00:00:00+00:00')).toEqual(new Date('2000-01-01T00:00:00Z'));
    expect(DateTimeScalar.parseValue('2100-12-31T23:59:59+00:00')).toEqual(new Date('2100-12-31T23:59:59Z'));
    // the London date decides: 00:30 on 1 January 2000 at +01:00 is still 1999 in London (and UTC)
    expect(() => DateTimeScalar.parseValue('2000-01-01T00:30:00+01:00')).toThrow('is not a date this service accepts');
    for (const instant of ['0211-01-01T09:00:00Z', '9999-12-31T09:00:00+00:00', '3000-01-01T09:00:00Z', '1899-12-31T09:00:00Z', '2101-01-01T00:00:00Z']) {
      expect(() => DateTimeScalar.parseValue(instant)).toThrow(`"${instant}" is not a date this service accepts`);
    }
    expect(() => DateTimeScalar.parseValue('2027-02-30T09:00:00Z')).toThrow('"2027-02-30T09:00:00Z" is not a date and time: February 2027 has 28 days.');
    expect(() => DateTimeScalar.parseValue(1_700_000_000_000)).toThrow('A date and time is a string');
  });

  it('write out any date already stored, whatever its year', () => {
    expect(DateTimeScalar.serialize(new Date('0211-01-01T07:00:00Z'))).toBe('0211-01-01T07:00:00+00:00');
    expect(DateTimeScalar.serialize(new Date('9999-12-31T07:00:00Z'))).toBe('9999-12-31T07:00:00+00:00');
    expect(DateTimeScalar.serialize(new Date('+010000-01-01T07:00:00Z'))).toBe('+010000-01-01T07:00:00+00:00');
    expect(DateTimeScalar.serialize(new Date('-000210-01-01T07:00:00Z'))).toBe('-000210-01-01T07:00:00+00:00');
    expect(DateTimeScalar.serialize(new Date('2027-06-15T08:30:00Z'))).toBe('2027-06-15T09:30:00+01:00');
    expect(DateScalar.serialize('0211-02-01')).toBe('0211-02-01');
    expect(DateScalar.serialize('10000-02-01')).toBe('10000-02-01');
    expect(DateScalar.serialize('0211-02-01 BC')).toBe('0211-02-01 BC');
  });
});

describe('impossible dates against the running API', () => {
  let t: TestApp;
  let token: string;
  let schoolId: string;
  const sql = (query: string, params: unknown[] = []) => t.app.orm.em.getConnection().execute(query, params);
  const BOOK = `mutation($input: BookVisitInput!) { bookVisit(input: $input) { id warnings { code } } }`;
  const VISIT = `id version startsAt endsAt noteDraftDueOn noteCirculationDueOn agendaHtml warnings { code message }
    note { id draftDueOn recommendations { dueOn } }`;

  beforeAll(async () => {
    t = await startTestApp();
    token = (await t.personWithRole(PartnerRole.PARTNER)).token;
    schoolId = (await t.gql(`{ schools(first: 1, filter: { status: [OPEN] }) { nodes { id } } }`)).data!.schools.nodes[0].id;
  });
  afterAll(() => t?.stop());

  it('refuses a booking in year 0211, 9999, 3000 or 1899 before anything is written', async () => {
    const [{ n: visits }] = await sql(`select count(*)::int as n from visit`);
    const [{ n: audits }] = await sql(`select count(*)::int as n from audit_event`);
    for (const day of ['0211-01-01', '9999-12-31', '3000-01-01', '1899-12-31']) {
      const res = await t.gql(BOOK, { input: { schoolId, type: 'SPRING', startsAt: `${day}T07:00:00+00:00`, endsAt: `${day}T09:00:00+00:00` } }, { token });
      expect(res.status).toBeLessThan(500);
      expect(res.data?.bookVisit ?? null).toBeNull();
      expect(res.errors?.map((e) => [e.extensions?.code, e.extensions?.field])).toEqual([
        ['BAD_USER_INPUT', 'startsAt'],
        ['BAD_USER_INPUT', 'endsAt'],
      ]);
      expect(res.errors![0]!.message).toContain('dates run from 1 January 2000 to 31 December 2100');
    }
    expect((await sql(`select count(*)::int as n from visit`))[0].n).toBe(visits);
    expect((await sql(`select count(*)::int as n from audit_event`))[0].n).toBe(audits);

    const [booked] = await bookedVisits(t, 1);
    const moved = await t.gql(
      `mutation($id: ID!, $v: Int!) { rescheduleVisit(id: $id, expectedVersion: $v, startsAt: "9999-12-31T07:00:00Z", endsAt: "9999-12-31T08:00:00Z") { id } }`,
      {
        id: booked!.id,
        v: booked!.version,
      },
    );
    expect(moved.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('still lists visits stored earlier with an impossible date, each with a warning saying so', async () => {
    // rows as an older version let them in (and as an old database may hold them)
    const withNote = await sql(
      `select v.id, n.id as note_id from visit v join note_of_visit n on n.visit_id = v.id where exists (select 1 from recommendation r where r.note_id = n.id) order by v.starts_at desc limit 1`,
    );
    const others = await bookedVisits(t, 3); // booked, no note
    const odd: [string, string][] = [
      [withNote[0].id, '0211-01-01 07:00+00'],
      [others[0].id, '9999-12-31 07:00+00'],
      [others[1].id, '0211-01-01 07:00+00 BC'],
      [others[2].id, '10000-01-01 07:00+00'],
    ];
    // all at one school, so one page of its visits holds them all (latest first, they would sit at both ends of the county's list)
    const [{ school_id: school }] = await sql(`select school_id from visit where id = ?`, [withNote[0].id]);
    for (const [id, start] of odd)
      await sql(`update visit set starts_at = ?::timestamptz, ends_at = ?::timestamptz + interval '2 hours', school_id = ? where id = ?`, [
        start,
        start,
        school,
        id,
      ]);
    await sql(`update recommendation set due_on = '0211-02-01' where note_id = ?`, [withNote[0].note_id]);

    // every way of reading a list: through the ORM (warnings asked for) and through the read views
    const full = await t.gql(`query($school: ID!) { visits(first: 100, filter: { schoolId: $school }) { totalCount nodes { ${VISIT} } } }`, { school });
    expect(full.errors).toBeUndefined();
    expect(full.data!.visits.totalCount).toBeLessThanOrEqual(100);
    const view = await t.gql(
      `query($school: ID!) { visits(first: 100, filter: { schoolId: $school }) { nodes { id startsAt noteDraftDueOn school { name } note { id status } } } }`,
      { school },
    );
    expect(view.errors).toBeUndefined();
    for (const [id] of odd) {
      const visit = full.data!.visits.nodes.find((v: { id: string }) => v.id === id);
      expect(visit, id).toBeDefined();
      expect(visit.warnings).toEqual([
        {
          code: 'IMPOSSIBLE_DATE',
          message: expect.stringMatching(
            /^This visit is dated .+, which cannot be right \(visits fall between 2000 and 2100\): reschedule it to its real date, or cancel it\.$/,
          ),
        },
      ]);
      expect(visit.noteDraftDueOn).toBeNull();
      expect(view.data!.visits.nodes.find((v: { id: string }) => v.id === id)).toBeDefined();
    }
    const byId = (id: string) => full.data!.visits.nodes.find((v: { id: string }) => v.id === id);
    expect(byId(odd[0]![0]).startsAt).toBe('0211-01-01T07:00:00+00:00');
    expect(byId(odd[0]![0]).note.recommendations[0].dueOn).toBe('0211-02-01');
    expect(byId(odd[1]![0]).startsAt).toBe('9999-12-31T07:00:00+00:00');
    expect(byId(odd[2]![0]).startsAt).toBe('-000210-01-01T07:00:00+00:00');
    expect(byId(odd[3]![0]).startsAt).toBe('+010000-01-01T07:00:00+00:00');
    // the other visits are untouched: one bad row spoils nothing else
    expect(full.data!.visits.nodes.filter((v: { warnings: { code: string }[] }) => v.warnings.some((w) => w.code === 'IMPOSSIBLE_DATE'))).toHaveLength(
      odd.length,
    );

    // and the warning's remedy works: rescheduled to a real date, the visit is checked as any other
    const visit = byId(odd[1]![0]);
    const moved = await t.gql(
      `mutation($id: ID!, $v: Int!) { rescheduleVisit(id: $id, expectedVersion: $v, startsAt: "2031-03-11T07:00:00Z", endsAt: "2031-03-11T09:00:00Z") { warnings { code } noteDraftDueOn } }`,
      {
        id: visit.id,
        v: visit.version,
      },
    );
    expect(moved.errors).toBeUndefined();
    expect(moved.data!.rescheduleVisit.warnings.map((w: { code: string }) => w.code)).not.toContain('IMPOSSIBLE_DATE');
    expect(moved.data!.rescheduleVisit.noteDraftDueOn).toMatch(/^2031-03-1\d$/);
  });
});
