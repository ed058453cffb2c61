import { ref } from '@mikro-orm/core';
import type { Em } from '../platform/db/orm.js';
import { DomainEventKind, recordEvent } from '../platform/events/domain-events.js';
import { HeadteacherResponse } from './headteacher-response.entity.js';
import type { NoteOfVisit } from './note-of-visit.entity.js';
import { byHeadingOrder, NoteStatus, type ResponseChannel, type JudgementArea } from './note.enums.js';

export interface ResponseAnswers {
  agreed: boolean;
  comment: string | null;
  judgementComments: Partial<Record<JudgementArea, string | null>>;
  respondent: string | null;
}

/**
 * The one door by which a headteacher's answer enters the record (their link, or a
 * manager on their behalf): the note becomes agreed or disputed, each heading shows
 * their latest comment, and the answer is kept in the note's response trail for good.
 * The caller has locked the note and checked it is shared.
 */
export async function recordResponse(
  tx: Em,
  note: NoteOfVisit,
  answers: ResponseAnswers,
  recorded: { via: ResponseChannel; by: string; reason?: string | null },
  now: Date,
): Promise<HeadteacherResponse> {
  const judgementComments = [];
  // Kept in heading order, as every reader lists them.
  for (const judgement of [...(await note.judgements.load()).getItems()].sort(byHeadingOrder)) {
    const comment = answers.judgementComments[judgement.area]?.trim() || null;
    judgement.headteacherComment = comment;
    if (comment) judgementComments.push({ area: judgement.area, comment });
  }
  Object.assign(note, {
    status: answers.agreed ? NoteStatus.AGREED : NoteStatus.DISPUTED,
    headteacherAgreed: answers.agreed,
    headteacherComment: answers.comment?.trim() || null,
    headteacherRespondedAt: now,
  });
  const response = Object.assign(new HeadteacherResponse(), {
    note: ref(note),
    revision: note.revision,
    agreed: answers.agreed,
    comment: answers.comment?.trim() || null,
    judgementComments,
    respondent: answers.respondent?.trim() || null,
    recordedVia: recorded.via,
    recordedBy: recorded.by,
    reason: recorded.reason?.trim() || null,
    respondedAt: now,
  });
  tx.persist(response);
  const visit = await note.visit.loadOrFail();
  recordEvent(
    tx,
    {
      kind: answers.agreed ? DomainEventKind.NOTE_AGREED : DomainEventKind.NOTE_DISPUTED,
      noteId: note.id,
      visitId: visit.id,
      schoolId: visit.school.id,
      partnerId: note.author.id,
      data: { via: recorded.via },
    },
    now,
  );
  return response;
}
