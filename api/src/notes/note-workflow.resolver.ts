import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, Float, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { businessDateOf } from '../platform/dates/today.js';
import { badInput } from '../platform/errors.js';
import type { GraphQLContext } from '../platform/graphql/context.js';
import { fromView, type ViewRoot } from '../platform/graphql/read-views.js';
import type { NotesContext } from './notes.context.js';
import { selectionWithin } from '../platform/graphql/selection.js';
import { validateList } from '../platform/graphql/validate-list.js';
import { noteById } from './note.queries.js';
import { School } from '../schools/school.entity.js';
import { JudgementCommentInput, UpdateNoteInput } from './note.input.js';
import { HeadteacherResponse } from './headteacher-response.entity.js';
import { NoteOfVisit } from './note-of-visit.entity.js';
import { NoteRevision } from './note-revision.entity.js';
import { NoteTarget } from './note-target.entity.js';
import { circulateNote, correctNote, moderateNote, recordHeadteacherResponse, shareNote, startNote, updateNote } from './note-workflow.service.js';
import { JUDGEMENT_AREA_LABELS, ModerationDecision } from './note.enums.js';
import { disputedNotes } from './disputed-notes.js';
import { OverdueNotesOfPartner, overdueNotes, OVERDUE_VIEW_FIELDS } from './overdue-notes.queries.js';
import { proportionWords } from './proportions.js';
import { canSeeNote } from './note.access.js';
import { NOTE_TEXT_MAX_LENGTH, REASON_MAX_LENGTH } from './note.rules.js';
import { createSchoolTargetsLoader } from './school-targets.js';

@Resolver(() => NoteOfVisit)
export class NoteWorkflowResolver {
  @Query(() => NoteOfVisit, { nullable: true, description: 'One note of visit; NOT_FOUND when the id is unknown.' })
  async note(@Arg('id', () => ID) id: string, @Ctx() context: GraphQLContext, @Info() info: GraphQLResolveInfo) {
    return noteById(context, id, info);
  }

  @Query(() => [OverdueNotesOfPartner], { description: 'Late notes of visit by partner, most late first (a partner sees their own).' })
  overdueNotes(
    @Arg('partnerId', () => ID, { nullable: true }) partnerId: string | null,
    @Arg('laCode', () => Int, { nullable: true, description: "Only notes of visits to this local authority's schools, e.g. 926." }) laCode: number | null,
    @Ctx() { em, access, clock }: GraphQLContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    return overdueNotes(em, access, { partnerId, laCode }, businessDateOf(clock.now()), selectionWithin(info, OVERDUE_VIEW_FIELDS));
  }

  @Query(() => [NoteOfVisit], {
    description: "Notes the headteacher disputed, awaiting a senior adviser's moderation, longest waiting first (a partner sees their own).",
  })
  disputedNotes(@Ctx() { em, access }: GraphQLContext) {
    return disputedNotes(em, access);
  }

  @Query(() => String, { description: 'The agreed words for a proportion: 97-100% "almost all" … 0-3% "almost none".' })
  proportionWords(@Arg('percent', () => Float) percent: number) {
    if (!(percent >= 0 && percent <= 100)) throw badInput('percent must be from 0 to 100.', 'percent');
    return proportionWords(percent);
  }

  @Mutation(() => NoteOfVisit, {
    description: "Starts the note of a visit that has taken place (or returns it), carrying in the school's open recommendations.",
  })
  startNote(@Arg('visitId', () => ID) visitId: string, @Ctx() { em, access, notes, clock }: NotesContext) {
    return startNote(em, access, visitId, notes.council, clock.now());
  }

  @Mutation(() => NoteOfVisit, { description: 'Saves changes to a draft (or disputed) note; a stale version is refused with CONFLICT.' })
  updateNote(
    @Arg('id', () => ID) id: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Arg('input', () => UpdateNoteInput) input: UpdateNoteInput,
    @Ctx() { em, access }: GraphQLContext,
  ) {
    return updateNote(em, access, id, expectedVersion, input);
  }

  @Mutation(() => NoteOfVisit, {
    description: 'Shares the draft with the headteacher (who is emailed a link to read and answer it), once every carried recommendation is reviewed.',
  })
  shareNote(@Arg('id', () => ID) id: string, @Arg('expectedVersion', () => Int) expectedVersion: number, @Ctx() { em, access, notes, clock }: NotesContext) {
    return shareNote(em, access, id, expectedVersion, notes, clock.now());
  }

  @Mutation(() => NoteOfVisit, {
    description:
      "Managers only: records the headteacher's answer to a shared note on their behalf (agreed, or disputed with comments), with the reason. " +
      'Headteachers answer through the link they are emailed; partners cannot record an answer.',
  })
  async recordHeadteacherResponse(
    @Arg('id', () => ID) id: string,
    @Arg('agreed') agreed: boolean,
    @Arg('comment', () => String, { nullable: true }) comment: string | null,
    @Ctx() { em, access, clock }: GraphQLContext,
    @Arg('reason', () => String, { nullable: true, description: 'Why a manager records it (e.g. "given by phone on 3 March"); required.' })
    reason: string | null,
    @Arg('judgementComments', () => [JudgementCommentInput], { nullable: true, validate: false, description: "The headteacher's comments heading by heading." })
    judgementComments: JudgementCommentInput[] | null,
  ) {
    if ((comment?.length ?? 0) > NOTE_TEXT_MAX_LENGTH) {
      throw badInput(`The headteacher's comment is too long: keep it to ${NOTE_TEXT_MAX_LENGTH} characters.`, 'comment');
    }
    if ((reason?.length ?? 0) > REASON_MAX_LENGTH) throw badInput(`The reason is too long: keep it to ${REASON_MAX_LENGTH} characters.`, 'reason');
    await validateList(judgementComments ?? [], 'judgementComments');
    const twice = (judgementComments ?? []).find((c, i, all) => all.findIndex((o) => o.area === c.area) !== i);
    if (twice) throw badInput(`${JUDGEMENT_AREA_LABELS[twice.area]} has two comments: give one comment per heading.`, 'judgementComments');
    return recordHeadteacherResponse(em, access, id, { agreed, comment, reason, judgementComments: judgementComments ?? [] }, clock.now());
  }

  @Mutation(() => NoteOfVisit, { description: 'A senior adviser settles a disputed note; the disagreement stays in the note.' })
  moderateNote(
    @Arg('id', () => ID) id: string,
    @Arg('decision', () => ModerationDecision) decision: ModerationDecision,
    @Arg('comment') comment: string,
    @Ctx() { em, access, clock }: GraphQLContext,
  ) {
    if (comment.length > NOTE_TEXT_MAX_LENGTH) throw badInput(`comment is at most ${NOTE_TEXT_MAX_LENGTH} characters.`, 'comment');
    return moderateNote(em, access, id, decision, comment, clock.now());
  }

  @Mutation(() => NoteOfVisit, { description: 'Circulates an agreed or moderated note to its distribution list; it is then read-only.' })
  circulateNote(
    @Arg('id', () => ID) id: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Ctx() { em, access, notes, clock }: NotesContext,
  ) {
    return circulateNote(em, access, id, expectedVersion, notes, clock.now());
  }

  @Mutation(() => NoteOfVisit, { description: 'Reopens a circulated note as its next revision for a correction; the circulated revision is kept.' })
  correctNote(
    @Arg('id', () => ID) id: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Arg('reason') reason: string,
    @Ctx() { em, access, clock }: GraphQLContext,
  ) {
    if (reason.length > REASON_MAX_LENGTH) throw badInput(`reason is at most ${REASON_MAX_LENGTH} characters.`, 'reason');
    return correctNote(em, access, id, expectedVersion, reason, clock.now());
  }

  @FieldResolver(() => [NoteRevision], { description: 'Every circulated revision, as it went out.' })
  revisions(@Root() note: ViewRoot<NoteOfVisit>) {
    return fromView(note, 'revisions', async () => (await note.revisions.load()).getItems());
  }

  @FieldResolver(() => [HeadteacherResponse], { description: 'Every answer the headteacher gave to a shared draft, oldest first: a dispute stays on record.' })
  responses(@Root() note: ViewRoot<NoteOfVisit>) {
    return fromView(note, 'responses', async () => (await note.responses.load()).getItems());
  }

  @FieldResolver(() => String, { description: 'Path of the note as a Word document; fetch it with your bearer token.' })
  docxUrl(@Root() note: ViewRoot<NoteOfVisit>) {
    return `/exports/notes/${note.id}/note.docx`;
  }
}

@Resolver(() => NoteTarget)
export class NoteTargetResolver {
  @FieldResolver(() => NoteOfVisit, { description: 'The note the target was agreed in.' })
  note(@Root() target: NoteTarget) {
    return target.note.loadOrFail();
  }

  @FieldResolver(() => School, { description: 'The school the target is for.' })
  async school(@Root() target: NoteTarget) {
    const note = await target.note.loadOrFail();
    return (await note.visit.loadOrFail()).school.loadOrFail();
  }
}

@Resolver(() => School)
export class SchoolTargetsResolver {
  @FieldResolver(() => [NoteTarget], { description: 'Targets agreed in the school’s notes of visit, latest year first; optionally for one year.' })
  async targets(@Root() school: School, @Arg('year', () => Int, { nullable: true }) year: number | null, @Ctx() { access, loaders }: GraphQLContext) {
    await access.assertCanSeeSchoolRecords(school.id);
    const targets = await loaders.get(createSchoolTargetsLoader).load(school.id);
    return targets.filter((t) => (year === null || t.year === year) && canSeeNote(access, t.note.getEntity()));
  }
}
