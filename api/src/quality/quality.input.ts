import { ArrayMaxSize, ArrayMinSize, IsOptional, Length, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { NOTE_TEXT_MAX_LENGTH } from '../notes/note.rules.js';
import { MAX_PER_PARTNER } from './sampling.rules.js';

const LABEL = 200;
const GUIDANCE = 1000;

@InputType()
export class DrawNoteSampleInput {
  @Field({ description: 'e.g. "2026-27": circulated notes of visits in that academic year.' })
  @MaxLength(20)
  academicYear!: string;

  @Field(() => Int, { nullable: true, description: 'Notes per partner (default 1).' })
  @IsOptional()
  @Min(1, { message: 'draw at least one note per partner' })
  @Max(MAX_PER_PARTNER, { message: `draw at most ${MAX_PER_PARTNER} notes per partner` })
  perPartner?: number | null;

  @Field(() => String, { nullable: true, description: 'Draw with this seed to repeat a draw; left out, a new seed is chosen and kept with the sample.' })
  @IsOptional()
  @Length(1, 64, { message: 'a seed is 1 to 64 characters' })
  seed?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Leave out partners already sampled in an earlier draw this academic year.' })
  skipSampledPartners?: boolean | null;
}

@InputType()
export class EvaluationScoreInput {
  @Field({ description: "The criterion's key on the active pro forma." })
  @MaxLength(LABEL)
  criterion!: string;

  @Field(() => Int)
  @Min(0)
  @Max(100)
  score!: number;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(NOTE_TEXT_MAX_LENGTH)
  comment?: string | null;
}

@InputType()
export class EvaluateSampledNoteInput {
  @Field(() => ID)
  sampleMemberId!: string;

  @Field(() => [EvaluationScoreInput], { description: 'One score for each criterion of the active pro forma.' })
  @ArrayMaxSize(50)
  @ValidateNested()
  scores!: EvaluationScoreInput[];

  @Field({ description: 'The overall feedback for the partner.' })
  @Length(1, NOTE_TEXT_MAX_LENGTH, { message: `the summary is 1 to ${NOTE_TEXT_MAX_LENGTH} characters` })
  summary!: string;
}

@InputType()
export class ProFormaCriterionInput {
  @Field({ description: 'A short stable key, e.g. "evaluative" (letters, digits and dashes).' })
  @Matches(/^[a-z0-9-]{1,40}$/, { message: 'a key is 1 to 40 lower-case letters, digits or dashes' })
  key!: string;

  @Field()
  @Length(1, LABEL)
  label!: string;

  @Field()
  @MaxLength(GUIDANCE)
  guidance!: string;
}

@InputType()
export class ProFormaScaleLevelInput {
  @Field(() => Int)
  @Min(0)
  @Max(100)
  score!: number;

  @Field()
  @Length(1, LABEL)
  label!: string;
}

@InputType({ description: 'A new version of the pro forma; it becomes the active one. Evaluations already given keep the version they were given on.' })
export class SaveProFormaInput {
  @Field()
  @Length(1, LABEL)
  name!: string;

  @Field(() => [ProFormaCriterionInput])
  @ArrayMinSize(1)
  @ArrayMaxSize(30)
  @ValidateNested()
  criteria!: ProFormaCriterionInput[];

  @Field(() => [ProFormaScaleLevelInput], { description: 'From the lowest score to the highest.' })
  @ArrayMinSize(2)
  @ArrayMaxSize(10)
  @ValidateNested()
  scale!: ProFormaScaleLevelInput[];
}
