import { ArrayMaxSize, IsEmail, IsOptional, Length, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Field, Float, ID, InputType, Int } from 'type-graphql';
import { DateScalar } from '../graphql/scalars.js';
import { EvidenceBasis, JudgementArea, RecipientRole, ReviewProgress } from './note.enums.js';

const TEXT = 8000;

@InputType({ description: 'A judgement against one heading; leave a heading out to omit it.' })
export class JudgementInput {
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

  @Field({ defaultValue: false })
  insufficientEvidence: boolean = false;

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

@InputType({ description: 'Changes to a draft note. A list given replaces the one in the note; a list left out stays as it is.' })
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

  @Field(() => String, {
    nullable: true,
    description: 'Managers only: allow more than four recommendations in this note, saying why (recorded).',
  })
  @IsOptional()
  @Length(1, 1000)
  allowMoreRecommendationsBecause?: string | null;
}
