import { registerEnumType } from 'type-graphql';

/** What a person may be told of: each has its own choice of channel (notification-preference.entity.ts). */
export enum NotificationKind {
  DRAFT_DUE_TOMORROW = 'draft_due_tomorrow',
  DRAFT_LATE = 'draft_late',
  CIRCULATION_LATE = 'circulation_late',
  HEADTEACHER_AGREED = 'headteacher_agreed',
  HEADTEACHER_DISPUTED = 'headteacher_disputed',
  AWAITING_MODERATION = 'awaiting_moderation',
  AWAITING_MENTOR = 'awaiting_mentor',
  MENTOR_COMMENTED = 'mentor_commented',
  MENTOR_RELEASED = 'mentor_released',
  SCHOOL_SECTION_COMPLETED = 'school_section_completed',
  APPOINTMENT_CANCELLED_NOTE_KEPT = 'appointment_cancelled_note_kept',
  NOTE_EVALUATION_GIVEN = 'note_evaluation_given',
  SHADOWING_FEEDBACK_GIVEN = 'shadowing_feedback_given',
  HEADTEACHER_FEEDBACK_RECEIVED = 'headteacher_feedback_received',
  /** The weekly digest by email (its channel: EMAIL or NONE). */
  WEEKLY_DIGEST = 'weekly_digest',
}
registerEnumType(NotificationKind, {
  name: 'NotificationKind',
  description: 'What a partner or manager may be told of; WEEKLY_DIGEST is the Monday email.',
});

/** How a person is told: the Teams activity feed (email when the feed cannot reach them), email only, or not at all. */
export enum NotificationChannel {
  TEAMS = 'teams',
  EMAIL = 'email',
  NONE = 'none',
}
registerEnumType(NotificationChannel, {
  name: 'NotificationChannel',
  description: 'TEAMS: the Teams activity feed, by email when it cannot be reached; EMAIL; NONE.',
});

/** Where a notification is in its delivery. */
export enum NotificationStatus {
  /** Waiting for (or being given) its Teams delivery; `leaseUntil` set while a sender holds it. */
  PENDING = 'pending',
  SENT_TEAMS = 'sent_teams',
  /** Handed to the outbox (chosen, or the feed's fallback). */
  SENT_EMAIL = 'sent_email',
}
