import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { NoteTargetResolver, NoteWorkflowResolver, SchoolTargetsResolver } from '../notes/note-workflow.resolver.js';
import { NoteOfVisitResolver, RecommendationReviewResolver } from '../notes/note.resolver.js';
import { MentorCommentResolver, MentorReviewResolver } from '../notes/mentor-review.resolver.js';
import { NoteEvaluationResolver, NoteSampleMemberResolver, NoteSampleResolver, QualityProFormaResolver } from '../quality/note-quality.resolver.js';
import { VisitNoteResolver } from '../notes/visit-note.resolver.js';
import { SchoolOpenRecommendationsResolver } from '../notes/open-recommendations.resolver.js';
import { SchoolLastVisitResolver } from '../visits/last-visit.resolver.js';
import { SchoolHistoryResolver } from '../notes/school-history.resolver.js';
import { NoteDeliveryEmailResolver, NoteDeliveryResolver } from '../notes/note-delivery.resolver.js';
import { AllocationResolver, PartnerResolver, RiskCategoryAssessorResolver, SchoolAllocationsResolver } from '../partners/partner.resolver.js';
import { RiskAssessmentResolver } from '../partners/risk-assessment.resolver.js';
import { RiskCategoryAssessmentResolver, SchoolResolver, SchoolSuccessionResolver } from '../schools/school.resolver.js';
import { TermCalendarResolver } from '../calendar/term-calendar.resolver.js';
import { BankHolidayResolver } from '../calendar/bank-holiday.resolver.js';
import { CouncilClosureDayResolver } from '../notes/council-closure-day.resolver.js';
import { ReportsResolver } from '../reports/reports.resolver.js';
import { SchoolSideResolver } from '../school-side/school-side.resolver.js';
import { PartnerFeedbackResolver } from '../school-side/partner-feedback.resolver.js';
import { ShadowingResolver } from '../quality/shadowing.resolver.js';
import { HeadteacherFeedbackResolver } from '../quality/headteacher-feedback.resolver.js';
import { AgendaTemplateResolver } from '../visits/agenda-template.resolver.js';
import { VisitBookingResolver } from '../visits/visit-booking.resolver.js';
import { VisitAttendeeResolver, VisitResolver } from '../visits/visit.resolver.js';
import { RecordsResolver } from '../records/records.resolver.js';
import { NotificationPreferenceResolver } from '../notifications/notification-preference.resolver.js';
import { WebhookResolver } from '../webhooks/webhook.resolver.js';
import { TombstoneResolver } from '../platform/events/tombstone.resolver.js';
import { DateTimeScalar } from '../platform/graphql/scalars.js';
import { RateLimitResolver } from '../platform/limits/rate-limit.resolver.js';

const RESOLVERS = [
  SchoolResolver,
  SchoolSuccessionResolver,
  RiskCategoryAssessmentResolver,
  PartnerResolver,
  AllocationResolver,
  RiskAssessmentResolver,
  SchoolAllocationsResolver,
  RiskCategoryAssessorResolver,
  VisitResolver,
  VisitAttendeeResolver,
  VisitNoteResolver,
  VisitBookingResolver,
  AgendaTemplateResolver,
  TermCalendarResolver,
  BankHolidayResolver,
  CouncilClosureDayResolver,
  SchoolSideResolver,
  ReportsResolver,
  NoteOfVisitResolver,
  RecommendationReviewResolver,
  NoteWorkflowResolver,
  NoteDeliveryResolver,
  NoteDeliveryEmailResolver,
  NoteTargetResolver,
  SchoolTargetsResolver,
  SchoolHistoryResolver,
  RecordsResolver,
  SchoolLastVisitResolver,
  SchoolOpenRecommendationsResolver,
  MentorReviewResolver,
  MentorCommentResolver,
  QualityProFormaResolver,
  NoteSampleResolver,
  NoteSampleMemberResolver,
  NoteEvaluationResolver,
  ShadowingResolver,
  HeadteacherFeedbackResolver,
  PartnerFeedbackResolver,
  NotificationPreferenceResolver,
  WebhookResolver,
  TombstoneResolver,
  RateLimitResolver,
] as const;

export function buildApiSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: RESOLVERS,
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    validate: { forbidUnknownValues: false, validationError: { target: false, value: false } },
    emitSchemaFile: false,
  });
}

/** The SDL as checked in to schema/schema.graphql: sorted, so diffs show real changes only. */
export function printApiSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
