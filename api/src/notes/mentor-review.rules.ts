import { registerEnumType } from 'type-graphql';

/**
 * Which notes go to a mentor before they are shared (seed 004 section 19: "mentor to review the
 * first SIP NOV and provide developmental feedback"). The rule, exactly:
 *
 * A note needs its author's mentor's review when
 * - its author has a mentor (`Partner.mentor`), and
 * - the note has never been shared (a correction of a shared note is not a first note), and
 * - no OTHER note of the author's was ever shared (`firstSharedAt`): the first note a partner
 *   shares is their first note. A partner who shared notes before a mentor was set is not new,
 *   so setting a mentor later does not hold back their work. With two drafts open, both wait
 *   for the mentor until one of them is shared.
 *
 * Once a review has begun (requested, commented on or released) the note stays "required",
 * whatever happens to the author's other notes: the trail is part of its story.
 */
export interface MentorReviewFacts {
  hasMentor: boolean;
  /** This note was shared at least once. */
  thisNoteShared: boolean;
  /** Another note of the same author was shared at least once. */
  otherNoteShared: boolean;
  /** A review was requested, commented on or released. */
  reviewBegun: boolean;
}

export function needsMentorReview(facts: MentorReviewFacts): boolean {
  if (facts.reviewBegun) return true;
  return facts.hasMentor && !facts.thisNoteShared && !facts.otherNoteShared;
}

/** Where a first note is in its review. */
export enum MentorReviewStatus {
  /** Not a first note (or the author has no mentor). */
  NOT_REQUIRED = 'not_required',
  /** A first note its partner is still writing; not yet sent to the mentor. */
  NOT_REQUESTED = 'not_requested',
  /** With the mentor. */
  AWAITING_MENTOR = 'awaiting_mentor',
  /** The mentor commented and handed it back to revise (the partner may send it again). */
  HANDED_BACK = 'handed_back',
  /** The mentor released it: it may be shared. */
  RELEASED = 'released',
}
registerEnumType(MentorReviewStatus, { name: 'MentorReviewStatus', description: "Where a new partner's first note is in its mentor's review." });

export enum MentorCommentKind {
  HANDED_BACK = 'handed_back',
  RELEASED = 'released',
}
registerEnumType(MentorCommentKind, { name: 'MentorCommentKind' });

export function mentorReviewStatus(required: boolean, state: { requestedAt: Date | null; releasedAt: Date | null; commentCount: number }): MentorReviewStatus {
  if (!required) return MentorReviewStatus.NOT_REQUIRED;
  if (state.releasedAt) return MentorReviewStatus.RELEASED;
  if (state.requestedAt) return MentorReviewStatus.AWAITING_MENTOR;
  return state.commentCount ? MentorReviewStatus.HANDED_BACK : MentorReviewStatus.NOT_REQUESTED;
}

/** The words shareNote answers with when a first note has not been released. */
export function notReleasedWords(mentorName: string, status: MentorReviewStatus): string {
  if (status === MentorReviewStatus.AWAITING_MENTOR) {
    return `This is your first note: it is with your mentor, ${mentorName}, for review. Share it once they release it.`;
  }
  return `This is your first note: send it to your mentor, ${mentorName}, for review first (Send to my mentor). Share it once they release it.`;
}
