import { Arg, Ctx, Field, Float, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { checkAcademicYear } from '../platform/dates/academic-year.js';
import { businessDateOf } from '../platform/dates/today.js';
import { TermSeason } from '../calendar/term-calendar.entity.js';
import { badInput } from '../platform/errors.js';
import type { GraphQLContext } from '../platform/graphql/context.js';
import { NoteTarget } from '../notes/note-target.entity.js';
import { JudgementArea } from '../notes/note.enums.js';
import { Allocation } from '../partners/allocation.entity.js';
import { Partner } from '../partners/partner.entity.js';
import { School } from '../schools/school.entity.js';
import { RiskCategory } from '../schools/school.enums.js';
import { allocationUsage, judgementAgreement, noteTimeliness, targetsForYear, visitPattern } from './reports.service.js';

@ObjectType({ description: "One partner's notes of visit in one term of a year, by timeliness." })
class NoteTimelinessRow {
  @Field(() => Partner) partner!: Partner;
  @Field(() => TermSeason) term!: TermSeason;
  @Field(() => Int, { description: 'Circulated by the circulation due date.' }) onTime!: number;
  @Field(() => Int, { description: 'Circulated after the due date, or not circulated and past it.' }) late!: number;
  @Field(() => Int, { description: 'Not circulated yet, and not yet due.' }) stillOpen!: number;
}

@ObjectType({ description: "Agreement between the school's and the partner's grades for one heading and risk category." })
class JudgementAgreementRow {
  @Field(() => JudgementArea) area!: JudgementArea;
  @Field(() => RiskCategory, { nullable: true, description: "The school's current risk category (empty when it has none)." })
  riskCategory!: RiskCategory | null;
  @Field(() => Int, { description: 'Judgements graded by both.' }) judged!: number;
  @Field(() => Int) agreed!: number;
  @Field(() => Int, { description: "The partner's grade was better than the school's own." }) partnerGradeBetter!: number;
  @Field(() => Int, { description: "The partner's grade was worse than the school's own." }) partnerGradeWorse!: number;
  @Field(() => Float, { description: 'agreed / judged, to three places.' }) agreementRate!: number;
}

@ObjectType({ description: "A school's visits in one term against the expected pattern." })
class VisitPatternRow {
  @Field(() => School) school!: School;
  @Field(() => TermSeason) term!: TermSeason;
  @Field(() => Int, { description: 'One a term; two for a school of concern (A4), whose round table meetings come on top.' }) expected!: number;
  @Field(() => Int, { description: 'Visits held or booked (not cancelled).' }) visits!: number;
  @Field(() => Int) cancelled!: number;
  @Field() meetsPattern!: boolean;
}

/** Reports for senior advisers and other council systems (partners are refused). */
@Resolver()
export class ReportsResolver {
  @Query(() => [NoteTimelinessRow], { description: 'Notes of visit on time, late and still open, by partner and term.' })
  noteTimelinessReport(@Arg('academicYear') academicYear: string, @Ctx() { em, access, clock }: GraphQLContext) {
    return noteTimeliness(em, access, checkAcademicYear(academicYear), businessDateOf(clock.now()));
  }

  @Query(() => [JudgementAgreementRow], { description: "How often partners' grades agree with schools' own, by heading and risk category." })
  judgementAgreementReport(@Arg('academicYear') academicYear: string, @Ctx() { em, access }: GraphQLContext) {
    return judgementAgreement(em, access, checkAcademicYear(academicYear));
  }

  @Query(() => [NoteTarget], { description: 'Targets agreed for the cohort assessed in `year`, by school. Also as CSV: /exports/reports/targets.csv?year=.' })
  targetsReport(@Arg('year', () => Int) year: number, @Ctx() { em, access }: GraphQLContext) {
    if (year < 2000 || year > 2100) throw badInput('year must be a four-digit year, e.g. 2027.', 'year');
    return targetsForYear(em, access, year);
  }

  @Query(() => [Allocation], { description: 'Allocated days used and remaining, by school and partner.' })
  allocationUsageReport(@Arg('academicYear') academicYear: string, @Ctx() { em, access }: GraphQLContext) {
    return allocationUsage(em, access, checkAcademicYear(academicYear));
  }

  @Query(() => [VisitPatternRow], { description: 'Visits to each allocated school per term against the expected pattern.' })
  visitPatternReport(@Arg('academicYear') academicYear: string, @Ctx() { em, access }: GraphQLContext) {
    return visitPattern(em, access, checkAcademicYear(academicYear));
  }
}
