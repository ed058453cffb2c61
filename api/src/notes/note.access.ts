import type { AccessPolicy } from '../platform/auth/access-policy.js';
import type { ReadDb } from '../platform/db/orm.js';
import { forbidden } from '../platform/errors.js';
import type { NoteOfVisit } from './note-of-visit.entity.js';
import { NoteStatus } from './note.enums.js';

/** Who may change a note of visit: its author, or a manager. */
export function assertCanEditNote(access: AccessPolicy, note: Pick<NoteOfVisit, 'author'>): void {
  access.assertOwnerOrManager(note.author.id, 'You can change only notes you wrote. Ask their author or a senior adviser.');
}

/** A service never sees a note before it is circulated; people see the notes of schools they may see. */
export function canSeeNote(access: AccessPolicy, note: Pick<NoteOfVisit, 'status'>): boolean {
  return !access.isService || note.status === NoteStatus.CIRCULATED;
}

/** canSeeNote as a SQL condition on a note aliased `alias` (the bulk exports read notes' records in SQL). */
export function canSeeNoteSql(access: AccessPolicy, alias: string): string {
  return access.isService ? `${alias}.status = '${NoteStatus.CIRCULATED}'` : 'true';
}

/**
 * The author's mentor reads (never edits) a mentee's note once its review has begun: sent to
 * them, commented on or released (quality assurance, notes/mentor-review.rules.ts). Before the
 * partner asks, the draft is the partner's own.
 */
export const MENTOR_READS_NOTE_SQL = `select 1 from note_of_visit n join partner a on a.id = n.author_id
  where n.id = ? and a.mentor_id = ?
  and (n.mentor_review_requested_at is not null or n.mentor_released_at is not null or exists (select 1 from mentor_comment c where c.note_id = n.id))`;

export async function isMentorReadingNote(access: AccessPolicy, db: ReadDb, noteId: string): Promise<boolean> {
  if (access.principal.kind !== 'person') return false;
  const rows = await db.getConnection().execute(MENTOR_READS_NOTE_SQL, [noteId, access.principal.partnerId]);
  return rows.length > 0;
}

/**
 * The one check for reading a note, whichever way it is asked for (GraphQL's note, its read
 * view, the Word download): the school's records, the partner's own visit, or the author's mentor
 * once the note is under review; then the note's status. Same answers everywhere.
 */
export async function assertCanReadNote(
  access: AccessPolicy,
  note: Pick<NoteOfVisit, 'id' | 'status'>,
  visit: { id: string; schoolId: string; leadPartnerId: string },
  db: ReadDb,
): Promise<void> {
  try {
    await access.assertCanSeeVisit(visit);
  } catch (refusal) {
    if (!(await isMentorReadingNote(access, db, note.id))) throw refusal;
  }
  if (!canSeeNote(access, note)) throw forbidden('This note has not been circulated yet: other council systems see notes once they are.');
}
