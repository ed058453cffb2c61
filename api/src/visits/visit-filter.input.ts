import { ArrayMaxSize } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { VisitStatus, VisitType } from './visit.enums.js';

@InputType({ description: 'Narrows a list of visits; all given conditions must hold.' })
export class VisitFilter {
  @Field(() => ID, { nullable: true })
  schoolId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Visits led by this partner.' })
  partnerId?: string | null;

  @Field(() => [VisitType], { nullable: true })
  @ArrayMaxSize(20)
  type?: VisitType[] | null;

  @Field(() => [VisitStatus], { nullable: true })
  @ArrayMaxSize(10)
  status?: VisitStatus[] | null;

  @Field(() => Date, { nullable: true, description: 'Visits starting at or after this instant.' })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Visits starting before this instant.' })
  to?: Date | null;
}
