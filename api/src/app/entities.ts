import { AuditEvent } from '../platform/audit/audit-event.entity.js';
import { CouncilClosureDay } from '../calendar/council-closure-day.entity.js';
import { TermCalendar } from '../calendar/term-calendar.entity.js';
import { Finding } from '../notes/finding.entity.js';
import { HeadteacherResponse } from '../notes/headteacher-response.entity.js';
import { Judgement } from '../notes/judgement.entity.js';
import { NoteOfVisit } from '../notes/note-of-visit.entity.js';
import { NoteRecipient } from '../notes/note-recipient.entity.js';
import { NoteRevision } from '../notes/note-revision.entity.js';
import { NoteTarget } from '../notes/note-target.entity.js';
import { RecommendationReview } from '../notes/recommendation-review.entity.js';
import { Recommendation } from '../notes/recommendation.entity.js';
import { Allocation } from '../partners/allocation.entity.js';
import { Partner } from '../partners/partner.entity.js';
import { RiskCategoryAssessment } from '../schools/risk-category-assessment.entity.js';
import { SchoolSuccession } from '../schools/school-succession.entity.js';
import { School } from '../schools/school.entity.js';
import { AgendaItem } from '../visits/agenda-item.entity.js';
import { AgendaTemplate } from '../visits/agenda-template.entity.js';
import { OutboundEmail } from '../mail/outbound-email.entity.js';
import { AccessLink } from '../school-side/access-link.entity.js';
import { SchoolSection } from '../notes/school-section.entity.js';
import { VisitAttendee } from '../visits/visit-attendee.entity.js';
import { Visit } from '../visits/visit.entity.js';
import { DisposalLog } from '../records/disposal-log.entity.js';
import { Notification } from '../notifications/notification.entity.js';
import { NotificationPreference } from '../notifications/notification-preference.entity.js';
import { NotificationCursor, NotificationEventClaim } from '../notifications/notification-cursor.entity.js';
import { DomainEvent } from '../platform/events/domain-event.entity.js';
import { CalendarSubscription } from '../outlook-sync/calendar-subscription.entity.js';
import { MentorComment } from '../notes/mentor-comment.entity.js';
import { QualityProForma } from '../quality/pro-forma.entity.js';
import { NoteSample, NoteSampleMember } from '../quality/note-sample.entity.js';
import { NoteEvaluation } from '../quality/note-evaluation.entity.js';
import { Shadowing } from '../quality/shadowing.entity.js';
import { HeadteacherFeedback } from '../quality/headteacher-feedback.entity.js';
import { WebhookSubscription } from '../webhooks/webhook-subscription.entity.js';
import { WebhookAttempt, WebhookDelivery } from '../webhooks/webhook-delivery.entity.js';
import { WebhookCursor, WebhookEventClaim } from '../webhooks/webhook-cursor.entity.js';
import { RateLimitCount } from '../platform/limits/rate-limit-count.entity.js';

/** Every persisted class, listed so discovery works the same from tsc output and from tests (platform/db/orm.ts). */
export const ENTITIES = [
  School,
  SchoolSuccession,
  RiskCategoryAssessment,
  Partner,
  Allocation,
  Visit,
  VisitAttendee,
  AgendaItem,
  AgendaTemplate,
  NoteOfVisit,
  Judgement,
  Finding,
  Recommendation,
  RecommendationReview,
  NoteTarget,
  NoteRecipient,
  NoteRevision,
  HeadteacherResponse,
  TermCalendar,
  CouncilClosureDay,
  AuditEvent,
  SchoolSection,
  AccessLink,
  OutboundEmail,
  DisposalLog,
  CalendarSubscription,
  DomainEvent,
  MentorComment,
  QualityProForma,
  NoteSample,
  NoteSampleMember,
  NoteEvaluation,
  Shadowing,
  HeadteacherFeedback,
  Notification,
  NotificationPreference,
  NotificationCursor,
  NotificationEventClaim,
  WebhookSubscription,
  WebhookDelivery,
  WebhookAttempt,
  WebhookCursor,
  WebhookEventClaim,
  RateLimitCount,
];
