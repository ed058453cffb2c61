import { DomainEventKind } from '../platform/events/domain-events.js';
import { NotificationChannel, NotificationKind } from './notification.enums.js';

/**
 * Who is told what: pure rules, no database. Each domain event kind names the notifications it makes
 * and for whom; each notification kind has its words, its Teams activity type (declared in the Teams
 * manifest, addin/teams/manifest.json, with the same template text) and its default channel.
 */

/** Who hears of an event: the note's author, the visit's lead partner, the author's mentor, or every active manager. */
export type Audience = 'author' | 'lead' | 'mentor' | 'managers';

/**
 * Event kind → notifications. Kinds not listed (note shared, moderated, circulated) tell nobody: the person
 * who did it knows. Quality assurance's kinds are listed ahead of the doors that record them, so they work
 * when those events start arriving.
 */
export const EVENT_NOTIFICATIONS: Readonly<Record<string, readonly { kind: NotificationKind; to: Audience }[]>> = {
  [DomainEventKind.NOTE_AGREED]: [{ kind: NotificationKind.HEADTEACHER_AGREED, to: 'author' }],
  // A dispute is two things: the author hears of it, and every manager has a note to moderate.
  [DomainEventKind.NOTE_DISPUTED]: [
    { kind: NotificationKind.HEADTEACHER_DISPUTED, to: 'author' },
    { kind: NotificationKind.AWAITING_MODERATION, to: 'managers' },
  ],
  [DomainEventKind.NOTE_AWAITING_MENTOR]: [{ kind: NotificationKind.AWAITING_MENTOR, to: 'mentor' }],
  [DomainEventKind.NOTE_MENTOR_COMMENTED]: [{ kind: NotificationKind.MENTOR_COMMENTED, to: 'author' }],
  [DomainEventKind.NOTE_MENTOR_RELEASED]: [{ kind: NotificationKind.MENTOR_RELEASED, to: 'author' }],
  [DomainEventKind.SCHOOL_SECTION_COMPLETED]: [{ kind: NotificationKind.SCHOOL_SECTION_COMPLETED, to: 'lead' }],
  [DomainEventKind.VISIT_APPOINTMENT_GONE_NOTE_KEPT]: [{ kind: NotificationKind.APPOINTMENT_CANCELLED_NOTE_KEPT, to: 'lead' }],
  [DomainEventKind.NOTE_EVALUATION_GIVEN]: [{ kind: NotificationKind.NOTE_EVALUATION_GIVEN, to: 'author' }],
  [DomainEventKind.SHADOWING_FEEDBACK_GIVEN]: [{ kind: NotificationKind.SHADOWING_FEEDBACK_GIVEN, to: 'author' }],
  [DomainEventKind.HEADTEACHER_FEEDBACK_RECEIVED]: [{ kind: NotificationKind.HEADTEACHER_FEEDBACK_RECEIVED, to: 'managers' }],
};

/** What the words need: the school, the visit in words ("autumn visit to Oakfield Primary on Tuesday 9 March 2027"), a date, how an appointment went. */
export interface NotificationContext {
  school: string;
  visit: string;
  /** A deadline in words ("Thursday 11 March 2027"), for the deadline kinds. */
  dueOn?: string;
  /** For an appointment gone: "cancelled" or "deleted". */
  how?: string;
}

export interface NotificationWords {
  /** The feed's topic and the email's subject. */
  title: string;
  /** What happened, one sentence: the feed's preview (at most 150 characters) and the email's first paragraph. */
  text: string;
  /** What to do about it, for the email only. */
  advice?: string;
}

export interface FeedKind {
  /** The manifest's activity type. */
  activityType: string;
  /** The manifest's templateText: `{school}` is the one template parameter. */
  templateText: string;
  /** The manifest's description of the activity type. */
  description: string;
}

type Told = Exclude<NotificationKind, NotificationKind.WEEKLY_DIGEST>;

/** Each kind in the Teams activity feed: exactly what addin/teams/manifest.json declares (notifications.test.ts checks). */
export const FEED_KINDS: Readonly<Record<Told, FeedKind>> = {
  [NotificationKind.DRAFT_DUE_TOMORROW]: {
    activityType: 'draftDueTomorrow',
    templateText: 'Your draft note for {school} is due tomorrow',
    description: 'A draft note of visit is due to the headteacher tomorrow',
  },
  [NotificationKind.DRAFT_LATE]: {
    activityType: 'draftLate',
    templateText: 'Your draft note for {school} is late',
    description: 'A draft note of visit is late',
  },
  [NotificationKind.CIRCULATION_LATE]: {
    activityType: 'circulationLate',
    templateText: 'Your note for {school} is late for circulation',
    description: 'A note of visit is late for circulation',
  },
  [NotificationKind.HEADTEACHER_AGREED]: {
    activityType: 'headteacherAgreed',
    templateText: 'The headteacher of {school} agreed your note',
    description: 'The headteacher agreed a note of visit',
  },
  [NotificationKind.HEADTEACHER_DISPUTED]: {
    activityType: 'headteacherDisputed',
    templateText: 'The headteacher of {school} disputed your note',
    description: 'The headteacher disputed a note of visit',
  },
  [NotificationKind.AWAITING_MODERATION]: {
    activityType: 'awaitingModeration',
    templateText: 'A note for {school} awaits moderation',
    description: 'A disputed note of visit awaits moderation',
  },
  [NotificationKind.AWAITING_MENTOR]: {
    activityType: 'awaitingMentor',
    templateText: 'A first note for {school} awaits your review',
    description: "A new partner's first note awaits their mentor",
  },
  [NotificationKind.MENTOR_COMMENTED]: {
    activityType: 'mentorCommented',
    templateText: 'Your mentor commented on your note for {school}',
    description: 'The mentor commented on a first note',
  },
  [NotificationKind.MENTOR_RELEASED]: {
    activityType: 'mentorReleased',
    templateText: 'Your mentor released your note for {school}',
    description: 'The mentor released a first note',
  },
  [NotificationKind.SCHOOL_SECTION_COMPLETED]: {
    activityType: 'schoolSectionCompleted',
    templateText: '{school} completed its section for your visit',
    description: "The school completed its section of a visit's record",
  },
  [NotificationKind.APPOINTMENT_CANCELLED_NOTE_KEPT]: {
    activityType: 'appointmentGoneNoteKept',
    templateText: 'Your visit to {school} was kept after its appointment went',
    description: 'A visit whose note was started was kept when its Outlook appointment was cancelled',
  },
  [NotificationKind.NOTE_EVALUATION_GIVEN]: {
    activityType: 'noteEvaluationGiven',
    templateText: 'Your note for {school} has been evaluated',
    description: 'A manager evaluated a note of visit',
  },
  [NotificationKind.SHADOWING_FEEDBACK_GIVEN]: {
    activityType: 'shadowingFeedbackGiven',
    templateText: 'You have feedback on your visit to {school}',
    description: 'Written feedback from a shadowing visit',
  },
  [NotificationKind.HEADTEACHER_FEEDBACK_RECEIVED]: {
    activityType: 'headteacherFeedback',
    templateText: 'The headteacher of {school} gave feedback on their partner',
    description: "A headteacher's feedback on their partner",
  },
};

/** The words of each kind (the feed's preview and the email), from the record: what matters first, as a preview may be cut at 150 characters. */
export function notificationWords(kind: Told, c: NotificationContext): NotificationWords {
  switch (kind) {
    case NotificationKind.DRAFT_DUE_TOMORROW:
      return {
        title: `Draft note due tomorrow: ${c.school}`,
        text: `Due to the headteacher on ${c.dueOn}: the draft note of your ${c.visit}.`,
        advice: 'Share it with the headteacher from the Notes tab when it is ready.',
      };
    case NotificationKind.DRAFT_LATE:
      return {
        title: `Draft note late: ${c.school}`,
        text: `Not yet shared, due on ${c.dueOn}: the draft note of your ${c.visit}.`,
      };
    case NotificationKind.CIRCULATION_LATE:
      return {
        title: `Note late for circulation: ${c.school}`,
        text: `Not yet circulated, due on ${c.dueOn}: the note of your ${c.visit}.`,
      };
    case NotificationKind.HEADTEACHER_AGREED:
      return { title: `Headteacher agreed: ${c.school}`, text: `The headteacher agreed the note of your ${c.visit}.`, advice: 'You can now circulate it.' };
    case NotificationKind.HEADTEACHER_DISPUTED:
      return {
        title: `Headteacher disputed: ${c.school}`,
        text: `The headteacher disputed the note of your ${c.visit}.`,
        advice: 'A senior adviser will moderate it; their decision will be recorded on the note.',
      };
    case NotificationKind.AWAITING_MODERATION:
      return { title: `Note to moderate: ${c.school}`, text: `The headteacher disputed the note of the ${c.visit}: it awaits moderation.` };
    case NotificationKind.AWAITING_MENTOR:
      return { title: `First note to review: ${c.school}`, text: `A first note of visit awaits your review as mentor: the ${c.visit}.` };
    case NotificationKind.MENTOR_COMMENTED:
      return {
        title: `Your mentor commented: ${c.school}`,
        text: `Your mentor commented on the note of your ${c.visit}.`,
        advice: 'Revise it and send it back to them.',
      };
    case NotificationKind.MENTOR_RELEASED:
      return { title: `Your mentor released your note: ${c.school}`, text: `Your mentor released the note of your ${c.visit}: you may now share it.` };
    case NotificationKind.SCHOOL_SECTION_COMPLETED:
      return { title: `School section completed: ${c.school}`, text: `${c.school} completed its section for your ${c.visit}.` };
    case NotificationKind.APPOINTMENT_CANCELLED_NOTE_KEPT:
      // The words calendar sync used to email directly (issue 21), now one path for every notification.
      return {
        title: `Appointment ${c.how} in Outlook: your ${c.visit} is kept`,
        text: `The appointment for your ${c.visit} was ${c.how} in Outlook.`,
        advice:
          'You have started its note of visit, so the visit has been kept as it was and nothing is lost. If the visit is not going ahead, cancel it; if it is, book the appointment again.',
      };
    case NotificationKind.NOTE_EVALUATION_GIVEN:
      return { title: `Your note has been evaluated: ${c.school}`, text: `A senior adviser evaluated the note of your ${c.visit}.` };
    case NotificationKind.SHADOWING_FEEDBACK_GIVEN:
      return { title: `Shadowing feedback: ${c.school}`, text: `You have written feedback on your ${c.visit}.` };
    case NotificationKind.HEADTEACHER_FEEDBACK_RECEIVED:
      return { title: `Headteacher's feedback: ${c.school}`, text: `The headteacher of ${c.school} gave feedback on their partner.` };
  }
}

/** What each kind is, in a person's settings. */
export const KIND_LABELS: Readonly<Record<NotificationKind, string>> = {
  [NotificationKind.DRAFT_DUE_TOMORROW]: 'A draft note is due tomorrow',
  [NotificationKind.DRAFT_LATE]: 'A draft note is late',
  [NotificationKind.CIRCULATION_LATE]: 'A note is late for circulation',
  [NotificationKind.HEADTEACHER_AGREED]: 'A headteacher agreed your note',
  [NotificationKind.HEADTEACHER_DISPUTED]: 'A headteacher disputed your note',
  [NotificationKind.AWAITING_MODERATION]: 'A note awaits moderation (senior advisers)',
  [NotificationKind.AWAITING_MENTOR]: 'A first note awaits your review as mentor',
  [NotificationKind.MENTOR_COMMENTED]: 'Your mentor commented on your note',
  [NotificationKind.MENTOR_RELEASED]: 'Your mentor released your note',
  [NotificationKind.SCHOOL_SECTION_COMPLETED]: 'A school completed its section',
  [NotificationKind.APPOINTMENT_CANCELLED_NOTE_KEPT]: 'An appointment was cancelled in Outlook but the visit kept',
  [NotificationKind.NOTE_EVALUATION_GIVEN]: 'Your note was evaluated',
  [NotificationKind.SHADOWING_FEEDBACK_GIVEN]: 'You have shadowing feedback',
  [NotificationKind.HEADTEACHER_FEEDBACK_RECEIVED]: 'A headteacher gave feedback on their partner (senior advisers)',
  [NotificationKind.WEEKLY_DIGEST]: 'The weekly digest (Monday morning, by email)',
};

/** The order kinds are listed in, everywhere. */
export const NOTIFICATION_KINDS: readonly NotificationKind[] = Object.values(NotificationKind);

/** Without a choice: the Teams feed (email when it cannot be reached), and the digest on. */
export function defaultChannel(kind: NotificationKind): NotificationChannel {
  return kind === NotificationKind.WEEKLY_DIGEST ? NotificationChannel.EMAIL : NotificationChannel.TEAMS;
}

/** The digest is an email: it can be on (EMAIL) or off (NONE), not in the feed. */
export function channelProblem(kind: NotificationKind, channel: NotificationChannel): string | null {
  if (kind === NotificationKind.WEEKLY_DIGEST && channel === NotificationChannel.TEAMS)
    return 'The weekly digest comes by email: choose EMAIL to have it or NONE to stop it.';
  return null;
}

/** The Teams feed preview: the first sentence, within Graph's 150 characters. */
export function previewOf(text: string): string {
  return text.length <= 150 ? text : `${text.slice(0, 149).trimEnd()}…`;
}

/**
 * A Teams deep link to the note of a visit in our app's Notes tab: the tab reads `subEntityId` as
 * `subPageId` from teams-js's context (addin/src/teams/teams-host.ts) and opens that visit's note.
 * Ids only: no personal data travels in the link.
 */
export function noteDeepLink(teamsAppId: string, visitId: string | null): string {
  const base = `https://teams.microsoft.com/l/entity/${encodeURIComponent(teamsAppId)}/${visitId ? 'notes' : 'visits'}`;
  if (!visitId) return base;
  return `${base}?context=${encodeURIComponent(JSON.stringify({ subEntityId: visitId }))}`;
}
