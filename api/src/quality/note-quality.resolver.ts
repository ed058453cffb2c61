import { Arg, Ctx, Field, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../platform/graphql/context.js';
import { forbidden } from '../platform/errors.js';
import { checkId } from '../platform/graphql/lookup.js';
import { NoteOfVisit } from '../notes/note-of-visit.entity.js';
import { Partner } from '../partners/partner.entity.js';
import { NoteEvaluation } from './note-evaluation.entity.js';
import { NoteSample, NoteSampleMember } from './note-sample.entity.js';
import { evaluationsOf, noteQualityReport, noteSamples } from './note-quality.queries.js';
import { activeProForma, drawNoteSample, evaluateSampledNote, saveProForma } from './note-quality.service.js';
import { DEFAULT_PRO_FORMA_ID } from './pro-forma.defaults.js';
import { QualityProForma } from './pro-forma.entity.js';
import { DrawNoteSampleInput, EvaluateSampledNoteInput, SaveProFormaInput } from './quality.input.js';

@ObjectType({ description: "A partner's line in the note quality report for an academic year." })
export class PartnerNoteQuality {
  @Field(() => Partner)
  partner!: Partner;

  @Field(() => Int, { description: 'Notes of visits in the year that were circulated.' })
  notesCirculated!: number;

  @Field(() => Int, { description: "Distinct notes in the year's samples." })
  notesSampled!: number;

  @Field(() => Int, { description: 'Evaluations (feedback) given in the year.' })
  evaluationsGiven!: number;

  @Field(() => Date, { nullable: true, description: 'When they last had feedback on a note, in any year.' })
  lastFeedbackAt!: Date | null;

  @Field({ description: 'They had feedback on their notes this academic year (the handbook: at least once a year).' })
  feedbackThisYear!: boolean;
}

@Resolver(() => QualityProForma)
export class QualityProFormaResolver {
  @Query(() => QualityProForma, { description: "The pro forma new evaluations are given on (the handbook's default until a manager saves one)." })
  qualityProForma(@Ctx() { em }: GraphQLContext) {
    return activeProForma(em);
  }

  @Mutation(() => QualityProForma, {
    description: 'Managers: saves a new version of the pro forma and makes it active; evaluations already given keep theirs.',
  })
  saveQualityProForma(@Arg('input', () => SaveProFormaInput) input: SaveProFormaInput, @Ctx() { em, access }: GraphQLContext) {
    return saveProForma(em, access, input);
  }

  @FieldResolver(() => Boolean, { description: "False for the handbook's default, not yet saved by a manager." })
  saved(@Root() proForma: QualityProForma) {
    return proForma.id !== DEFAULT_PRO_FORMA_ID;
  }
}

@Resolver(() => NoteSample)
export class NoteSampleResolver {
  @Query(() => [NoteSample], { description: 'Managers: the samples drawn for an academic year, newest first.' })
  noteSamples(@Arg('academicYear') academicYear: string, @Ctx() { em, access }: GraphQLContext) {
    return noteSamples(em, access, academicYear);
  }

  @Mutation(() => NoteSample, {
    description: 'Managers: draws circulated notes of the year, stratified by partner and visit type, reproducibly from its seed; each draw is a new sample.',
  })
  drawNoteSample(@Arg('input', () => DrawNoteSampleInput) input: DrawNoteSampleInput, @Ctx() { em, access, clock }: GraphQLContext) {
    return drawNoteSample(em, access, input, clock.now());
  }

  @FieldResolver(() => Partner)
  drawnBy(@Root() sample: NoteSample) {
    return sample.drawnBy.load();
  }

  @FieldResolver(() => [NoteSampleMember])
  async members(@Root() sample: NoteSample) {
    return (await sample.members.load()).getItems();
  }
}

@Resolver(() => NoteSampleMember)
export class NoteSampleMemberResolver {
  @FieldResolver(() => NoteOfVisit)
  note(@Root() member: NoteSampleMember) {
    return member.note.load();
  }

  @FieldResolver(() => Partner, { description: "The note's author." })
  partner(@Root() member: NoteSampleMember) {
    return member.partner.load();
  }

  @FieldResolver(() => NoteEvaluation, { nullable: true, description: 'The evaluation given on this note, if any.' })
  evaluation(@Root() member: NoteSampleMember, @Ctx() { em }: GraphQLContext) {
    return em.findOne(NoteEvaluation, { sampleMember: member.id });
  }

  @Mutation(() => NoteEvaluation, {
    description: 'Managers: scores a sampled note on the active pro forma; the partner sees it at once. Given once, never changed.',
  })
  evaluateSampledNote(@Arg('input', () => EvaluateSampledNoteInput) input: EvaluateSampledNoteInput, @Ctx() { em, access, clock }: GraphQLContext) {
    return evaluateSampledNote(em, access, input, clock.now());
  }
}

@Resolver(() => NoteEvaluation)
export class NoteEvaluationResolver {
  @Query(() => [NoteEvaluation], { description: 'The feedback given on your notes of visit, newest first.' })
  myNoteEvaluations(@Ctx() { em, principal }: GraphQLContext) {
    return principal.kind === 'person' ? evaluationsOf(em, principal.partnerId) : [];
  }

  @Query(() => [NoteEvaluation], { description: "Managers: the feedback given on a partner's notes, newest first." })
  noteEvaluations(@Arg('partnerId', () => ID) partnerId: string, @Ctx() { em, access }: GraphQLContext) {
    if (!access.isManager && !(access.principal.kind === 'person' && access.principal.partnerId === partnerId)) {
      throw forbidden("The feedback on a partner's notes is for them and senior advisers.");
    }
    return evaluationsOf(em, checkId(partnerId, 'partnerId'));
  }

  @Query(() => [PartnerNoteQuality], {
    description: 'Managers: per active partner, notes circulated, sampled and evaluated this academic year, and their last feedback.',
  })
  async noteQualityReport(@Arg('academicYear') academicYear: string, @Ctx() { em, access }: GraphQLContext) {
    const rows = await noteQualityReport(em, access, academicYear);
    return rows.map((r) => Object.assign(new PartnerNoteQuality(), { ...r, feedbackThisYear: r.evaluationsGiven > 0 }));
  }

  @FieldResolver(() => NoteOfVisit)
  note(@Root() evaluation: NoteEvaluation) {
    return evaluation.note.load();
  }

  @FieldResolver(() => Partner, { description: 'Whose note it is.' })
  partner(@Root() evaluation: NoteEvaluation) {
    return evaluation.partner.load();
  }

  @FieldResolver(() => Partner, { description: 'The senior adviser who gave it.' })
  givenBy(@Root() evaluation: NoteEvaluation) {
    return evaluation.givenBy.load();
  }
}
