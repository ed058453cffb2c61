import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../src/platform/dates/working-days.js';
import { Partner } from '../src/partners/partner.entity.js';
import { PartnerRole } from '../src/partners/partner.enums.js';
import { effectiveDueOn, isLateState, nextShadowingDueBy, ShadowingState, shadowingFeedbackDueOn, shadowingState } from '../src/quality/shadowing.rules.js';
import { VisitStatus } from '../src/visits/visit.enums.js';
import { plusDays } from '../src/platform/dates/bank-holidays.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { testToday } from './support/test-clock.js';

/**
 * Shadowing (seed 004 section 19): every partner shadowed on a visit every two years, written
 * feedback within five working days, counted as late when it is not.
 */

const plain = new WorkingCalendar();
const london = (date: string, time = '10:00') => new Date(`${date}T${time}:00+01:00`);

describe('the rule: five working days, and late after them', () => {
  // Wednesday 24 March 2027; Good Friday 26 March and Easter Monday 29 March are bank holidays.
  const visit = { status: VisitStatus.COMPLETED, startsAt: new Date('2027-03-24T09:00:00Z') };

  it('skips the Easter bank holidays: due on Friday 2 April, not Wednesday 31 March', () => {
    expect(shadowingFeedbackDueOn(visit.startsAt, plain)).toBe('2027-04-02');
    // and a council closure day on top moves it one more working day
    expect(shadowingFeedbackDueOn(visit.startsAt, new WorkingCalendar([{ date: '2027-04-01', reason: 'Training day' }]))).toBe('2027-04-05');
  });

  it('is on time given on the due date (the bank holidays count for the shadower), late the working day after', () => {
    const booked = { feedbackDueOn: shadowingFeedbackDueOn(visit.startsAt, plain), feedbackGivenAt: null };
    // 1 April would be late if Good Friday and Easter Monday were working days
    expect(shadowingState({ ...booked, feedbackGivenAt: london('2027-04-01') }, visit, london('2027-04-01'), plain)).toBe(ShadowingState.GIVEN_ON_TIME);
    expect(shadowingState({ ...booked, feedbackGivenAt: london('2027-04-02', '23:30') }, visit, london('2027-04-03'), plain)).toBe(
      ShadowingState.GIVEN_ON_TIME,
    );
    const givenLate = shadowingState({ ...booked, feedbackGivenAt: london('2027-04-05') }, visit, london('2027-04-05'), plain);
    expect(givenLate).toBe(ShadowingState.GIVEN_LATE);
    expect(isLateState(givenLate)).toBe(true);
  });

  it('shows feedback not given as due until the due date, and late after it', () => {
    const booked = { feedbackDueOn: '2027-04-02', feedbackGivenAt: null };
    expect(shadowingState(booked, visit, london('2027-03-23'), plain)).toBe(ShadowingState.BOOKED);
    expect(shadowingState(booked, visit, london('2027-04-02', '18:00'), plain)).toBe(ShadowingState.FEEDBACK_DUE);
    expect(isLateState(shadowingState(booked, visit, london('2027-04-02', '18:00'), plain))).toBe(false);
    expect(shadowingState(booked, visit, london('2027-04-03'), plain)).toBe(ShadowingState.FEEDBACK_LATE);
    expect(isLateState(shadowingState(booked, visit, london('2027-04-03'), plain))).toBe(true);
  });

  it('follows a moved visit until the feedback is given, then keeps the date it was judged on', () => {
    const moved = { ...visit, startsAt: new Date('2027-04-06T09:00:00Z') };
    expect(effectiveDueOn({ feedbackDueOn: '2027-04-02', feedbackGivenAt: null }, moved, plain)).toBe('2027-04-13');
    expect(effectiveDueOn({ feedbackDueOn: '2027-04-02', feedbackGivenAt: london('2027-04-01') }, moved, plain)).toBe('2027-04-02');
  });

  it('cancels the shadowing with its visit: never due, never late', () => {
    const cancelled = { ...visit, status: VisitStatus.CANCELLED };
    const state = shadowingState({ feedbackDueOn: '2027-04-02', feedbackGivenAt: null }, cancelled, london('2027-06-01'), plain);
    expect(state).toBe(ShadowingState.CANCELLED);
    expect(isLateState(state)).toBe(false);
  });

  it('is next due two years after the last shadowed visit, or now when never', () => {
    expect(nextShadowingDueBy('2025-11-20', '2027-03-10')).toBe('2027-11-20');
    expect(nextShadowingDueBy('2024-02-29', '2027-03-10')).toBe('2026-02-28');
    expect(nextShadowingDueBy(null, '2027-03-10')).toBe('2027-03-10');
  });
});

describe('shadowing through the API', () => {
  let t: TestApp;
  let lead: Partner;
  let shadower: Partner;
  let other: Partner;
  const tokens: Record<string, string> = {};
  let schoolId: string;

  const SHADOWING = `id version state late feedbackDueOn feedback feedbackGivenAt shadowedPartner { id } shadower { id } givenBy { id } visit { id }`;

  async function gqlOk(query: string, variables: Record<string, unknown> = {}, token?: string) {
    const res = await t.gql(query, variables, token ? { token } : {});
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    return res.data!;
  }
  async function gqlCode(query: string, variables: Record<string, unknown>, token?: string) {
    const res = await t.gql(query, variables, token ? { token } : {});
    expect(res.errors, JSON.stringify(res.data)).toBeDefined();
    return res.errors![0]!.extensions?.code;
  }

  /**
   * Days around the suite's today (TEST_NOW moves it), in working days of the council's calendar (the
   * API's: bank holidays and the demo county's closure days), so feedback due dates fall as they would.
   */
  let calendar: WorkingCalendar;
  let today: string;
  const workingDay = (offset: number): string => {
    if (offset >= 0) return calendar.addWorkingDays(today, offset);
    let date = today;
    for (let left = -offset; left > 0;) {
      date = plusDays(date, -1);
      if (calendar.isWorkingDay(date)) left -= 1;
    }
    return date;
  };
  const dueOn = (visitDate: string) => shadowingFeedbackDueOn(new Date(`${visitDate}T09:00:00Z`), calendar);

  /** A visit led by `lead`, booked by a manager, on a London date. */
  async function book(date: string): Promise<string> {
    return (
      await gqlOk(`mutation($input: BookVisitInput!) { bookVisit(input: $input) { id } }`, {
        input: { schoolId, leadPartnerId: lead.id, type: 'SPRING', startsAt: `${date}T09:00:00+00:00`, endsAt: `${date}T12:00:00+00:00` },
      })
    ).bookVisit.id as string;
  }
  const shadow = async (visitId: string, by?: string) =>
    (await gqlOk(`mutation($v: ID!, $s: ID!) { shadowVisit(visitId: $v, shadowerId: $s) { ${SHADOWING} } }`, { v: visitId, s: shadower.id }, by)).shadowVisit;
  const GIVE = `mutation($id: ID!, $f: String!, $v: Int) { giveShadowingFeedback(id: $id, feedback: $f, expectedVersion: $v) { ${SHADOWING} } }`;

  beforeAll(async () => {
    t = await startTestApp();
    const em = t.app.orm.em.fork();
    [lead, shadower, other] = await em.find(Partner, { role: PartnerRole.PARTNER, active: true }, { orderBy: { name: 'asc' }, limit: 3 });
    for (const p of [lead!, shadower!, other!]) tokens[p.id] = await t.issuer.signForPerson(p.email);
    schoolId = (await t.gql(`{ schools(first: 1, filter: { status: [OPEN] }) { nodes { id } } }`)).data!.schools.nodes[0].id;
    today = testToday();
    const closures = (
      await gqlOk(`query($f: Date!, $t: Date!) { councilClosureDays(from: $f, to: $t) { date reason } }`, { f: plusDays(today, -60), t: plusDays(today, 60) })
    ).councilClosureDays as { date: string; reason: string }[];
    calendar = new WorkingCalendar(closures);
  });
  afterAll(() => t?.stop());

  it('books a shadowing on a visit: due five working days after it, and the shadower attends (and sees it)', async () => {
    const visitId = await book(workingDay(-1));
    const s = await shadow(visitId);
    expect(s).toMatchObject({
      state: 'FEEDBACK_DUE',
      late: false,
      feedbackDueOn: dueOn(workingDay(-1)),
      shadowedPartner: { id: lead.id },
      shadower: { id: shadower.id },
    });
    const visit = (await gqlOk(`query($id: ID!) { visit(id: $id) { attendees { role partner { id } } } }`, { id: visitId }, tokens[shadower.id])).visit;
    expect(visit.attendees).toContainEqual({ role: 'PARTNER', partner: { id: shadower.id } });
    // booking it again finds the same shadowing, and the shadower is not listed twice
    expect((await shadow(visitId)).id).toBe(s.id);
    const again = (await gqlOk(`query($id: ID!) { visit(id: $id) { attendees { partner { id } } } }`, { id: visitId })).visit;
    expect(again.attendees.filter((a: { partner: { id: string } | null }) => a.partner?.id === shadower.id)).toHaveLength(1);
    // the shadowed partner and the shadower see it; someone else does not
    const ids = async (token: string) => (await gqlOk(`{ shadowings { id } }`, {}, token)).shadowings.map((x: { id: string }) => x.id);
    expect(await ids(tokens[lead.id]!)).toContain(s.id);
    expect(await ids(tokens[shadower.id]!)).toContain(s.id);
    expect(await ids(tokens[other.id]!)).not.toContain(s.id);
  });

  it("only a senior adviser or the lead partner's mentor books one, and never the lead as their own shadower", async () => {
    const visitId = await book(workingDay(1));
    expect(
      await gqlCode(`mutation($v: ID!, $s: ID!) { shadowVisit(visitId: $v, shadowerId: $s) { id } }`, { v: visitId, s: shadower.id }, tokens[lead.id]),
    ).toBe('FORBIDDEN');
    expect(await gqlCode(`mutation($v: ID!, $s: ID!) { shadowVisit(visitId: $v, shadowerId: $s) { id } }`, { v: visitId, s: lead.id })).toBe('BAD_USER_INPUT');
    expect(
      await gqlCode(`mutation($v: ID!, $s: ID!) { shadowVisit(visitId: $v, shadowerId: $s) { id } }`, { v: visitId, s: shadower.id }, tokens[other.id]),
    ).toBe('FORBIDDEN');
    // the lead's mentor may
    const em = t.app.orm.em.fork();
    const mentored = await em.findOneOrFail(Partner, { id: lead.id });
    const mentorBefore = mentored.mentor ?? null;
    mentored.mentor = em.getReference(Partner, other.id) as never;
    await em.flush();
    try {
      const booked = (
        await gqlOk(
          `mutation($v: ID!, $s: ID!) { shadowVisit(visitId: $v, shadowerId: $s) { shadower { id } } }`,
          { v: visitId, s: shadower.id },
          tokens[other.id],
        )
      ).shadowVisit;
      expect(booked.shadower.id).toBe(shadower.id);
    } finally {
      mentored.mentor = mentorBefore;
      await em.flush();
    }
  });

  it('shows feedback not given past its due date as late; given late, it is kept and counted as late', async () => {
    // seven working days ago: due two working days ago
    const s = await shadow(await book(workingDay(-7)));
    expect(s).toMatchObject({ feedbackDueOn: dueOn(workingDay(-7)), state: 'FEEDBACK_LATE', late: true });
    const given = (await gqlOk(GIVE, { id: s.id, f: 'Well prepared; challenge on the Year 6 data could go further.', v: s.version })).giveShadowingFeedback;
    expect(given).toMatchObject({ state: 'GIVEN_LATE', late: true, feedbackDueOn: dueOn(workingDay(-7)), feedback: expect.stringContaining('Year 6') });
    expect(given.feedbackGivenAt).not.toBeNull();
  });

  it('only the shadower or a senior adviser gives the feedback, once, from an up-to-date copy, and it is recorded as an event', async () => {
    const s = await shadow(await book(workingDay(-2)));
    for (const who of [lead, other]) expect(await gqlCode(GIVE, { id: s.id, f: 'Mine', v: s.version }, tokens[who.id])).toBe('FORBIDDEN');
    expect(await gqlCode(GIVE, { id: s.id, f: 'Stale', v: s.version + 7 }, tokens[shadower.id])).toBe('CONFLICT');
    const given = (await gqlOk(GIVE, { id: s.id, f: 'A well-run visit.', v: s.version }, tokens[shadower.id])).giveShadowingFeedback;
    expect(given).toMatchObject({ state: 'GIVEN_ON_TIME', late: false, givenBy: { id: shadower.id } });
    // another person's save cannot overwrite the words given
    expect(await gqlCode(GIVE, { id: s.id, f: 'Overwritten', v: given.version })).toBe('CONFLICT');
    // the shadowed partner reads it
    const theirs = (await gqlOk(`{ shadowings { id feedback } }`, {}, tokens[lead.id])).shadowings.find((x: { id: string }) => x.id === s.id);
    expect(theirs.feedback).toBe('A well-run visit.');
    const events = await t.app.orm.em
      .fork()
      .getConnection()
      .execute<{ partner_id: string; data: { shadowingId: string; late: boolean } }[]>(
        `select partner_id, data from domain_event where kind = 'qa.shadowing_feedback_given' and data->>'shadowingId' = ?`,
        [s.id],
      );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ partner_id: lead.id, data: { late: false } });
  });

  it('cancels the shadowing with its visit, and refuses feedback on it', async () => {
    const visitId = await book(workingDay(8));
    const s = await shadow(visitId);
    expect(s.state).toBe('BOOKED');
    const v = (await gqlOk(`query($id: ID!) { visit(id: $id) { version } }`, { id: visitId })).visit.version;
    await gqlOk(`mutation($id: ID!, $v: Int) { cancelVisit(id: $id, expectedVersion: $v, reason: "School closed for snow") { status } }`, { id: visitId, v });
    const after = (await gqlOk(`query($p: ID) { shadowings(partnerId: $p) { id state late } }`, { p: lead.id })).shadowings.find(
      (x: { id: string }) => x.id === s.id,
    );
    expect(after).toMatchObject({ state: 'CANCELLED', late: false });
    expect(await gqlCode(GIVE, { id: s.id, f: 'No visit', v: s.version })).toBe('CONFLICT');
  });

  it('reports per active partner when they were last shadowed, when next due, and feedback outstanding or late (for senior advisers)', async () => {
    const rows = (await gqlOk(`{ shadowingDue { partner { id } lastShadowedOn nextDueBy overdue nextBookedOn feedbackOutstanding feedbackLate } }`))
      .shadowingDue as { partner: { id: string } }[];
    expect(rows.find((r) => r.partner.id === lead.id)).toEqual({
      partner: { id: lead.id },
      lastShadowedOn: workingDay(-1),
      nextDueBy: nextShadowingDueBy(workingDay(-1), today),
      overdue: false,
      nextBookedOn: workingDay(1), // the mentor's booking (the one eight working days on was cancelled)
      feedbackOutstanding: 1,
      feedbackLate: 1,
    });
    expect(rows.find((r) => r.partner.id === other.id)).toMatchObject({ lastShadowedOn: null, nextDueBy: today, overdue: true });
    // as of the day after the later one's due date, the feedback outstanding for yesterday's and tomorrow's visits is late too
    const asOf = plusDays(dueOn(workingDay(1)), 1);
    const later = (await gqlOk(`query($asOf: Date) { shadowingDue(asOf: $asOf) { partner { id } feedbackLate } }`, { asOf })).shadowingDue as {
      partner: { id: string };
      feedbackLate: number;
    }[];
    expect(later.find((r) => r.partner.id === lead.id)!.feedbackLate).toBe(3);
    expect(await gqlCode(`{ shadowingDue { nextDueBy } }`, {}, tokens[lead.id])).toBe('FORBIDDEN');
  });
});
