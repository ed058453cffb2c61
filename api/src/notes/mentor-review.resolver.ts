import { Arg, Ctx, Field, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { Em } from '../platform/db/orm.js';
import type { GraphQLContext } from '../platform/graphql/context.js';
import { findOr404 } from '../platform/graphql/lookup.js';
import { Partner } from '../partners/partner.entity.js';
import { MentorComment } from './mentor-comment.entity.js';
import { MentorReviewStatus } from './mentor-review.rules.js';
import { commentOnFirstNote, mentorCommentsOf, mentorReviewState, notesAwaitingReview, releaseNote, requestMentorReview } from './mentor-review.service.js';
import { NoteOfVisit } from './note-of-visit.entity.js';
import { assertCanReadNote } from './note.access.js';

@ObjectType({ description: "A new partner's first note on its way through their mentor's review (seed 004 section 19)." })
export class MentorReview {
  @Field({ description: 'This note goes to the mentor before it is shared.' })
  required!: boolean;

  @Field(() => MentorReviewStatus)
  status!: MentorReviewStatus;

  @Field(() => Partner, { nullable: true, description: "The author's mentor." })
  mentor!: Partner | null;

  @Field(() => Date, { nullable: true, description: 'When the partner last sent it to the mentor (empty once handed back or released).' })
  requestedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  releasedAt!: Date | null;

  @Field(() => Partner, { nullable: true, description: 'The mentor (or senior adviser) who released it.' })
  releasedBy!: Partner | null;

  @Field(() => [MentorComment], { description: "The mentor's feedback, oldest first: kept as given, whatever the partner saves." })
  comments!: MentorComment[];
}

async function mentorReviewOf(em: Em, noteId: string): Promise<MentorReview> {
  const state = await mentorReviewState(em, noteId);
  const partner = (id: string | null) => (id ? em.findOne(Partner, { id }) : null);
  return Object.assign(new MentorReview(), {
    required: state.required,
    status: state.status,
    mentor: await partner(state.mentorId),
    requestedAt: state.requestedAt,
    releasedAt: state.releasedAt,
    releasedBy: await partner(state.releasedById),
    comments: state.required ? await mentorCommentsOf(em, noteId) : [],
  });
}

@Resolver(() => MentorComment)
export class MentorCommentResolver {
  @FieldResolver(() => Partner, { description: 'The mentor or senior adviser who wrote it.' })
  author(@Root() comment: MentorComment) {
    return comment.author.load();
  }
}

@Resolver(() => NoteOfVisit)
export class MentorReviewResolver {
  @FieldResolver(() => MentorReview, { description: "Whether this is a new partner's first note for their mentor to review, and where the review is." })
  mentorReview(@Root() note: NoteOfVisit, @Ctx() { em }: GraphQLContext) {
    return mentorReviewOf(em, note.id);
  }

  @Query(() => MentorReview, {
    name: 'mentorReview',
    description: "A note's mentor review by the note's id (the note editor asks for it beside the note); whoever may read the note may read it.",
  })
  async mentorReviewOfNote(@Arg('noteId', () => ID) noteId: string, @Ctx() { em, access }: GraphQLContext) {
    const note = await findOr404(em, NoteOfVisit, 'NoteOfVisit', noteId, 'noteId', ['visit']);
    const visit = note.visit.getEntity();
    await assertCanReadNote(access, note, { id: visit.id, schoolId: visit.school.id, leadPartnerId: visit.leadPartner.id }, em);
    return mentorReviewOf(em, note.id);
  }

  @Query(() => [NoteOfVisit], {
    description: "First notes of new partners waiting for the signed-in mentor's review, longest waiting first (a manager sees every one).",
  })
  notesAwaitingMyReview(@Ctx() { em, access }: GraphQLContext) {
    return notesAwaitingReview(em, access);
  }

  @Mutation(() => NoteOfVisit, { description: 'The partner sends their first note (a draft) to their mentor for review before it can be shared.' })
  requestMentorReview(
    @Arg('noteId', () => ID) noteId: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Ctx() { em, access, clock }: GraphQLContext,
  ) {
    return requestMentorReview(em, access, noteId, expectedVersion, clock.now());
  }

  @Mutation(() => NoteOfVisit, { description: 'The mentor (or a senior adviser) gives feedback on a first note and hands it back to its partner to revise.' })
  commentOnFirstNote(@Arg('noteId', () => ID) noteId: string, @Arg('comment') comment: string, @Ctx() { em, access, clock }: GraphQLContext) {
    return commentOnFirstNote(em, access, noteId, comment, clock.now());
  }

  @Mutation(() => NoteOfVisit, {
    description: 'The mentor (or a senior adviser) releases a first note, with an optional last comment: its partner may then share it.',
  })
  releaseNote(
    @Arg('noteId', () => ID) noteId: string,
    @Arg('comment', () => String, { nullable: true }) comment: string | null,
    @Ctx() { em, access, clock }: GraphQLContext,
  ) {
    return releaseNote(em, access, noteId, comment, clock.now());
  }
}
