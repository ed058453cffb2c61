import { currentActor } from '../audit/audit-context.js';
import type { Em } from '../db/orm.js';
import { DomainEvent } from './domain-event.entity.js';

/**
 * The catalogue of what happens to the record that someone may be told about. Kinds are
 * past-tense facts; who hears of one (and how) is the consumer's business, not the writer's.
 */
export const DomainEventKind = {
  NOTE_SHARED: 'note.shared',
  NOTE_AGREED: 'note.agreed',
  /** The headteacher disputed the note: it now awaits moderation by a senior adviser. */
  NOTE_DISPUTED: 'note.disputed',
  NOTE_MODERATED: 'note.moderated',
  NOTE_CIRCULATED: 'note.circulated',
  /** A new partner's first note went to their mentor for review (quality assurance). */
  NOTE_AWAITING_MENTOR: 'note.awaiting_mentor',
  /** The mentor commented on a first note and handed it back to its partner to revise. */
  NOTE_MENTOR_COMMENTED: 'note.mentor_commented',
  /** The mentor released a first note: its partner may now share it. */
  NOTE_MENTOR_RELEASED: 'note.mentor_released',
  SCHOOL_SECTION_COMPLETED: 'school_section.completed',
  /** Outlook cancelled or deleted the appointment of a visit whose note was started: the visit was kept. */
  VISIT_APPOINTMENT_GONE_NOTE_KEPT: 'visit.appointment_gone_note_kept',
  /** A manager's evaluation of a sampled note on the pro forma, now visible to its partner. */
  NOTE_EVALUATION_GIVEN: 'qa.note_evaluation_given',
  SHADOWING_FEEDBACK_GIVEN: 'qa.shadowing_feedback_given',
  HEADTEACHER_FEEDBACK_RECEIVED: 'qa.headteacher_feedback_received',
  /** A visit was booked (from an appointment or in the app), or a cancelled one booked again. */
  VISIT_BOOKED: 'visit.booked',
  /** A booked visit's times changed (rescheduled, or its appointment moved in Outlook). `data`: previous startsAt and endsAt. */
  VISIT_MOVED: 'visit.moved',
  /** A booked visit was cancelled (by its partner, or its appointment in Outlook); kept on record with the reason. */
  VISIT_CANCELLED: 'visit.cancelled',
  VISIT_COMPLETED: 'visit.completed',
  /** A circulated note was reopened for correction as its next revision (`data.revision`); its circulation follows as note.circulated. */
  NOTE_CORRECTED: 'note.corrected',
  /** A manager assessed a school's risk category (confidential). `data.changed`: whether the category differs from the one before. */
  SCHOOL_RISK_CATEGORY_CHANGED: 'school.risk_category_changed',
  /** The national register import created or changed a school (`data.created`, `data.closed`: it closed). */
  SCHOOL_REGISTER_CHANGED: 'school.register_changed',
  /** The retention schedule disposed of a record (`data.record`: 'visit' or 'note'; the id in visitId or noteId). */
  RECORD_DISPOSED: 'record.disposed',
} as const;
export type DomainEventKind = (typeof DomainEventKind)[keyof typeof DomainEventKind];

export interface DomainEventInput {
  kind: DomainEventKind;
  schoolId?: string | null;
  visitId?: string | null;
  noteId?: string | null;
  partnerId?: string | null;
  data?: Record<string, string | number | boolean | null>;
}

/**
 * Records an event in the writer's transaction (persisted with its next flush): committed with the
 * change, or not at all. The actor is the audit context's.
 */
export function recordEvent(tx: Em, event: DomainEventInput, now: Date): DomainEvent {
  const row = Object.assign(new DomainEvent(), {
    kind: event.kind,
    occurredAt: now,
    actor: currentActor().actor,
    schoolId: event.schoolId ?? null,
    visitId: event.visitId ?? null,
    noteId: event.noteId ?? null,
    partnerId: event.partnerId ?? null,
    data: event.data ?? null,
  });
  tx.persist(row);
  return row;
}
