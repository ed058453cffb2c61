import { LockMode, ref } from '@mikro-orm/core';
import type { AccessPolicy } from '../platform/auth/access-policy.js';
import type { Em, ReadDb } from '../platform/db/orm.js';
import { checkVersion } from '../platform/db/versioning.js';
import { DomainEventKind, recordEvent } from '../platform/events/domain-events.js';
import { badInput, conflict, forbidden, notFound } from '../platform/errors.js';
import { checkId } from '../platform/graphql/lookup.js';
import { signedInPartnerRef } from '../partners/signed-in-partner.js';
import { MentorComment } from './mentor-comment.entity.js';
import { MentorCommentKind, MentorReviewStatus, mentorReviewStatus, needsMentorReview, notReleasedWords } from './mentor-review.rules.js';
import { NoteOfVisit } from './note-of-visit.entity.js';
import { assertCanEditNote } from './note.access.js';
import { NoteStatus } from './note.enums.js';
import { NOTE_TEXT_MAX_LENGTH } from './note.rules.js';

/** Where a note stands in its mentor's review: the facts (one statement) and the rule's answer. */
export interface MentorReviewState {
  required: boolean;
  status: MentorReviewStatus;
  mentorId: string | null;
  mentorName: string | null;
  requestedAt: Date | null;
  releasedAt: Date | null;
  releasedById: string | null;
}

const STATE_SQL = `select a.mentor_id, m.name as mentor_name, n.first_shared_at, n.mentor_review_requested_at, n.mentor_released_at, n.mentor_released_by_id,
    exists (select 1 from note_of_visit o where o.author_id = n.author_id and o.id <> n.id and o.first_shared_at is not null) as other_shared,
    (select count(*) from mentor_comment c where c.note_id = n.id)::int as comments
  from note_of_visit n join partner a on a.id = n.author_id left join partner m on m.id = a.mentor_id where n.id = ?`;

/** Inside a transaction the statement must run in it (an entity manager's execute); elsewhere any connection will do. */
function run(db: Em | ReadDb, sql: string, params: unknown[]): Promise<Record<string, unknown>[]> {
  return 'execute' in db ? db.execute<Record<string, unknown>[]>(sql, params) : db.getConnection().execute<Record<string, unknown>[]>(sql, params);
}

export async function mentorReviewState(db: Em | ReadDb, noteId: string): Promise<MentorReviewState> {
  const [row] = await run(db, STATE_SQL, [noteId]);
  if (!row) throw notFound('NoteOfVisit', noteId);
  const at = (v: unknown) => (v ? new Date(v as string) : null);
  const requestedAt = at(row.mentor_review_requested_at);
  const releasedAt = at(row.mentor_released_at);
  const commentCount = Number(row.comments);
  const required = needsMentorReview({
    hasMentor: !!row.mentor_id,
    thisNoteShared: !!row.first_shared_at,
    otherNoteShared: row.other_shared === true || row.other_shared === 't',
    reviewBegun: !!requestedAt || !!releasedAt || commentCount > 0,
  });
  return {
    required,
    status: mentorReviewStatus(required, { requestedAt, releasedAt, commentCount }),
    mentorId: (row.mentor_id as string | null) ?? null,
    mentorName: (row.mentor_name as string | null) ?? null,
    requestedAt,
    releasedAt,
    releasedById: (row.mentor_released_by_id as string | null) ?? null,
  };
}

/**
 * shareNote's door: a first note is shared only once its mentor released it (CONFLICT otherwise,
 * with what to do). Called inside the sharing's transaction, after the note's row is locked.
 */
export async function assertReleasedForSharing(tx: Em, note: NoteOfVisit): Promise<void> {
  const state = await mentorReviewState(tx, note.id);
  if (!state.required || state.status === MentorReviewStatus.RELEASED) return;
  throw conflict(notReleasedWords(state.mentorName ?? 'your mentor', state.status), { mentorReview: state.status.toUpperCase() });
}

async function lockForReview(tx: Em, id: string): Promise<NoteOfVisit> {
  const note = await tx.findOne(NoteOfVisit, { id: checkId(id) }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!note) throw notFound('NoteOfVisit', id);
  return note;
}

/** The author's mentor, or a manager; never the author themselves (nobody releases their own first note). */
function assertMentorOrManager(access: AccessPolicy, note: NoteOfVisit, state: MentorReviewState, action: string): void {
  const me = access.principal.kind === 'person' ? access.principal.partnerId : null;
  if (!me) throw forbidden('Services can read through this API but not change anything.');
  if (me === note.author.id) throw forbidden(`Your first note is reviewed by your mentor: you cannot ${action} it yourself.`);
  if (access.isManager || (state.mentorId && me === state.mentorId)) return;
  throw forbidden(`Only the author's mentor${state.mentorName ? `, ${state.mentorName},` : ''} or a senior adviser can ${action} this note.`);
}

function event(tx: Em, note: NoteOfVisit, kind: DomainEventKind, state: MentorReviewState, now: Date): void {
  const visit = note.visit.getEntity();
  recordEvent(tx, { kind, noteId: note.id, visitId: visit.id, schoolId: visit.school.id, partnerId: note.author.id, data: { mentorId: state.mentorId } }, now);
}

function checkComment(comment: string | null | undefined, required: boolean): string | null {
  const text = comment?.trim() ?? '';
  if (required && !text) throw badInput('Write your feedback for the partner: it is kept with the note.', 'comment');
  if (text.length > NOTE_TEXT_MAX_LENGTH) throw badInput(`The comment is too long: keep it to ${NOTE_TEXT_MAX_LENGTH} characters.`, 'comment');
  return text || null;
}

/** The partner sends their first note to their mentor (a draft only). */
export function requestMentorReview(em: Em, access: AccessPolicy, id: string, expectedVersion: number, now: Date): Promise<NoteOfVisit> {
  return em.fork().transactional(async (tx) => {
    const note = await lockForReview(tx as Em, id);
    assertCanEditNote(access, note);
    checkVersion(note, expectedVersion, 'note');
    if (note.status !== NoteStatus.DRAFT) throw conflict(`This note is ${note.status}: only a draft goes to a mentor for review.`);
    const state = await mentorReviewState(tx as Em, note.id);
    if (!state.required || !state.mentorId) throw conflict('This note does not need a mentor’s review: share it when it is ready.');
    if (state.status === MentorReviewStatus.RELEASED) throw conflict('Your mentor has already released this note: you can share it.');
    if (state.status === MentorReviewStatus.AWAITING_MENTOR) throw conflict(`This note is already with your mentor, ${state.mentorName}.`);
    note.mentorReviewRequestedAt = now;
    await note.visit.load();
    event(tx as Em, note, DomainEventKind.NOTE_AWAITING_MENTOR, state, now);
    return note;
  });
}

/** The mentor gives developmental feedback and hands the note back to its partner to revise. */
export function commentOnFirstNote(em: Em, access: AccessPolicy, id: string, comment: string, now: Date): Promise<NoteOfVisit> {
  const text = checkComment(comment, true)!;
  return em.fork().transactional(async (tx) => {
    const note = await lockForReview(tx as Em, id);
    const state = await mentorReviewState(tx as Em, note.id);
    assertMentorOrManager(access, note, state, 'comment on');
    if (state.status !== MentorReviewStatus.AWAITING_MENTOR) {
      throw conflict(
        state.status === MentorReviewStatus.RELEASED
          ? 'This note was already released: it is the partner’s to share.'
          : 'This note is not waiting for a review: the partner is revising it and will send it again.',
      );
    }
    tx.persist(
      Object.assign(new MentorComment(), {
        note: ref(note),
        author: signedInPartnerRef(access.principal)!,
        kind: MentorCommentKind.HANDED_BACK,
        comment: text,
      }),
    );
    note.mentorReviewRequestedAt = null;
    await note.visit.load();
    event(tx as Em, note, DomainEventKind.NOTE_MENTOR_COMMENTED, state, now);
    return note;
  });
}

/** The mentor (or a manager) releases the first note, with an optional last comment: from now on it may be shared. */
export function releaseNote(em: Em, access: AccessPolicy, id: string, comment: string | null, now: Date): Promise<NoteOfVisit> {
  const text = checkComment(comment, false);
  return em.fork().transactional(async (tx) => {
    const note = await lockForReview(tx as Em, id);
    const state = await mentorReviewState(tx as Em, note.id);
    assertMentorOrManager(access, note, state, 'release');
    if (!state.required) throw conflict('This note does not need a mentor’s review.');
    if (state.status === MentorReviewStatus.RELEASED) throw conflict('This note was already released.');
    if (note.status !== NoteStatus.DRAFT) throw conflict(`This note is ${note.status}: only a draft is released.`);
    if (text)
      tx.persist(
        Object.assign(new MentorComment(), { note: ref(note), author: signedInPartnerRef(access.principal)!, kind: MentorCommentKind.RELEASED, comment: text }),
      );
    Object.assign(note, { mentorReviewRequestedAt: null, mentorReleasedAt: now, mentorReleasedBy: signedInPartnerRef(access.principal) });
    await note.visit.load();
    event(tx as Em, note, DomainEventKind.NOTE_MENTOR_RELEASED, state, now);
    return note;
  });
}

/**
 * First notes waiting for the signed-in person's review, longest waiting first: their mentees'
 * for a partner; every one for a manager (who may review in a mentor's place).
 */
export async function notesAwaitingReview(em: Em, access: AccessPolicy): Promise<NoteOfVisit[]> {
  if (access.principal.kind !== 'person') return [];
  const where = access.isManager
    ? { mentorReviewRequestedAt: { $ne: null }, status: NoteStatus.DRAFT }
    : { mentorReviewRequestedAt: { $ne: null }, status: NoteStatus.DRAFT, author: { mentor: access.principal.partnerId } };
  return em.find(NoteOfVisit, where, { orderBy: { mentorReviewRequestedAt: 'asc', id: 'asc' }, populate: ['author', 'visit.school'] });
}

export async function mentorCommentsOf(em: Em, noteId: string): Promise<MentorComment[]> {
  return em.find(MentorComment, { note: noteId }, { orderBy: { createdAt: 'asc', id: 'asc' }, populate: ['author'] });
}
