import { academicYearBounds } from '../platform/dates/academic-year.js';
import { seasonByMonth } from '../calendar/seasons.js';
import { TermCalendar, TermSeason } from '../calendar/term-calendar.entity.js';
import { businessDateOf } from '../platform/dates/today.js';
import type { AccessPolicy } from '../platform/auth/access-policy.js';
import type { Em } from '../platform/db/orm.js';
import { NoteTarget } from '../notes/note-target.entity.js';
import { NoteOfVisit } from '../notes/note-of-visit.entity.js';
import { JudgementArea, NoteStatus } from '../notes/note.enums.js';
import { Judgement } from '../notes/judgement.entity.js';
import { Allocation } from '../partners/allocation.entity.js';
import type { Partner } from '../partners/partner.entity.js';
import type { School } from '../schools/school.entity.js';
import { RiskCategory } from '../schools/school.enums.js';
import { Visit } from '../visits/visit.entity.js';
import { VisitStatus, VisitType } from '../visits/visit.enums.js';
import { canSeeNote } from '../notes/note.access.js';

/** The term of a date: from the year's calendar (a holiday counts with the term before it), else by month. */
export function termOf(isoDate: string, calendar: TermCalendar | null): TermSeason {
  const terms = calendar?.terms ?? [];
  const before = terms.filter((t) => t.startsOn <= isoDate).at(-1);
  return before?.season ?? seasonByMonth(isoDate);
}

const TERMS = [TermSeason.AUTUMN, TermSeason.SPRING, TermSeason.SUMMER];

export interface TimelinessRow {
  partner: Partner;
  term: TermSeason;
  onTime: number;
  late: number;
  stillOpen: number;
}

/**
 * Notes of the year's visits by partner and term: circulated by the due date (on
 * time), circulated after it or still out past it (late), or not yet due (open).
 */
export async function noteTimeliness(em: Em, access: AccessPolicy, academicYear: string, today: string): Promise<TimelinessRow[]> {
  access.assertCanReadReports();
  const { from, to } = academicYearBounds(academicYear);
  const [notes, calendar] = await Promise.all([
    em.find(NoteOfVisit, { visit: { startsAt: { $gte: from, $lt: to } } }, { populate: ['visit', 'author'] }),
    em.findOne(TermCalendar, { academicYear }),
  ]);
  const rows = new Map<string, TimelinessRow>();
  for (const note of notes) {
    const partner = note.author.getEntity();
    const term = termOf(businessDateOf(note.visit.getEntity().startsAt), calendar);
    const key = `${partner.id}|${term}`;
    const row = rows.get(key) ?? { partner, term, onTime: 0, late: 0, stillOpen: 0 };
    // Judged on the first circulation: a correction reopened later makes no note late.
    if (note.firstCirculatedAt) {
      if (businessDateOf(note.firstCirculatedAt) <= note.circulationDueOn) row.onTime += 1;
      else row.late += 1;
    } else if (today > note.circulationDueOn) row.late += 1;
    else row.stillOpen += 1;
    rows.set(key, row);
  }
  return [...rows.values()].sort((a, b) => a.partner.name.localeCompare(b.partner.name) || TERMS.indexOf(a.term) - TERMS.indexOf(b.term));
}

export interface AgreementRow {
  area: JudgementArea;
  riskCategory: RiskCategory | null;
  judged: number;
  agreed: number;
  partnerGradeBetter: number;
  partnerGradeWorse: number;
  agreementRate: number;
}

/**
 * How often the partner's grade matched the school's, by heading and by the
 * school's current risk category; notes still in draft are left out.
 */
export async function judgementAgreement(em: Em, access: AccessPolicy, academicYear: string): Promise<AgreementRow[]> {
  access.assertCanReadReports();
  const { from, to } = academicYearBounds(academicYear);
  const judgements = await em.find(
    Judgement,
    { schoolGrade: { $ne: null }, partnerGrade: { $ne: null }, note: { status: { $ne: NoteStatus.DRAFT }, visit: { startsAt: { $gte: from, $lt: to } } } },
    { populate: ['note.visit.school'] },
  );
  const rows = new Map<string, AgreementRow>();
  for (const j of judgements) {
    const riskCategory = j.note.getEntity().visit.getEntity().school.getEntity().currentRiskCategory ?? null;
    const key = `${j.area}|${riskCategory}`;
    const row = rows.get(key) ?? { area: j.area, riskCategory, judged: 0, agreed: 0, partnerGradeBetter: 0, partnerGradeWorse: 0, agreementRate: 0 };
    row.judged += 1;
    if (j.partnerGrade === j.schoolGrade) row.agreed += 1;
    else if (j.partnerGrade! < j.schoolGrade!) row.partnerGradeBetter += 1;
    else row.partnerGradeWorse += 1;
    row.agreementRate = Math.round((row.agreed / row.judged) * 1000) / 1000;
    rows.set(key, row);
  }
  const areas = Object.values(JudgementArea);
  const categories = Object.values(RiskCategory) as (RiskCategory | null)[];
  return [...rows.values()].sort(
    (a, b) => areas.indexOf(a.area) - areas.indexOf(b.area) || categories.indexOf(a.riskCategory) - categories.indexOf(b.riskCategory),
  );
}

/** Targets agreed for a year's cohort, school by school (other systems see those of circulated notes). */
export async function targetsForYear(em: Em, access: AccessPolicy, year: number): Promise<NoteTarget[]> {
  access.assertCanReadReports();
  const targets = await em.find(NoteTarget, { year }, { populate: ['note.visit.school'] });
  return targets
    .filter((t) => canSeeNote(access, t.note.getEntity()))
    .sort((a, b) => {
      const sa = a.note.getEntity().visit.getEntity().school.getEntity().name;
      const sb = b.note.getEntity().visit.getEntity().school.getEntity().name;
      return sa.localeCompare(sb) || a.keyStage.localeCompare(b.keyStage) || a.position - b.position;
    });
}

export async function allocationUsage(em: Em, access: AccessPolicy, academicYear: string): Promise<Allocation[]> {
  access.assertCanReadReports();
  const allocations = await em.find(Allocation, { academicYear }, { populate: ['school', 'partner'] });
  return allocations.sort(
    (a, b) => a.school.getEntity().name.localeCompare(b.school.getEntity().name) || a.partner.getEntity().name.localeCompare(b.partner.getEntity().name),
  );
}

export interface PatternRow {
  school: School;
  term: TermSeason;
  expected: number;
  visits: number;
  cancelled: number;
  meetsPattern: boolean;
}

/**
 * Visits to each allocated school in each term against the expected pattern: one
 * visit a term (seeds 002 and 004), and a round table meeting besides for a school
 * of concern (A4). Cancelled visits are counted apart and do not count.
 */
export async function visitPattern(em: Em, access: AccessPolicy, academicYear: string): Promise<PatternRow[]> {
  access.assertCanReadReports();
  const { from, to } = academicYearBounds(academicYear);
  const [allocations, visits, calendar] = await Promise.all([
    em.find(Allocation, { academicYear }, { populate: ['school'] }),
    em.find(Visit, { startsAt: { $gte: from, $lt: to }, type: { $ne: VisitType.HEADTEACHER_PERFORMANCE_MANAGEMENT } }),
    em.findOne(TermCalendar, { academicYear }),
  ]);
  const schools = new Map(allocations.map((a) => [a.school.id, a.school.getEntity()]));
  const rows: PatternRow[] = [];
  for (const school of [...schools.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    for (const term of TERMS) {
      const inTerm = visits.filter((v) => v.school.id === school.id && termOf(businessDateOf(v.startsAt), calendar) === term);
      const held = inTerm.filter((v) => v.status !== VisitStatus.CANCELLED).length;
      const expected = school.currentRiskCategory === RiskCategory.A4 ? 2 : 1;
      rows.push({ school, term, expected, visits: held, cancelled: inTerm.length - held, meetsPattern: held >= expected });
    }
  }
  return rows;
}
