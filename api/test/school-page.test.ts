import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Judgement } from '../src/notes/judgement.entity.js';
import { NoteOfVisit } from '../src/notes/note-of-visit.entity.js';
import { JudgementArea, NoteStatus } from '../src/notes/note.enums.js';
import { Recommendation } from '../src/notes/recommendation.entity.js';
import { RecommendationReview } from '../src/notes/recommendation-review.entity.js';
import { Allocation } from '../src/partners/allocation.entity.js';
import { Partner } from '../src/partners/partner.entity.js';
import { PartnerRole } from '../src/partners/partner.enums.js';
import { businessDateOf } from '../src/platform/dates/today.js';
import type { Em } from '../src/platform/db/orm.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * The school's page (issue 22): School.judgementHistory and School.recommendations, read over
 * the demo county and checked against the ORM's own entities; one statement each whatever the
 * number of schools; the access rules of notes (a partner's schools, a service's circulated notes).
 */
let t: TestApp;
let em: Em;
/** A school with at least two circulated notes that graded headings, and a recommendation reviewed later. */
let schoolId: string;

const HISTORY = /* GraphQL */ `
  query ($id: ID!) {
    school(id: $id) {
      judgementHistory {
        noteId
        visitId
        visitDate
        visitType
        area
        partnerGrade
        schoolGrade
        insufficientEvidence
      }
      recommendations {
        id
        noteId
        noteStatus
        visitId
        visitDate
        position
        action
        ownerRole
        dueOn
        status
        reviews {
          noteId
          noteStatus
          visitDate
          progress
          comment
        }
      }
    }
  }
`;

type Point = { noteId: string; visitDate: string; area: string; partnerGrade: number | null; schoolGrade: number | null; insufficientEvidence: boolean };
type Rec = {
  id: string;
  noteId: string;
  noteStatus: string;
  visitDate: string;
  position: number;
  reviews: { noteId: string; noteStatus: string; visitDate: string; progress: string | null }[];
};

beforeAll(async () => {
  t = await startTestApp({ config: { auth: { signInCacheSeconds: 0 } as never } });
  em = t.app.orm.em.fork() as Em;
  const rows = await em.getConnection().execute<{ school_id: string }[]>(
    `select v.school_id from note_of_visit n join visit v on v.id = n.visit_id
      where n.status = 'circulated' and exists (select 1 from judgement j where j.note_id = n.id and j.partner_grade is not null)
        and exists (select 1 from recommendation r join recommendation_review rr on rr.recommendation_id = r.id
                     join note_of_visit rn on rn.id = r.note_id join visit rv on rv.id = rn.visit_id where rv.school_id = v.school_id)
      group by v.school_id having count(distinct n.id) >= 2 order by v.school_id limit 1`,
  );
  expect(rows, 'the demo county gives schools several circulated notes with reviewed recommendations').toHaveLength(1);
  schoolId = rows[0]!.school_id;
});
afterAll(() => t?.stop());

describe('School.judgementHistory', () => {
  it("is every heading of every circulated note, oldest visit first, headings in the note's order, as the record holds them", async () => {
    const res = await t.gql<{ school: { judgementHistory: Point[] } }>(HISTORY, { id: schoolId });
    expect(res.errors).toBeUndefined();
    const points = res.data!.school.judgementHistory;

    const judgements = await em.find(Judgement, { note: { status: NoteStatus.CIRCULATED, visit: { school: schoolId } } }, { populate: ['note', 'note.visit'] });
    const order = Object.values(JudgementArea);
    const expected = judgements
      .map((j) => ({ j, visit: j.note.getEntity().visit.getEntity() }))
      .sort(
        (a, b) =>
          a.visit.startsAt.getTime() - b.visit.startsAt.getTime() || a.visit.id.localeCompare(b.visit.id) || order.indexOf(a.j.area) - order.indexOf(b.j.area),
      )
      .map(({ j, visit }) => ({
        noteId: j.note.id,
        visitDate: businessDateOf(visit.startsAt),
        area: j.area.toUpperCase(),
        partnerGrade: j.partnerGrade ?? null,
        schoolGrade: j.schoolGrade ?? null,
        insufficientEvidence: j.insufficientEvidence,
      }));
    expect(
      points.map(({ noteId, visitDate, area, partnerGrade, schoolGrade, insufficientEvidence }) => ({
        noteId,
        visitDate,
        area,
        partnerGrade,
        schoolGrade,
        insufficientEvidence,
      })),
    ).toEqual(expected);
    expect(new Set(points.map((p) => p.noteId)).size).toBeGreaterThanOrEqual(2);
    expect(points.some((p) => p.partnerGrade !== null)).toBe(true);
  });

  it('leaves out a note that is not circulated', async () => {
    const open = await em.findOne(
      NoteOfVisit,
      { status: { $ne: NoteStatus.CIRCULATED }, judgements: { partnerGrade: { $ne: null } } },
      { populate: ['visit'] },
    );
    expect(open, 'the demo county has notes in every status').not.toBeNull();
    const res = await t.gql<{ school: { judgementHistory: Point[] } }>(HISTORY, { id: open!.visit.getEntity().school.id });
    expect(res.errors).toBeUndefined();
    expect(res.data!.school.judgementHistory.map((p) => p.noteId)).not.toContain(open!.id);
  });
});

describe('School.recommendations', () => {
  it('lists each recommendation of the school’s notes, latest visit first, with its reviews in later notes, oldest first', async () => {
    const res = await t.gql<{ school: { recommendations: Rec[] } }>(HISTORY, { id: schoolId });
    expect(res.errors).toBeUndefined();
    const recs = res.data!.school.recommendations;

    const all = await em.find(Recommendation, { note: { visit: { school: schoolId } } }, { populate: ['note', 'note.visit'] });
    expect(recs.map((r) => r.id).sort()).toEqual(all.map((r) => r.id).sort());
    const dates = recs.map((r) => r.visitDate);
    expect(dates).toEqual([...dates].sort().reverse());

    const reviews = await em.find(RecommendationReview, { recommendation: { $in: all.map((r) => r.id) } }, { populate: ['note', 'note.visit'] });
    expect(reviews.length).toBeGreaterThan(0);
    for (const r of recs) {
      const mine = reviews.filter((v) => v.recommendation.id === r.id);
      expect(r.reviews.map((v) => v.noteId).sort()).toEqual(mine.map((v) => v.note.id).sort());
      const reviewDates = r.reviews.map((v) => v.visitDate);
      expect(reviewDates).toEqual([...reviewDates].sort());
      for (const v of r.reviews) {
        expect(v.visitDate > r.visitDate, 'a review is in a later note').toBe(true);
        const entity = mine.find((m) => m.note.id === v.noteId)!;
        expect(v.progress).toBe(entity.progress ? entity.progress.toUpperCase() : null);
        expect(v.noteStatus).toBe(entity.note.getEntity().status.toUpperCase());
      }
      const entity = all.find((a) => a.id === r.id)!;
      expect(r.position).toBe(entity.position);
      expect(r.noteStatus).toBe(entity.note.getEntity().status.toUpperCase());
    }
  });
});

describe('reading them', () => {
  it('costs the same statements for 2 schools as for 20 (no query per school or per row)', async () => {
    const query = /* GraphQL */ `
      query ($first: Int!) {
        schools(first: $first) {
          nodes {
            id
            judgementHistory {
              area
              partnerGrade
            }
            recommendations {
              id
              reviews {
                progress
              }
            }
          }
        }
      }
    `;
    const count = async (first: number) => {
      t.sql.length = 0;
      const res = await t.gql(query, { first });
      expect(res.errors).toBeUndefined();
      // each is one statement for the whole page of schools
      expect(t.sql.filter((q) => /from judgement j/.test(q))).toHaveLength(1);
      expect(t.sql.filter((q) => /from recommendation r/.test(q))).toHaveLength(1);
      return t.sql.length;
    };
    const few = await count(2);
    const many = await count(20);
    expect(many).toBe(few);
  });

  it("follows the rules of reading notes: a partner sees their schools' history, not another school's", async () => {
    const allocation = await em.findOneOrFail(Allocation, { school: schoolId }, { populate: ['partner'], orderBy: { academicYear: 'desc' } });
    const allocated = allocation.partner.getEntity();
    const yes = await t.gql(HISTORY, { id: schoolId }, { token: await t.issuer.signForPerson(allocated.email) });
    // the latest allocation may be last year's, still within the history the access policy allows
    expect(yes.errors).toBeUndefined();

    const others = await em.find(Partner, { role: PartnerRole.PARTNER, active: true, id: { $ne: allocated.id } });
    const outsider = (
      await Promise.all(
        others.map(async (p) => {
          const seen = await em.getConnection().execute(
            `select 1 from allocation where partner_id = ? and school_id = ?
              union select 1 from visit where lead_partner_id = ? and school_id = ?
              union select 1 from visit_attendee a join visit v on v.id = a.visit_id where a.partner_id = ? and v.school_id = ?`,
            [p.id, schoolId, p.id, schoolId, p.id, schoolId],
          );
          return seen.length ? null : p;
        }),
      )
    ).find(Boolean);
    expect(outsider, 'some partner has nothing to do with the school').toBeTruthy();
    const token = await t.issuer.signForPerson(outsider!.email);
    for (const field of ['judgementHistory { area }', 'recommendations { id }']) {
      const no = await t.gql(`query ($id: ID!) { school(id: $id) { name ${field} } }`, { id: schoolId }, { token });
      expect(no.errors?.[0]?.extensions?.code, field).toBe('FORBIDDEN');
      expect(no.errors?.[0]?.message).toMatch(/allocated to you/);
    }
  });

  it("gives another council system circulated notes' recommendations and reviews only", async () => {
    // a school with a recommendation in a note not yet circulated
    const draft = await em.findOneOrFail(
      Recommendation,
      { note: { status: { $ne: NoteStatus.CIRCULATED } } },
      { populate: ['note', 'note.visit'], orderBy: { id: 'asc' } },
    );
    const school = draft.note.getEntity().visit.getEntity().school.id;
    const manager = await t.gql<{ school: { recommendations: Rec[] } }>(HISTORY, { id: school });
    expect(manager.errors).toBeUndefined();
    expect(manager.data!.school.recommendations.map((r) => r.id)).toContain(draft.id);

    const service = await t.gql<{ school: { recommendations: Rec[]; judgementHistory: Point[] } }>(
      HISTORY,
      { id: school },
      { token: await t.serviceToken('records-system') },
    );
    expect(service.errors).toBeUndefined();
    const recs = service.data!.school.recommendations;
    expect(recs.map((r) => r.id)).not.toContain(draft.id);
    expect(recs.every((r) => r.noteStatus === 'CIRCULATED' && r.reviews.every((v) => v.noteStatus === 'CIRCULATED'))).toBe(true);
    expect(service.data!.school.judgementHistory).toEqual(
      (await t.gql<{ school: { judgementHistory: Point[] } }>(HISTORY, { id: school })).data!.school.judgementHistory,
    );
  });
});

describe('bankHolidays (a term calendar marks them)', () => {
  it('gives England and Wales bank holidays between two dates, in date order', async () => {
    const res = await t.gql<{ bankHolidays: { date: string; name: string; provisional: boolean }[] }>(
      '{ bankHolidays(from: "2026-04-01", to: "2026-05-31") { date name provisional } }',
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.bankHolidays.map((b) => b.date)).toEqual(['2026-04-03', '2026-04-06', '2026-05-04', '2026-05-25']);
    expect(res.data!.bankHolidays[2]!.name).toBe('Early May bank holiday');
  });

  it('refuses a range the wrong way round or longer than three calendar years', async () => {
    for (const [from, to] of [
      ['2026-05-01', '2026-04-01'],
      ['2024-01-01', '2027-01-01'],
    ]) {
      const res = await t.gql('query ($from: Date!, $to: Date!) { bankHolidays(from: $from, to: $to) { date } }', { from, to });
      expect(res.errors?.[0]?.extensions?.code, `${from} to ${to}`).toBe('BAD_USER_INPUT');
    }
  });
});
