import type { CouncilContact } from '../platform/config.js';
import type { School } from '../schools/school.entity.js';
import { RecipientRole } from './note.enums.js';

/** One entry of a note's distribution list, before it is stored (NoteRecipient adds the note and position). */
export interface DistributionEntry {
  role: RecipientRole;
  name: string;
  email: string | null;
}

/** How a role reads where no name is known, and in the emails that carry the note. */
export const RECIPIENT_ROLE_LABELS: Record<RecipientRole, string> = {
  [RecipientRole.HEADTEACHER]: 'Headteacher',
  [RecipientRole.CHAIR_OF_GOVERNORS]: 'Chair of governors',
  [RecipientRole.COUNCIL]: 'Council',
  [RecipientRole.OTHER]: 'Other recipient',
};

const address = (email: string | null | undefined) => email?.trim().toLowerCase() || null;

/**
 * Who a new note goes to (seed 004 section 9): the headteacher, the chair of
 * governors and the council, in that order. A school contact is listed when the
 * register knows their name or their email (a missing email is then the
 * partner's to fill in: circulation refuses an entry without one); the council's
 * address comes from the configuration (COUNCIL_NOTES_EMAIL).
 */
export function defaultDistribution(school: Pick<School, 'headteacher' | 'chairOfGovernors'>, council: CouncilContact): DistributionEntry[] {
  const contacts: [RecipientRole, School['headteacher']][] = [
    [RecipientRole.HEADTEACHER, school.headteacher],
    [RecipientRole.CHAIR_OF_GOVERNORS, school.chairOfGovernors],
  ];
  return [
    ...contacts
      .filter(([, contact]) => contact?.name?.trim() || address(contact?.email))
      .map(([role, contact]) => ({ role, name: contact!.name?.trim() || RECIPIENT_ROLE_LABELS[role], email: address(contact!.email) })),
    { role: RecipientRole.COUNCIL, name: council.name, email: address(council.email) },
  ];
}
