import { IsNotEmpty, Length } from 'class-validator';
import { Arg, Ctx, Field, ID, InputType, Mutation, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../platform/graphql/context.js';
import { DateScalar } from '../platform/graphql/scalars.js';
import { RiskCategoryAssessment } from '../schools/risk-category-assessment.entity.js';
import { RiskCategory } from '../schools/school.enums.js';
import { assessRiskCategory } from './risk-assessment.service.js';

@InputType()
class AssessRiskCategoryInput {
  @Field(() => ID)
  schoolId!: string;

  @Field(() => RiskCategory)
  category!: RiskCategory;

  @Field(() => DateScalar, { description: 'When the category takes effect: on or after the current one’s date.' })
  effectiveFrom!: string;

  @Field({ description: 'Why the school is in this category: the evidence behind the judgement (kept with it).' })
  @IsNotEmpty()
  @Length(1, 4000)
  rationale!: string;
}

@Resolver(() => RiskCategoryAssessment)
export class RiskAssessmentResolver {
  @Mutation(() => RiskCategoryAssessment, {
    description: "Records a new assessment of a school's risk category (managers); the history is kept and the latest is current.",
  })
  assessRiskCategory(@Arg('input', () => AssessRiskCategoryInput) input: AssessRiskCategoryInput, @Ctx() { em, access, clock }: GraphQLContext) {
    return assessRiskCategory(em, access, input, clock.now());
  }
}
