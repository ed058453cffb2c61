import { ArrayMaxSize, MaxLength } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { RiskCategory, SchoolPhase, SchoolStatus, SchoolType } from './school.enums.js';

@InputType({ description: 'Narrows a list of schools; all given conditions must hold.' })
export class SchoolFilter {
  @Field(() => String, {
    nullable: true,
    description: 'Part of the name, a URN, a DfE number ("926/4006") or an establishment number ("4006").',
  })
  @MaxLength(100, { message: 'search must be at most 100 characters' })
  search?: string | null;

  @Field(() => [SchoolPhase], { nullable: true })
  @ArrayMaxSize(20)
  phase?: SchoolPhase[] | null;

  @Field(() => [SchoolType], { nullable: true })
  @ArrayMaxSize(20)
  type?: SchoolType[] | null;

  @Field(() => String, { nullable: true, description: 'District, exactly as recorded (case-insensitive).' })
  @MaxLength(100, { message: 'district must be at most 100 characters' })
  district?: string | null;

  @Field(() => [Int], {
    nullable: true,
    description: 'Local authorities, by LA code (the first part of a DfE number: 926 of "926/4006").',
  })
  @ArrayMaxSize(200)
  laCode?: number[] | null;

  @Field(() => [RiskCategory], { nullable: true, description: 'Current risk category.' })
  @ArrayMaxSize(20)
  riskCategory?: RiskCategory[] | null;

  @Field(() => [SchoolStatus], { nullable: true })
  @ArrayMaxSize(20)
  status?: SchoolStatus[] | null;
}
