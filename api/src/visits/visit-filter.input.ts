import { ArrayMaxSize } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { VisitStatus, VisitType } from './visit.enums.js';

@InputType({ description: 'Narrows a list of visits; all given conditions must hold.' })
export class VisitFilter {
  @Field(() => ID, { nullable: true })
  schoolId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Visits led by this partner.' })
  partnerId?: string | null;

  @Field(() => [Int], {
    nullable: true,
    description: 'Visits to schools of these local authorities (the LA code, the first part of a DfE number: 926 of "926/4006").',
  })
  @ArrayMaxSize(200)
  laCode?: number[] | null;

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
