import { ArrayMaxSize, IsEmail, IsOptional, Length, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Field, Float, ID, InputType, Int } from 'type-graphql';
import { DateScalar } from '../platform/graphql/scalars.js';
import { EvidenceBasis, JudgementArea, RecipientRole, ReviewProgress } from './note.enums.js';
import { NOTE_TEXT_MAX_LENGTH } from './note.rules.js';

const TEXT = NOTE_TEXT_MAX_LENGTH;

@InputType({ description: 'A judgement against one heading; leave a heading out to omit it.' })
export class JudgementInput {
  @Field(() => ID, { nullable: true, description: 'The judgement to change; without it, the judgement of this heading (added when the note has none).' })
  id?: string | null;

  @Field(() => JudgementArea)
  area!: JudgementArea;

  @Field(() => Int, { nullable: true, description: "The school's grade, 1 (outstanding) to 4 (inadequate)." })
  @IsOptional()
  @Min(1, { message: 'grades run from 1 to 4' })
  @Max(4, { message: 'grades run from 1 to 4' })
  schoolGrade?: number | null;

  @Field(() => Int, { nullable: true, description: "The partner's grade, 1 to 4; leave empty when the evidence is insufficient." })
  @IsOptional()
  @Min(1, { message: 'grades run from 1 to 4' })
  @Max(4, { message: 'grades run from 1 to 4' })
  partnerGrade?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'The evidence was insufficient to grade; left out, it stays as it is (a new judgement: false).' })
  insufficientEvidence?: boolean | null;

  @Field(() => EvidenceBasis, { nullable: true })
  evidenceBasis?: EvidenceBasis | null;

  @Field(() => String, { nullable: true, description: 'Required when the partner’s grade differs from the school’s.' })
  @IsOptional()
  @MaxLength(TEXT)
  disagreementReason?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(TEXT)
  commentary?: string | null;
}

@InputType()
export class FindingInput {
  @Field(() => ID, { nullable: true, description: 'The finding to change; leave it out to add a new one.' })
  id?: string | null;

  @Field(() => JudgementArea, { nullable: true })
  area?: JudgementArea | null;

  @Field()
  @Length(1, TEXT, { message: `a finding is 1 to ${TEXT} characters` })
  text!: string;

  @Field(() => EvidenceBasis, { description: 'Reported by the school, or observed first hand.' })
  evidenceBasis!: EvidenceBasis;
}

@InputType({ description: 'A SMART recommendation: what, how success is measured, who (by role), by when.' })
export class RecommendationInput {
  @Field(() => ID, { nullable: true, description: 'The recommendation to change; leave it out to add a new one.' })
  id?: string | null;

  @Field()
  @Length(1, 2000, { message: 'a recommendation’s action is 1 to 2000 characters' })
  action!: string;

  @Field()
  @Length(1, 2000, { message: 'a recommendation needs a success measure (1 to 2000 characters)' })
  successMeasure!: string;

  @Field({ description: 'e.g. "Headteacher", "Mathematics subject leader".' })
  @Length(1, 100, { message: 'a recommendation needs an owner role' })
  ownerRole!: string;

  @Field(() => String, { nullable: true, description: 'e.g. "J.S."' })
  @IsOptional()
  @Matches(/^([A-Z]\.){1,4}$/, { message: 'owner initials are written like "J.S."' })
  ownerInitials?: string | null;

  @Field(() => DateScalar)
  dueOn!: string;
}

@InputType({ description: "The headteacher's comment on one heading, recorded by a manager on their behalf." })
export class JudgementCommentInput {
  @Field(() => JudgementArea)
  area!: JudgementArea;

  @Field()
  @Length(1, TEXT, { message: `a comment is 1 to ${TEXT} characters` })
  comment!: string;
}

@InputType({ description: 'Progress on a recommendation carried from the previous note.' })
export class ReviewInput {
  @Field(() => ID, { description: 'The carried recommendation.' })
  recommendationId!: string;

  @Field(() => ReviewProgress)
  progress!: ReviewProgress;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(TEXT)
  comment?: string | null;
}

@InputType({ description: 'A target for pupil outcomes (seed 000: Key Stage 2 and 4 measures, as percentages).' })
export class TargetInput {
  @Field(() => ID, { nullable: true, description: 'The target to change; leave it out to add a new one.' })
  id?: string | null;

  @Field({ description: 'e.g. "KS2" or "KS4".' })
  @Matches(/^KS[1-5]$/, { message: 'keyStage is written "KS2" or "KS4"' })
  keyStage!: string;

  @Field()
  @Length(1, 300)
  measure!: string;

  @Field(() => Int, { description: 'The summer the cohort is assessed.' })
  @Min(2000)
  @Max(2100)
  year!: number;

  @Field(() => Float, { description: 'Percentage, 0 to 100.' })
  @Min(0, { message: 'a target is a percentage from 0 to 100' })
  @Max(100, { message: 'a target is a percentage from 0 to 100' })
  value!: number;
}

@InputType()
export class RecipientInput {
  @Field(() => ID, { nullable: true, description: 'The recipient to change; leave it out to add a new one.' })
  id?: string | null;

  @Field(() => RecipientRole)
  role!: RecipientRole;

  @Field()
  @Length(1, 200)
  name!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsEmail({}, { message: 'a recipient’s email must be an email address' })
  email?: string | null;
}

@InputType({
  description:
    'Changes to a draft note. Each list changes the items it names by id (a judgement also by its heading) and adds those sent without an id; ' +
    'an item is deleted only when its id is in `remove`, so items not sent stay as they are. A list that names every item the note keeps ' +
    'also sets their order; otherwise items keep their places and new ones go at the end.',
})
export class UpdateNoteInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(TEXT)
  purpose?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(TEXT)
  summary?: string | null;

  @Field(() => [JudgementInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(5)
  @ValidateNested({ each: true })
  judgements?: JudgementInput[] | null;

  @Field(() => [FindingInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(40)
  @ValidateNested({ each: true })
  findings?: FindingInput[] | null;

  @Field(() => [RecommendationInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  recommendations?: RecommendationInput[] | null;

  @Field(() => [ReviewInput], { nullable: true, description: 'Progress on carried recommendations (each updates its review).' })
  @IsOptional()
  @ArrayMaxSize(40)
  @ValidateNested({ each: true })
  reviews?: ReviewInput[] | null;

  @Field(() => [TargetInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  targets?: TargetInput[] | null;

  @Field(() => [RecipientInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  distribution?: RecipientInput[] | null;

  @Field(() => [ID], { nullable: true, description: 'Ids of judgements, findings, recommendations, targets or recipients to delete from the note.' })
  @IsOptional()
  @ArrayMaxSize(100)
  remove?: string[] | null;

  @Field(() => [String], {
    nullable: true,
    description: "Phrases the no-names rule flagged that the partner confirms are not people's names (recorded on the note, and let through).",
  })
  @IsOptional()
  @ArrayMaxSize(50)
  @MaxLength(200, { each: true, message: 'a phrase confirmed as not a name is at most 200 characters' })
  notNames?: string[] | null;

  @Field(() => String, {
    nullable: true,
    description: 'Managers only: allow more than four recommendations in this note, saying why (recorded).',
  })
  @IsOptional()
  @Length(1, 1000)
  allowMoreRecommendationsBecause?: string | null;
}
