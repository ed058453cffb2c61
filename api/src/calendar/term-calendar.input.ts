import { ArrayMaxSize, ArrayMinSize, Length, ValidateNested } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { DateScalar } from '../platform/graphql/scalars.js';
import { TermSeason } from './term-calendar.entity.js';

@InputType()
export class TermInput {
  @Field({ description: 'e.g. "Autumn 1" or "Term 1".' })
  @Length(1, 60)
  name!: string;

  @Field(() => TermSeason)
  season!: TermSeason;

  @Field(() => DateScalar)
  startsOn!: string;

  @Field(() => DateScalar)
  endsOn!: string;
}

@InputType()
export class HolidayInput {
  @Field({ description: 'e.g. "Christmas", "October half term", "Early May bank holiday".' })
  @Length(1, 60)
  name!: string;

  @Field(() => DateScalar)
  startsOn!: string;

  @Field(() => DateScalar)
  endsOn!: string;
}

@InputType({ description: "An academic year's terms and holidays, replacing any already recorded for it." })
export class TermCalendarInput {
  @Field({ description: 'e.g. "2026-27".' })
  academicYear!: string;

  @Field(() => [TermInput])
  @ArrayMinSize(1, { message: 'a calendar needs at least one term' })
  @ArrayMaxSize(6, { message: 'a calendar has at most six terms' })
  @ValidateNested({ each: true })
  terms!: TermInput[];

  @Field(() => [HolidayInput])
  @ArrayMaxSize(40)
  @ValidateNested({ each: true })
  holidays!: HolidayInput[];

  @Field(() => Int, { nullable: true, description: 'The version you loaded, when replacing a calendar.' })
  expectedVersion?: number | null;
}
