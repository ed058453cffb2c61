import { DomainEventKind, recordEvent } from '../platform/events/domain-events.js';
import { LockMode } from '@mikro-orm/core';
import { runAs } from '../platform/audit/audit-context.js';
import { AuditEvent } from '../platform/audit/audit-event.entity.js';
import type { Em } from '../platform/db/orm.js';
import { NoteOfVisit } from '../notes/note-of-visit.entity.js';
import { recordResponse } from '../notes/headteacher-response.service.js';
import { prefillSchoolView } from '../notes/school-section.js';
import { JudgementArea, NoteStatus, ResponseChannel } from '../notes/note.enums.js';
import { AccessLink } from './access-link.entity.js';
import { SchoolSection, SchoolSelfEvaluation } from '../notes/school-section.entity.js';

export interface SchoolSectionAnswers {
  completedBy: string;
  grades: Partial<Record<JudgementArea, number | null>>;
  evidence: Partial<Record<JudgementArea, string | null>>;
  evidenceToShow: string | null;
  wantsFromVisit: string | null;
}

export interface HeadteacherAnswers {
  respondent: string;
  agreed: boolean;
  comment: string | null;
  judgementComments: Partial<Record<JudgementArea, string | null>>;
}

/** The audit row of one use of a link by the school (opening it, sending an answer), as the link. */
export function linkUseEvent(link: AccessLink, action: 'open' | 'submit', details: Record<string, unknown>, requestId: string | undefined): AuditEvent {
  return Object.assign(new AuditEvent(), {
    occurredAt: new Date(),
    actor: `link:${link.id}`,
    requestId: requestId ?? null,
    action,
    entityType: 'AccessLink',
    entityId: link.id,
    changes: { purpose: link.purpose, visit: link.visit.id, ...details },
  });
}

/** Audits the school opening a link, as the link. */
export function recordLinkUse(em: Em, link: AccessLink, action: 'open', details: Record<string, unknown> = {}, requestId?: string): Promise<void> {
  // The flush also saves the link's lastOpenedAt: both are the link's doing.
  return runAs({ actor: `link:${link.id}`, requestId }, () => em.persist(linkUseEvent(link, action, details, requestId)).flush());
}

/**
 * The school's section: saved (again, if resubmitted), and its grades become the note's school
 * view; the submission's audit row is written in the same transaction, so neither exists alone.
 */
export function submitSchoolSection(em: Em, linkId: string, answers: SchoolSectionAnswers, now: Date, requestId?: string): Promise<SchoolSection> {
  return runAs({ actor: `link:${linkId}`, requestId }, () =>
    em.fork().transactional(async (tx) => {
      const link = await tx.findOneOrFail(AccessLink, { id: linkId });
      const section = (await tx.findOne(SchoolSection, { visit: link.visit.id })) ?? Object.assign(new SchoolSection(), { visit: link.visit });
      Object.assign(section, {
        selfEvaluation: Object.values(JudgementArea).map((area) =>
          Object.assign(new SchoolSelfEvaluation(), { area, grade: answers.grades[area] ?? null, evidence: answers.evidence[area] ?? null }),
        ),
        evidenceToShow: answers.evidenceToShow,
        wantsFromVisit: answers.wantsFromVisit,
        completedBy: answers.completedBy,
        submittedAt: now,
      });
      tx.persist(section);
      link.usedAt = now;
      const note = await tx.findOne(NoteOfVisit, { visit: link.visit.id });
      if (note && [NoteStatus.DRAFT, NoteStatus.DISPUTED].includes(note.status)) await prefillSchoolView(note, section);
      tx.persist(linkUseEvent(link, 'submit', { completedBy: answers.completedBy }, requestId));
      const visit = await link.visit.loadOrFail();
      recordEvent(
        tx as Em,
        {
          kind: DomainEventKind.SCHOOL_SECTION_COMPLETED,
          visitId: visit.id,
          schoolId: visit.school.id,
          noteId: note?.id ?? null,
          partnerId: visit.leadPartner.id,
        },
        now,
      );
      return section;
    }),
  );
}

export type ResponseOutcome = { ok: true; note: NoteOfVisit } | { ok: false; reason: 'not_shared'; status: NoteStatus };

/**
 * The headteacher's answer to the shared draft, through their link: the note becomes agreed or
 * disputed, and the submission's audit row is written in the same transaction.
 */
export function submitHeadteacherResponse(em: Em, linkId: string, answers: HeadteacherAnswers, now: Date, requestId?: string): Promise<ResponseOutcome> {
  return runAs({ actor: `link:${linkId}`, requestId }, () =>
    em.fork().transactional(async (tx): Promise<ResponseOutcome> => {
      const link = await tx.findOneOrFail(AccessLink, { id: linkId });
      const note = await tx.findOneOrFail(NoteOfVisit, { id: link.note!.id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (note.status !== NoteStatus.SHARED) return { ok: false, reason: 'not_shared', status: note.status };
      await recordResponse(tx as Em, note, answers, { via: ResponseChannel.LINK, by: `link:${linkId}` }, now);
      link.usedAt = now;
      tx.persist(linkUseEvent(link, 'submit', { respondent: answers.respondent, agreed: answers.agreed }, requestId));
      return { ok: true, note };
    }),
  );
}
