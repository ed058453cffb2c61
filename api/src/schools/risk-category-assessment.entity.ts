import type { Ref } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../platform/db/base.entity.js';
import { DateScalar } from '../platform/graphql/scalars.js';
import { Partner } from '../partners/partner.entity.js';
import { School } from './school.entity.js';
import { RiskCategory } from './school.enums.js';

/**
 * One assessment of a school's risk category. Assessments are never edited or
 * deleted: the history is the record, and the latest effective one is current.
 */
@ObjectType({ description: "An assessment of a school's risk category (confidential)." })
@Entity({ tableName: 'risk_category_assessment' })
@Index({ properties: ['school', 'effectiveFrom'] })
export class RiskCategoryAssessment extends BaseEntity {
  @ManyToOne(() => School, { ref: true, deleteRule: 'restrict' })
  school!: Ref<School>;

  @Field(() => RiskCategory)
  @Enum({ items: () => RiskCategory })
  category!: RiskCategory;

  @Field(() => DateScalar)
  @Property({ type: 'date' })
  effectiveFrom!: string;

  @Field({ description: 'Why the school is in this category: the evidence behind the judgement.' })
  @Property({ type: 'text' })
  rationale!: string;

  @ManyToOne(() => Partner, { ref: true, deleteRule: 'restrict', index: true })
  assessedBy!: Ref<Partner>;
}
