import { auditRecord } from '../platform/audit/audit-record.js';
import { businessDateOf } from '../platform/dates/today.js';
import type { WorkingCalendar } from '../platform/dates/working-days.js';
import type { Em } from '../platform/db/orm.js';
import { NoteOfVisit } from './note-of-visit.entity.js';
import { NoteStatus } from './note.enums.js';

/** Seed 004 section 9: the draft to the headteacher within 5 days, circulation within 10. */
export const DRAFT_DUE_WORKING_DAYS = 5;
export const CIRCULATION_DUE_WORKING_DAYS = 10;

export interface NoteDeadlines {
  draftDueOn: string;
  circulationDueOn: string;
}

/**
 * A note's deadlines: 5 and 10 working days after the visit's London date, in the
 * council's working calendar (weekends, England and Wales bank holidays, the
 * council's closure days: calendar/council-closure-days.ts loads it).
 */
export function noteDeadlines(visitStartsAt: Date, calendar: WorkingCalendar): NoteDeadlines {
  const visitDay = businessDateOf(visitStartsAt);
  return {
    draftDueOn: calendar.addWorkingDays(visitDay, DRAFT_DUE_WORKING_DAYS),
    circulationDueOn: calendar.addWorkingDays(visitDay, CIRCULATION_DUE_WORKING_DAYS),
  };
}

type DeadlineFields = Pick<NoteOfVisit, 'id' | 'status' | 'draftDueOn' | 'circulationDueOn' | 'sharedAt' | 'firstSharedAt'>;

/**
 * Moves a note's deadlines that are still ahead of it to `next`: the draft deadline of a note whose
 * draft has never gone to the headteacher, and the circulation deadline (callers pass notes never
 * circulated). A deadline whose step has happened stays as it was: timeliness was judged on it.
 * Plain SQL (queued on `tx`), leaving the note's version as it was: a partner editing the note
 * meanwhile must not be told someone else changed it; audited, with `why`, in the same transaction.
 * False when nothing moves.
 */
export async function moveNoteDeadlines(tx: Em, note: DeadlineFields, next: NoteDeadlines, why: string, now = new Date()): Promise<boolean> {
  const draftPending = note.status === NoteStatus.DRAFT && !note.sharedAt && !note.firstSharedAt;
  const changes: Partial<NoteDeadlines> = {};
  if (draftPending && next.draftDueOn !== note.draftDueOn) changes.draftDueOn = next.draftDueOn;
  if (next.circulationDueOn !== note.circulationDueOn) changes.circulationDueOn = next.circulationDueOn;
  if (!Object.keys(changes).length) return false;
  await tx.execute('update note_of_visit set draft_due_on = ?, circulation_due_on = ? where id = ?', [
    changes.draftDueOn ?? note.draftDueOn,
    changes.circulationDueOn ?? note.circulationDueOn,
    note.id,
  ]);
  tx.persist(
    auditRecord({
      occurredAt: now,
      action: 'update',
      entityType: 'NoteOfVisit',
      entityId: note.id,
      changes: { ...changes, was: { draftDueOn: note.draftDueOn, circulationDueOn: note.circulationDueOn }, why },
    }),
  );
  return true;
}

/**
 * After closure days were added or removed (`changed`), moves the deadlines that
 * are still ahead of their notes to what `calendar` (the calendar after the change)
 * makes them:
 * - the draft deadline of a note whose draft has never gone to the headteacher;
 * - the circulation deadline of a note never circulated.
 * A deadline whose step has happened stays as it was: timeliness was judged on it.
 *
 * Only a note whose visit came before a changed day and whose circulation deadline
 * is on or after one can move (a day outside (visit, deadline] changes neither).
 * Written with plain SQL, leaving the note's version as it was: a partner editing the
 * note meanwhile must not be told someone else changed it. Each move is audited
 * (who, which note, old and new dates) in the same transaction.
 *
 * Returns the number of notes whose deadlines moved.
 */
export async function rescheduleNoteDeadlines(tx: Em, calendar: WorkingCalendar, changed: readonly string[], now = new Date()): Promise<number> {
  if (!changed.length) return 0;
  const first = changed.reduce((a, b) => (a < b ? a : b));
  const last = changed.reduce((a, b) => (a > b ? a : b));
  // The day after the last changed date, at midnight UTC: every London date before `last` starts before it.
  const before = new Date(`${last}T00:00:00Z`);
  before.setUTCDate(before.getUTCDate() + 1);
  const notes = await tx.find(
    NoteOfVisit,
    {
      status: { $ne: NoteStatus.CIRCULATED },
      circulatedAt: null,
      firstCirculatedAt: null,
      circulationDueOn: { $gte: first },
      visit: { startsAt: { $lt: before } },
    },
    {
      fields: ['id', 'status', 'draftDueOn', 'circulationDueOn', 'sharedAt', 'firstSharedAt', 'visit.startsAt'],
      orderBy: { id: 'asc' },
    },
  );
  let moved = 0;
  for (const note of notes) {
    if (await moveNoteDeadlines(tx, note, noteDeadlines(note.visit.getEntity().startsAt, calendar), 'council closure days changed', now)) moved += 1;
  }
  await tx.flush();
  return moved;
}
