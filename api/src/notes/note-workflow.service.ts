import { LockMode, ref } from '@mikro-orm/core';
import { currentActor } from '../platform/audit/audit-context.js';
import type { AccessPolicy } from '../platform/auth/access-policy.js';
import type { Em } from '../platform/db/orm.js';
import { checkVersion } from '../platform/db/versioning.js';
import { DomainEventKind, recordEvent, type DomainEventInput, type DomainEventKind as Kind } from '../platform/events/domain-events.js';
import { AppError, badInput, conflict, ErrorCode, forbidden, notFound } from '../platform/errors.js';
import { checkId } from '../platform/graphql/lookup.js';
import { prefillSchoolView } from './school-section.js';
import { SchoolSection } from './school-section.entity.js';
import type { NoteWorkflowDeps } from './notes.context.js';
import type { CouncilContact } from '../platform/config.js';
import { Visit } from '../visits/visit.entity.js';
import { VisitStatus, visitTypeHasNote } from '../visits/visit.enums.js';
import { recordResponse } from './headteacher-response.service.js';
import { Judgement } from './judgement.entity.js';
import { noteContent, partnerTexts } from './note-content.js';
import { queueCirculation } from './note-circulation.js';
import { noteDeadlines } from './note-deadlines.js';
import { defaultDistribution } from './note-distribution.js';
import { loadWorkingCalendar } from '../calendar/council-closure-days.js';
import { applyNoteUpdate, peopleOf } from './note-edit.service.js';
import type { UpdateNoteInput } from './note.input.js';
import { NoteOfVisit } from './note-of-visit.entity.js';
import { NoteRecipient } from './note-recipient.entity.js';
import { NoteRevision } from './note-revision.entity.js';
import { checkNoNames, STATUS_AFTER_REVIEW } from './note.rules.js';
import { JUDGEMENT_AREA_LABELS, JudgementArea, type ModerationDecision, NoteStatus, RecommendationStatus, ResponseChannel } from './note.enums.js';
import { RecommendationReview } from './recommendation-review.entity.js';
import { Recommendation } from './recommendation.entity.js';
import { assertCanEditNote } from './note.access.js';
import { assertReleasedForSharing } from './mentor-review.service.js';
import { assertCanEditVisit } from '../visits/visit.access.js';
import { signedInPartnerRef } from '../partners/signed-in-partner.js';

const EDITABLE = [NoteStatus.DRAFT, NoteStatus.DISPUTED];

/**
 * Loads a note for a change inside the transaction: the row is locked first, so
 * two saves of the same note queue up and the second sees the first's version
 * (and gets CONFLICT) instead of overwriting it.
 */
async function lockNote(tx: Em, access: AccessPolicy, id: string, expectedVersion?: number | null): Promise<NoteOfVisit> {
  const note = await tx.findOne(NoteOfVisit, { id: checkId(id) }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!note) throw notFound('NoteOfVisit', id);
  assertCanEditNote(access, note);
  checkVersion(note, expectedVersion, 'note');
  return note;
}

function requireStatus(note: NoteOfVisit, allowed: NoteStatus[], action: string): void {
  if (!allowed.includes(note.status)) {
    const hint = note.status === NoteStatus.CIRCULATED ? ' A circulated note is read-only: correct it with correctNote.' : '';
    throw conflict(`This note is ${note.status}; it can be ${action} only when ${allowed.join(' or ')}.${hint}`);
  }
}

/** The steps that change what other council systems read of a visit's note (a service reads a note once circulated). */
const CHANGES_THE_RECORD: ReadonlySet<Kind> = new Set([DomainEventKind.NOTE_CIRCULATED, DomainEventKind.NOTE_CORRECTED]);

/**
 * Tells of a step in the note's workflow (platform/events), in the step's own transaction. A step that
 * changes what a service reads of the visit also stamps the visit as changed, so a council system following
 * visits with `changedSince` finds it; the stamp is written directly, not through the ORM, because it
 * changes nothing a partner edits and must not make their copy of the visit stale (its version stays).
 */
async function noteEvent(tx: Em, note: NoteOfVisit, kind: Kind, now: Date, data?: DomainEventInput['data']): Promise<void> {
  const visit = await note.visit.loadOrFail();
  recordEvent(tx, { kind, noteId: note.id, visitId: visit.id, schoolId: visit.school.id, partnerId: note.author.id, data }, now);
  if (CHANGES_THE_RECORD.has(kind)) await tx.execute('update visit set updated_at = ? where id = ?', [new Date(), visit.id]);
}

/** Someone changed the note: its version moves on even when only its lists changed. */
const touch = (note: NoteOfVisit) => {
  note.updatedAt = new Date();
};

/**
 * Starts the note of a visit that has taken place (or returns the one already
 * started): the five inspection headings ready to grade, the school's contacts
 * on the distribution list, and the school's open recommendations from earlier
 * notes carried in for review.
 */
export async function startNote(em: Em, access: AccessPolicy, visitId: string, council: CouncilContact, now: Date): Promise<NoteOfVisit> {
  return em.fork().transactional(async (tx) => {
    // The visit's row lock makes starts for one visit (a double click, two devices) take turns: the
    // second finds the note the first committed and answers with it, instead of tripping the
    // one-note-per-visit constraint.
    const visit = await tx.findOne(Visit, { id: checkId(visitId, 'visitId') }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!visit) throw notFound('Visit', visitId);
    assertCanEditVisit(access, visit);
    if (!visitTypeHasNote(visit.type)) {
      throw badInput('A headteacher performance-management visit has no note of visit: leave the governors a feedback form instead.', 'visitId');
    }
    if (visit.status === VisitStatus.CANCELLED) throw conflict('This visit was cancelled; it has no note of visit.');
    if (visit.startsAt > now) throw badInput('This visit has not taken place yet: start its note afterwards.', 'visitId');
    const existing = await tx.findOne(NoteOfVisit, { visit: visit.id });
    if (existing) return existing;

    const school = await visit.school.loadOrFail();
    const note = Object.assign(new NoteOfVisit(), {
      visit: ref(visit),
      author: visit.leadPartner,
      status: NoteStatus.DRAFT,
      ...noteDeadlines(visit.startsAt, await loadWorkingCalendar(tx as Em)),
    });
    tx.persist(note);
    for (const area of Object.values(JudgementArea)) tx.persist(Object.assign(new Judgement(), { note: ref(note), area }));
    defaultDistribution(school, council).forEach((entry, i) => tx.persist(Object.assign(new NoteRecipient(), { note: ref(note), position: i + 1, ...entry })));

    // Carry forward: every recommendation still open in the school's earlier notes.
    const open = await tx.find(
      Recommendation,
      { status: RecommendationStatus.OPEN, note: { visit: { school: school.id, startsAt: { $lt: visit.startsAt } } } },
      { orderBy: { dueOn: 'asc', position: 'asc' } },
    );
    for (const recommendation of open) tx.persist(Object.assign(new RecommendationReview(), { note: ref(note), recommendation: ref(recommendation) }));
    if (visit.status === VisitStatus.BOOKED) Object.assign(visit, { status: VisitStatus.COMPLETED, completedAt: now });
    await tx.flush();
    const section = await tx.findOne(SchoolSection, { visit: visit.id });
    if (section) await prefillSchoolView(note, section);
    return note;
  });
}

export async function updateNote(em: Em, access: AccessPolicy, id: string, expectedVersion: number, input: UpdateNoteInput): Promise<NoteOfVisit> {
  return em.fork().transactional(async (tx) => {
    const note = await lockNote(tx as Em, access, id, expectedVersion);
    // A moderator whose decision amends the note makes the amendment before it is circulated.
    requireStatus(note, access.isManager ? [...EDITABLE, NoteStatus.MODERATED] : EDITABLE, 'edited');
    await applyNoteUpdate(tx as Em, access, note, input);
    touch(note);
    return note;
  });
}

/** A draft → shared with the headteacher: only once every carried recommendation is reviewed and every kept heading graded. */
export async function shareNote(
  em: Em,
  access: AccessPolicy,
  id: string,
  expectedVersion: number,
  deps: NoteWorkflowDeps | null,
  now: Date,
): Promise<NoteOfVisit> {
  const shared = await em.fork().transactional(async (tx) => {
    const note = await lockNote(tx as Em, access, id, expectedVersion);
    if (note.status === NoteStatus.DISPUTED) {
      throw conflict(
        'The headteacher disputed this note: a senior adviser moderates it (their decision is final) before it can be circulated. It cannot be shared again.',
      );
    }
    requireStatus(note, [NoteStatus.DRAFT], 'shared');
    // A new partner's first note waits for their mentor's release (quality assurance).
    await assertReleasedForSharing(tx as Em, note);
    const unreviewed = (await note.reviews.load({ populate: ['recommendation'] })).getItems().filter((r) => !r.progress);
    if (unreviewed.length) {
      const list = unreviewed.map((r) => `"${r.recommendation.getEntity().action.slice(0, 60)}"`).join(', ');
      throw badInput(
        `Review every recommendation carried from the previous note before sharing: ${unreviewed.length} still need a progress (${list}).`,
        'reviews',
      );
    }
    if (!note.summary?.trim()) throw badInput('Write the summary before sharing the note.', 'summary');
    const judgements = (await note.judgements.load()).getItems();
    const ungraded = judgements.filter((j) => !j.partnerGrade && !j.insufficientEvidence);
    if (ungraded.length) {
      throw new AppError(
        ErrorCode.BAD_USER_INPUT,
        `Grade each heading kept in the note, mark it "insufficient evidence", or leave the heading out: ${ungraded.map((j) => JUDGEMENT_AREA_LABELS[j.area]).join(', ')}.`,
        { field: 'judgements', areas: ungraded.map((j) => j.area.toUpperCase()) },
      );
    }
    // People may have become known since the texts were saved (a school section, an attendee).
    const visit = await note.visit.loadOrFail();
    checkNoNames(partnerTexts(await noteContent(note)), await peopleOf(tx as Em, note, visit), note.confirmedNotNames);
    Object.assign(note, {
      status: NoteStatus.SHARED,
      sharedAt: now,
      firstSharedAt: note.firstSharedAt ?? now,
      headteacherAgreed: null,
      headteacherRespondedAt: null,
    });
    // The headteacher's link to read and answer the draft goes out with the sharing, or not at all.
    if (deps) await deps.sendResponseLink(tx as Em, note, now);
    await noteEvent(tx as Em, note, DomainEventKind.NOTE_SHARED, now);
    return note;
  });
  deps?.outbox.kick();
  return shared;
}

export interface OnBehalfAnswer {
  agreed: boolean;
  comment: string | null;
  reason: string | null;
  judgementComments: { area: JudgementArea; comment: string }[];
}

/**
 * The headteacher answers through their own link. A manager may record an answer
 * on their behalf (given by phone or letter), saying why; partners may not, so a
 * dispute cannot be turned into an agreement by the note's author.
 */
export function recordHeadteacherResponse(em: Em, access: AccessPolicy, id: string, answer: OnBehalfAnswer, now: Date): Promise<NoteOfVisit> {
  if (!access.isManager) {
    throw forbidden('Only the headteacher records their response, through the link they were emailed; a manager may record it on their behalf, with a reason.');
  }
  if (!answer.reason?.trim())
    throw badInput("Say why you are recording the headteacher's response on their behalf (for example, how they gave it): the reason is kept.", 'reason');
  if (!answer.agreed && !answer.comment?.trim() && !answer.judgementComments.length) {
    throw badInput('Record what the headteacher disputes: a comment is needed when they do not agree.', 'comment');
  }
  return em.fork().transactional(async (tx) => {
    const note = await lockNote(tx as Em, access, id);
    requireStatus(note, [NoteStatus.SHARED], 'answered by the headteacher');
    const judgementComments = Object.fromEntries(answer.judgementComments.map((c) => [c.area, c.comment]));
    await recordResponse(
      tx as Em,
      note,
      { agreed: answer.agreed, comment: answer.comment, judgementComments, respondent: null },
      { via: ResponseChannel.MANAGER, by: currentActor().actor, reason: answer.reason },
      now,
    );
    return note;
  });
}

/** A senior adviser settles a dispute; their decision is final and the disagreement stays on record. */
export function moderateNote(em: Em, access: AccessPolicy, id: string, decision: ModerationDecision, comment: string, now: Date): Promise<NoteOfVisit> {
  access.assertManager('moderate a disputed note');
  if (!comment.trim()) throw badInput('Explain the moderation decision: it is kept in the note.', 'comment');
  return em.fork().transactional(async (tx) => {
    const note = await lockNote(tx as Em, access, id);
    requireStatus(note, [NoteStatus.DISPUTED], 'moderated');
    Object.assign(note, {
      status: NoteStatus.MODERATED,
      moderationDecision: decision,
      moderationComment: comment.trim(),
      moderatedBy: signedInPartnerRef(access.principal),
      moderatedAt: now,
    });
    await noteEvent(tx as Em, note, DomainEventKind.NOTE_MODERATED, now);
    return note;
  });
}

/** Agreed or moderated → circulated to its distribution list, and locked; kept as it went out. */
export async function circulateNote(
  em: Em,
  access: AccessPolicy,
  id: string,
  expectedVersion: number,
  deps: NoteWorkflowDeps,
  now: Date,
): Promise<NoteOfVisit> {
  const circulated = await em.fork().transactional(async (tx) => {
    const note = await lockNote(tx as Em, access, id, expectedVersion);
    requireStatus(note, [NoteStatus.AGREED, NoteStatus.MODERATED], 'circulated');
    for (const review of (await note.reviews.load({ populate: ['recommendation'] })).getItems()) {
      if (review.progress) review.recommendation.getEntity().status = STATUS_AFTER_REVIEW[review.progress];
    }
    Object.assign(note, { status: NoteStatus.CIRCULATED, circulatedAt: now, firstCirculatedAt: note.firstCirculatedAt ?? now });
    const revision = Object.assign(new NoteRevision(), {
      note: ref(note),
      revision: note.revision,
      circulatedAt: now,
      circulatedBy: currentActor().actor,
      correctionReason: note.revision > 1 ? note.correctionReason : null,
      content: { ...(await noteContent(note)), draftDueOn: note.draftDueOn, circulationDueOn: note.circulationDueOn },
    });
    tx.persist(revision);
    // One email per recipient, with the revision attached: queued exactly when the circulation is.
    await queueCirculation(tx as Em, deps, note, revision);
    await noteEvent(tx as Em, note, DomainEventKind.NOTE_CIRCULATED, now, { revision: note.revision });
    return note;
  });
  deps.outbox.kick();
  return circulated;
}

/**
 * Reopens a circulated note as its next revision; the circulated one stays, unchanged,
 * in `revisions`. Its deadlines were met (or missed) by the first circulation, which
 * is what the reports count: a correction makes no note late.
 */
export function correctNote(em: Em, access: AccessPolicy, id: string, expectedVersion: number, reason: string, now: Date): Promise<NoteOfVisit> {
  if (!reason.trim()) throw badInput('Say what needs correcting: the reason is kept with the note.', 'reason');
  return em.fork().transactional(async (tx) => {
    const note = await lockNote(tx as Em, access, id, expectedVersion);
    if (note.status !== NoteStatus.CIRCULATED) throw conflict('Only a circulated note is corrected; edit a draft directly.');
    Object.assign(note, { status: NoteStatus.DRAFT, revision: note.revision + 1, correctionReason: reason.trim(), circulatedAt: null, sharedAt: null });
    await noteEvent(tx as Em, note, DomainEventKind.NOTE_CORRECTED, now, { revision: note.revision });
    return note;
  });
}
