import { NoteStatus } from '../notes/note.enums.js';
import { VisitStatus } from '../visits/visit.enums.js';
import { AccessLinkPurpose } from './access-link.entity.js';

/** Why a link no longer serves its stage, though nobody revoked it. */
export type LinkStageEnded = 'visit_cancelled' | 'note_shared' | 'note_not_with_headteacher';

/**
 * The stage each link serves, and nothing after it:
 * - the school's section: a visit not cancelled whose note has never been shared (the
 *   school's grades become the note's school view only while the partner drafts it; a
 *   corrected note, back in draft, was shared before and stays closed to the section);
 * - the headteacher's response: a note shared with the headteacher and not yet answered
 *   (once agreed, disputed, moderated or circulated, the link stops);
 * - the headteacher's feedback on their partner: no stage; it stops once used (checkLink), revoked or expired.
 * checkLink applies it on every use, whatever path changed the visit or the note.
 */
export function linkStageEnded(
  purpose: AccessLinkPurpose,
  visit: { status: VisitStatus },
  note: { status: NoteStatus; firstSharedAt?: Date | null } | null,
): LinkStageEnded | null {
  // Feedback on the partner is about their work, not one visit: its visit is only where the link hangs.
  if (purpose === AccessLinkPurpose.PARTNER_FEEDBACK) return null;
  if (visit.status === VisitStatus.CANCELLED) return 'visit_cancelled';
  if (purpose === AccessLinkPurpose.SCHOOL_SECTION) return note && (note.firstSharedAt || note.status !== NoteStatus.DRAFT) ? 'note_shared' : null;
  return note?.status === NoteStatus.SHARED ? null : 'note_not_with_headteacher';
}
