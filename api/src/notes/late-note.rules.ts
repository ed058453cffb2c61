import type { NoteOfVisit } from './note-of-visit.entity.js';
import { NoteStatus } from './note.enums.js';

/**
 * Late: a draft past its draft date, or any note not circulated by its circulation date.
 * Only the first revision can be late: deadlines are met (or missed) by the first
 * sharing and circulation, and a correction reopened afterwards is judged on them.
 *
 * Written twice, side by side: for one note in hand (`isLate`, the `overdue` field) and as
 * SQL for a list (`LATE_SQL`, the overdue report's both paths). `LATE_READS` is what the
 * rule reads: a read view serving `overdue` must bring these columns.
 */
export const LATE_READS = ['status', 'draftDueOn', 'circulationDueOn', 'revision'] as const;

export function isLate(note: Pick<NoteOfVisit, (typeof LATE_READS)[number]>, today: string): boolean {
  const late = lateSteps(note, today);
  return late.draft || late.circulation;
}

/** Which deadlines a note has missed (a draft may have missed both): the same rule, step by step, for telling its author. */
export function lateSteps(note: Pick<NoteOfVisit, (typeof LATE_READS)[number]>, today: string): { draft: boolean; circulation: boolean } {
  if (note.status === NoteStatus.CIRCULATED || note.revision > 1) return { draft: false, circulation: false };
  return { draft: note.status === NoteStatus.DRAFT && note.draftDueOn < today, circulation: note.circulationDueOn < today };
}

/** The same rule in SQL, on a note aliased n; its two parameters are today. */
export const LATE_SQL = `n.status <> 'circulated' and n.revision = 1 and ((n.status = 'draft' and n.draft_due_on < ?) or n.circulation_due_on < ?)`;
