import { ref } from '@mikro-orm/core';
import { businessDateOf, longLondonDate } from '../platform/dates/today.js';
import type { Em } from '../platform/db/orm.js';
import { badInput } from '../platform/errors.js';
import { revisionDocx } from './note-docx.js';
import type { MailAttachment } from '../platform/mail/mail-transport.js';
import type { EmailAttachmentRef, OutboundEmail } from '../mail/outbound-email.entity.js';
import type { NoteWorkflowDeps } from './notes.context.js';
import { VISIT_TYPE_LABELS } from '../visits/visit.enums.js';
import { RECIPIENT_ROLE_LABELS } from './note-distribution.js';
import type { NoteOfVisit } from './note-of-visit.entity.js';
import { NoteRevision } from './note-revision.entity.js';
import { RecipientRole } from './note.enums.js';

/** The attachment kind the outbox hands to renderNoteAttachment: a circulated revision as a Word document. */
export const NOTE_REVISION_DOCX = 'note-revision-docx';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** Why each recipient gets the note, in the email's own words. */
const AS: Record<RecipientRole, string> = {
  [RecipientRole.HEADTEACHER]: "the school's headteacher",
  [RecipientRole.CHAIR_OF_GOVERNORS]: 'chair of governors',
  [RecipientRole.COUNCIL]: "the council's copy",
  [RecipientRole.OTHER]: "a recipient on the note's distribution list",
};

/** A file name every mail program and file system accepts. */
const fileName = (text: string) =>
  text
    .replace(/[\\/:*?"<>|\p{Cc}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/**
 * Within circulateNote's transaction: one email per entry of the note's
 * distribution list, each carrying the circulated revision as a Word document
 * (made when the email is sent: no document and no link is kept in the
 * database), linked to the note, the revision and the entry, so the sends exist
 * exactly when the circulation does and show on the note as its deliveries.
 *
 * Refuses, before anything is written, an empty list or an entry without an email
 * address (BAD_USER_INPUT, field `distribution.<index>.email`, the 0-based index
 * in the list as the note holds it).
 */
export async function queueCirculation(
  tx: Em,
  deps: Pick<NoteWorkflowDeps, 'council' | 'outbox'>,
  note: NoteOfVisit,
  revision: NoteRevision,
): Promise<OutboundEmail[]> {
  const recipients = (await note.distribution.load()).getItems();
  if (!recipients.length) throw badInput('Add the distribution list (headteacher, chair of governors, council) before circulating.', 'distribution');
  recipients.forEach((r, i) => {
    if (!r.email?.trim()) {
      throw badInput(
        `${RECIPIENT_ROLE_LABELS[r.role]} (${r.name}) has no email address: add it to the distribution list, or take them off the list, before circulating.`,
        `distribution.${i}.email`,
      );
    }
  });

  const visit = await note.visit.loadOrFail();
  const [school, partner] = await Promise.all([visit.school.loadOrFail(), note.author.loadOrFail()]);
  const type = VISIT_TYPE_LABELS[visit.type];
  const when = longLondonDate(visit.startsAt);
  const corrected = revision.revision > 1 ? ` (revision ${revision.revision})` : '';
  const subject = `Note of visit: ${school.name}, ${type.toLowerCase()} on ${when}${corrected}`.slice(0, 255);
  const attachment: EmailAttachmentRef = {
    kind: NOTE_REVISION_DOCX,
    id: revision.id,
    filename: fileName(
      `Note of visit - ${school.name.slice(0, 80)} - ${businessDateOf(visit.startsAt)}${revision.revision > 1 ? ` - revision ${revision.revision}` : ''}.docx`,
    ),
  };
  const outcome = note.moderationDecision
    ? 'The headteacher disputed the draft; a senior adviser moderated it, and the disagreement is recorded in the note.'
    : note.headteacherAgreed
      ? 'The headteacher agreed the note.'
      : null;

  return recipients.map((recipient) => {
    const email = deps.outbox.queue(tx, {
      to: recipient.email!.trim().toLowerCase(),
      toName: recipient.name,
      visit,
      subject,
      attachment,
      body: [
        `Dear ${recipient.role === RecipientRole.COUNCIL ? 'colleague' : recipient.name},`,
        '',
        `Please find attached the note of visit for ${school.name} (${school.dfeNumber}): ${type.toLowerCase()} on ${when}, circulated on ${longLondonDate(revision.circulatedAt)}.`,
        ...(revision.revision > 1 ? ['', `This is revision ${revision.revision} of the note: it corrects and replaces the version circulated before.`] : []),
        ...(outcome ? ['', outcome] : []),
        '',
        `You receive it as ${AS[recipient.role]} on the note's distribution list.`,
        '',
        partner.name,
        'School improvement partner',
        partner.email,
        ...(deps.council.name ? [deps.council.name] : []),
      ].join('\n'),
    });
    return Object.assign(email, { note: ref(note), noteRevision: ref(revision), noteRecipient: ref(recipient), recipientRole: recipient.role });
  });
}

/**
 * The outbox's renderer for a note's attachment (wired in app.ts): the circulated
 * revision as a Word document, made at send time through the sending
 * transaction. Any failure fails the attempt, which the outbox retries.
 */
export async function renderNoteAttachment(em: Em, attachment: EmailAttachmentRef): Promise<MailAttachment> {
  if (attachment.kind !== NOTE_REVISION_DOCX) throw new Error(`no renderer for attachments of kind "${attachment.kind}"`);
  const revision = await em.findOne(NoteRevision, { id: attachment.id }, { populate: ['note'] });
  if (!revision) throw new Error('the circulated note to attach no longer exists');
  // Made from the revision's stored content: exactly what was circulated, even after a correction reopens the note.
  return { filename: attachment.filename, contentType: DOCX, content: await revisionDocx(revision) };
}
