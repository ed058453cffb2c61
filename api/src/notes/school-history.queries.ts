import DataLoader from 'dataloader';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { Em } from '../platform/db/orm.js';
import { readStatement } from '../platform/db/read-statement.js';
import { COUNCIL_TIME_ZONE, DateScalar } from '../platform/graphql/scalars.js';
import { VisitType } from '../visits/visit.enums.js';
import { JudgementArea, NoteStatus, RecommendationStatus, ReviewProgress } from './note.enums.js';

/**
 * A school's page (issue 22): its judgements over time and its recommendations with their
 * progress. Each is one statement for every school a request asks about (a DataLoader keyed by
 * school), never a query per note or per row; the resolver applies the access rules of notes.
 */

@ObjectType({
  description:
    "One inspection heading of one circulated note of visit: the partner's grade (1 outstanding is best, 4 inadequate) and the school's own, for a chart of the school's judgements over time.",
})
export class JudgementHistoryPoint {
  @Field(() => ID)
  noteId!: string;

  @Field(() => ID)
  visitId!: string;

  @Field(() => DateScalar, { description: 'The day of the visit (Europe/London).' })
  visitDate!: string;

  @Field(() => VisitType)
  visitType!: VisitType;

  @Field(() => JudgementArea)
  area!: JudgementArea;

  @Field(() => Int, { nullable: true, description: "The partner's grade, 1 (outstanding) to 4 (inadequate); empty when the evidence was insufficient." })
  partnerGrade!: number | null;

  @Field(() => Int, { nullable: true, description: "The school's own grade, 1 to 4, when it gave one." })
  schoolGrade!: number | null;

  @Field()
  insufficientEvidence!: boolean;
}

@ObjectType({ description: "A later note's review of a recommendation's progress." })
export class RecommendationProgressEntry {
  @Field(() => ID)
  noteId!: string;

  @Field(() => NoteStatus, { description: 'The reviewing note’s status: a review in a note not yet circulated may still change.' })
  noteStatus!: NoteStatus;

  @Field(() => ID)
  visitId!: string;

  @Field(() => DateScalar, { description: 'The day of the reviewing visit (Europe/London).' })
  visitDate!: string;

  @Field(() => ReviewProgress, { nullable: true, description: 'Empty until the partner has reviewed it.' })
  progress!: ReviewProgress | null;

  @Field(() => String, { nullable: true })
  comment!: string | null;
}

@ObjectType({ description: 'A recommendation made in one of the school’s notes of visit, with its progress as later notes reviewed it.' })
export class SchoolRecommendation {
  @Field(() => ID, { description: 'The recommendation’s id.' })
  id!: string;

  @Field(() => ID, { description: 'The note it was made in.' })
  noteId!: string;

  @Field(() => NoteStatus, { description: 'The status of the note it was made in: until it is circulated the recommendation may still change.' })
  noteStatus!: NoteStatus;

  @Field(() => ID)
  visitId!: string;

  @Field(() => DateScalar, { description: 'The day of the visit whose note made it (Europe/London).' })
  visitDate!: string;

  @Field(() => Int)
  position!: number;

  @Field()
  action!: string;

  @Field()
  successMeasure!: string;

  @Field({ description: 'Owner by role, e.g. "Headteacher" (never a name).' })
  ownerRole!: string;

  @Field(() => String, { nullable: true })
  ownerInitials!: string | null;

  @Field(() => DateScalar)
  dueOn!: string;

  @Field(() => RecommendationStatus)
  status!: RecommendationStatus;

  @Field(() => [RecommendationProgressEntry], { description: 'Reviews in later notes, oldest first.' })
  reviews!: RecommendationProgressEntry[];
}

/** The heading order of the note (and of every document): the chart's legend and table follow it. */
const AREA_ORDER = Object.values(JudgementArea);

/** A visit's London day, in SQL, for a visit aliased `v`. */
const londonDay = (alias: string) => `to_char(${alias}.starts_at at time zone '${COUNCIL_TIME_ZONE}', 'YYYY-MM-DD')`;

/** The schools' ids as one parameter (the list a DataLoader batches). */
const schoolIdsParam = (ids: readonly string[]) => ids.join(',');

type JudgementRow = {
  school_id: string;
  note_id: string;
  visit_id: string;
  visit_date: string;
  visit_type: VisitType;
  area: JudgementArea;
  partner_grade: number | null;
  school_grade: number | null;
  insufficient_evidence: boolean;
};

/**
 * The judgements of each school's circulated notes, oldest visit first, headings in the note's
 * order. Only circulated notes: a draft's grades may still change (the headteacher may
 * dispute them), and a corrected note returns once it is circulated again.
 */
export function createJudgementHistoryLoader(em: Em): DataLoader<string, JudgementHistoryPoint[]> {
  return new DataLoader(
    async (schoolIds) => {
      const rows = (await readStatement(
        em,
        `select v.school_id, n.id as note_id, v.id as visit_id, ${londonDay('v')} as visit_date, v.type as visit_type,
                j.area, j.partner_grade, j.school_grade, j.insufficient_evidence
           from judgement j
           join note_of_visit n on n.id = j.note_id
           join visit v on v.id = n.visit_id
          where v.school_id = any(string_to_array(?, ',')::uuid[]) and n.status = ?
          order by v.starts_at, v.id`,
        [schoolIdsParam(schoolIds), NoteStatus.CIRCULATED],
      )) as JudgementRow[];
      const bySchool = new Map<string, JudgementHistoryPoint[]>(schoolIds.map((id) => [id, []]));
      // rows come in visit order; within a note, headings go in the note's order
      const sorted = rows
        .map((r, i) => ({ r, i }))
        .sort((a, b) => (a.r.note_id === b.r.note_id ? AREA_ORDER.indexOf(a.r.area) - AREA_ORDER.indexOf(b.r.area) : a.i - b.i));
      for (const { r } of sorted) {
        bySchool.get(r.school_id)?.push({
          noteId: r.note_id,
          visitId: r.visit_id,
          visitDate: r.visit_date,
          visitType: r.visit_type,
          area: r.area,
          partnerGrade: r.partner_grade === null ? null : Number(r.partner_grade),
          schoolGrade: r.school_grade === null ? null : Number(r.school_grade),
          insufficientEvidence: !!r.insufficient_evidence,
        });
      }
      return schoolIds.map((id) => bySchool.get(id)!);
    },
    { cache: false },
  );
}

type ReviewJson = { noteId: string; noteStatus: NoteStatus; visitId: string; visitDate: string; progress: ReviewProgress | null; comment: string | null };
type RecommendationRow = {
  school_id: string;
  id: string;
  note_id: string;
  note_status: NoteStatus;
  visit_id: string;
  visit_date: string;
  position: number;
  action: string;
  success_measure: string;
  owner_role: string;
  owner_initials: string | null;
  due_on: string;
  status: RecommendationStatus;
  reviews: ReviewJson[] | string;
};

/**
 * Every recommendation of each school's notes, latest visit first (in the note's order), each
 * with its reviews in later notes gathered in the same statement. Whose notes may be seen is the
 * resolver's filter (notes/note.access.ts), on the statuses this returns.
 */
export function createSchoolRecommendationsLoader(em: Em): DataLoader<string, SchoolRecommendation[]> {
  return new DataLoader(
    async (schoolIds) => {
      const rows = (await readStatement(
        em,
        `select v.school_id, r.id, n.id as note_id, n.status as note_status, v.id as visit_id, ${londonDay('v')} as visit_date,
                r.position, r.action, r.success_measure, r.owner_role, r.owner_initials, to_char(r.due_on, 'YYYY-MM-DD') as due_on, r.status,
                coalesce((select json_agg(json_build_object('noteId', rn.id, 'noteStatus', rn.status, 'visitId', rv.id, 'visitDate', ${londonDay('rv')},
                                                            'progress', rr.progress, 'comment', rr.comment) order by rv.starts_at, rv.id)
                            from recommendation_review rr
                            join note_of_visit rn on rn.id = rr.note_id
                            join visit rv on rv.id = rn.visit_id
                           where rr.recommendation_id = r.id), '[]'::json) as reviews
           from recommendation r
           join note_of_visit n on n.id = r.note_id
           join visit v on v.id = n.visit_id
          where v.school_id = any(string_to_array(?, ',')::uuid[])
          order by v.starts_at desc, v.id, r.position`,
        [schoolIdsParam(schoolIds)],
      )) as RecommendationRow[];
      const bySchool = new Map<string, SchoolRecommendation[]>(schoolIds.map((id) => [id, []]));
      for (const r of rows) {
        bySchool.get(r.school_id)?.push({
          id: r.id,
          noteId: r.note_id,
          noteStatus: r.note_status,
          visitId: r.visit_id,
          visitDate: r.visit_date,
          position: Number(r.position),
          action: r.action,
          successMeasure: r.success_measure,
          ownerRole: r.owner_role,
          ownerInitials: r.owner_initials,
          dueOn: r.due_on,
          status: r.status,
          // the embedded database hands json back as text, PostgreSQL's driver as objects
          reviews: typeof r.reviews === 'string' ? (JSON.parse(r.reviews) as ReviewJson[]) : r.reviews,
        });
      }
      return schoolIds.map((id) => bySchool.get(id)!);
    },
    { cache: false },
  );
}
