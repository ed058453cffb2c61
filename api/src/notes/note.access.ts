import type { AccessPolicy } from '../platform/auth/access-policy.js';
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

/**
 * The one check for reading a note, whichever way it is asked for (GraphQL's note, its read
 * view, the Word download): the school's records or the partner's own visit, then the note's status. Same answers everywhere.
 */
export async function assertCanReadNote(
  access: AccessPolicy,
  note: Pick<NoteOfVisit, 'status'>,
  visit: { id: string; schoolId: string; leadPartnerId: string },
): Promise<void> {
  await access.assertCanSeeVisit(visit);
  if (!canSeeNote(access, note)) throw forbidden('This note has not been circulated yet: other council systems see notes once they are.');
}
