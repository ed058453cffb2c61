import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Em } from '../src/platform/db/orm.js';
import { DomainEvent } from '../src/platform/events/domain-event.entity.js';
import { DomainEventKind } from '../src/platform/events/domain-events.js';
import { PartnerRole } from '../src/partners/partner.enums.js';
import { bookedVisits } from './support/booked-visits.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { testClock, testToday } from './support/test-clock.js';
import { plusDays } from '../src/platform/dates/bank-holidays.js';

/**
 * What council systems follow (issue 23: webhooks, tombstones) is recorded at the doors that change it,
 * in the change's own transaction: a visit booked, moved, cancelled or completed; a circulated note
 * reopened for correction; a school's risk category assessed.
 */
let t: TestApp;
const em = () => t.app.orm.em.fork() as Em;
const eventsOfVisit = (visitId: string) => em().find(DomainEvent, { visitId }, { orderBy: { id: 'asc' } });

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.stop());

async function ok<T = Record<string, any>>(query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
  const res = await t.gql<T>(query, variables, token ? { token } : {});
  expect(res.errors).toBeUndefined();
  return res.data!;
}

describe('a visit’s life is told', () => {
  it('booked, moved (with the times before), cancelled; a booking that changes nothing tells nothing', async () => {
    const [visit] = await bookedVisits(t, 1);
    const before = (await ok<{ visit: { startsAt: string; endsAt: string } }>(`query($id: ID!) { visit(id: $id) { startsAt endsAt } }`, { id: visit!.id }))
      .visit;
    const startsAt = new Date(new Date(before.startsAt).getTime() + 86_400_000).toISOString();
    const endsAt = new Date(new Date(before.endsAt).getTime() + 86_400_000).toISOString();
    const moved = await ok<{ rescheduleVisit: { version: number } }>(
      `mutation($id: ID!, $v: Int!, $s: DateTime!, $e: DateTime!) { rescheduleVisit(id: $id, expectedVersion: $v, startsAt: $s, endsAt: $e) { version } }`,
      { id: visit!.id, v: visit!.version, s: startsAt, e: endsAt },
    );
    // Rescheduled to the times it has: no move to tell of.
    const same = await ok<{ rescheduleVisit: { version: number } }>(
      `mutation($id: ID!, $v: Int!, $s: DateTime!, $e: DateTime!) { rescheduleVisit(id: $id, expectedVersion: $v, startsAt: $s, endsAt: $e) { version } }`,
      { id: visit!.id, v: moved.rescheduleVisit.version, s: startsAt, e: endsAt },
    );
    await ok(`mutation($id: ID!, $v: Int) { cancelVisit(id: $id, expectedVersion: $v, reason: "The school is closed for snow") { status } }`, {
      id: visit!.id,
      v: same.rescheduleVisit.version,
    });
    const events = await eventsOfVisit(visit!.id);
    expect(events.map((e) => e.kind)).toEqual([DomainEventKind.VISIT_BOOKED, DomainEventKind.VISIT_MOVED, DomainEventKind.VISIT_CANCELLED]);
    expect(events[1]!.data).toEqual({ previousStartsAt: new Date(before.startsAt).toISOString(), previousEndsAt: new Date(before.endsAt).toISOString() });
    for (const e of events) expect(e.schoolId).toBeTruthy();
  });

  it('completed', async () => {
    // A visit that has taken place, whatever the suite's day: booked by the manager, for themselves, yesterday.
    const school = (await ok<{ schools: { nodes: { id: string }[] } }>(`{ schools(first: 1, filter: { status: [OPEN] }) { nodes { id } } }`, {})).schools
      .nodes[0]!;
    const startsAt = new Date(testClock.now().getTime() - 86_400_000);
    const booked = await ok<{ bookVisit: { id: string; version: number } }>(`mutation($input: BookVisitInput!) { bookVisit(input: $input) { id version } }`, {
      input: { schoolId: school.id, type: 'SPRING', startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString() },
    });
    await ok(`mutation($id: ID!, $v: Int) { completeVisit(id: $id, expectedVersion: $v) { status } }`, {
      id: booked.bookVisit.id,
      v: booked.bookVisit.version,
    });
    expect((await eventsOfVisit(booked.bookVisit.id)).map((e) => e.kind)).toEqual([DomainEventKind.VISIT_BOOKED, DomainEventKind.VISIT_COMPLETED]);
  });
});

describe('a note reopened for correction is told, and its visit counts as changed', () => {
  it('note.corrected with the new revision; the visit’s updatedAt moves on, its version does not', async () => {
    const [row] = await em().execute<{ id: string; version: number; visit_id: string; email: string }[]>(
      `select n.id, n.version, n.visit_id, p.email from note_of_visit n join partner p on p.id = n.author_id
        where n.status = 'circulated' order by n.first_circulated_at, n.id limit 1`,
    );
    const visitBefore = (
      await ok<{ visit: { version: number; updatedAt: string } }>(`query($id: ID!) { visit(id: $id) { version updatedAt } }`, { id: row!.visit_id })
    ).visit;
    const token = await t.issuer.signForPerson(row!.email);
    const corrected = await ok<{ correctNote: { revision: number } }>(
      `mutation($id: ID!, $v: Int!) { correctNote(id: $id, expectedVersion: $v, reason: "The target year was wrong") { revision } }`,
      { id: row!.id, v: row!.version },
      token,
    );
    const told = await em().find(DomainEvent, { noteId: row!.id, kind: DomainEventKind.NOTE_CORRECTED });
    expect(told.map((e) => e.data)).toEqual([{ revision: corrected.correctNote.revision }]);
    const visitAfter = (
      await ok<{ visit: { version: number; updatedAt: string } }>(`query($id: ID!) { visit(id: $id) { version updatedAt } }`, { id: row!.visit_id })
    ).visit;
    expect(visitAfter.version).toBe(visitBefore.version);
    expect(new Date(visitAfter.updatedAt).getTime()).toBeGreaterThan(new Date(visitBefore.updatedAt).getTime());
  });
});

describe('a school’s risk category is assessed through its door', () => {
  const ASSESS = `mutation($input: AssessRiskCategoryInput!) { assessRiskCategory(input: $input) { id category effectiveFrom assessedBy { name } } }`;
  const school = async () =>
    (
      await ok<{ schools: { nodes: { id: string; currentRiskCategory: { category: string; effectiveFrom: string } | null }[] } }>(
        `{ schools(first: 1, filter: { status: [OPEN], riskCategory: [E2] }) { nodes { id currentRiskCategory { category effectiveFrom } } } }`,
        {},
      )
    ).schools.nodes[0]!;

  it('a manager records a new category; the history keeps the old; the event says whether it changed', async () => {
    const s = await school();
    const from = plusDays(testToday() > s.currentRiskCategory!.effectiveFrom ? testToday() : s.currentRiskCategory!.effectiveFrom, 1);
    const first = await ok<{ assessRiskCategory: { id: string; category: string } }>(ASSESS, {
      input: { schoolId: s.id, category: 'B3', effectiveFrom: from, rationale: 'Outcomes fell two years running; leadership is new.' },
    });
    const again = await ok<{ assessRiskCategory: { id: string } }>(ASSESS, {
      input: { schoolId: s.id, category: 'B3', effectiveFrom: from, rationale: 'Reviewed at the termly meeting: no change.' },
    });
    const now = await ok<{ school: { currentRiskCategory: { category: string }; riskCategoryHistory: { category: string }[] } }>(
      `query($id: ID!) { school(id: $id) { currentRiskCategory { category } riskCategoryHistory { category } } }`,
      { id: s.id },
    );
    expect(now.school.currentRiskCategory.category).toBe('B3');
    // Lists filter by the current category too.
    const listed = await ok<{ schools: { nodes: { id: string }[] } }>(`{ schools(first: 100, filter: { riskCategory: [B3] }) { nodes { id } } }`, {});
    expect(listed.schools.nodes.map((n) => n.id)).toContain(s.id);
    expect(now.school.riskCategoryHistory.map((h) => h.category)).toContain('E2');
    const events = await em().find(DomainEvent, { schoolId: s.id, kind: DomainEventKind.SCHOOL_RISK_CATEGORY_CHANGED }, { orderBy: { id: 'asc' } });
    expect(events.map((e) => e.data)).toEqual([
      { assessmentId: first.assessRiskCategory.id, changed: true },
      { assessmentId: again.assessRiskCategory.id, changed: false },
    ]);
  });

  it('refuses a partner, an empty rationale, and a date before the current category’s', async () => {
    const s = await school();
    const input = { schoolId: s.id, category: 'A4', effectiveFrom: plusDays(s.currentRiskCategory!.effectiveFrom, -1), rationale: 'Backdated' };
    const early = await t.gql(ASSESS, { input });
    expect(early.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(early.errors?.[0]?.message).toContain(`took effect on ${s.currentRiskCategory!.effectiveFrom}`);
    const blank = await t.gql(ASSESS, { input: { ...input, effectiveFrom: plusDays(testToday(), 400), rationale: '   ' } });
    expect(blank.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const { token } = await t.personWithRole(PartnerRole.PARTNER);
    const partner = await t.gql(ASSESS, { input: { ...input, effectiveFrom: plusDays(testToday(), 400) } }, { token });
    expect(partner.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await em().count(DomainEvent, { schoolId: s.id, kind: DomainEventKind.SCHOOL_RISK_CATEGORY_CHANGED })).toBe(0);
  });
});
