import { DecimalType, type Ref } from '@mikro-orm/core';
import { Entity, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, Float, ObjectType } from 'type-graphql';
import { BaseEntity } from '../platform/db/base.entity.js';
import { School } from '../schools/school.entity.js';
import { Partner } from './partner.entity.js';

/** A partner's assignment to a school for one academic year, with a time budget. */
@ObjectType({ description: "A partner's allocation to a school for an academic year." })
@Entity({ tableName: 'allocation' })
@Unique({ properties: ['school', 'partner', 'academicYear'] })
export class Allocation extends BaseEntity {
  @ManyToOne(() => Partner, { ref: true, deleteRule: 'restrict', index: true })
  partner!: Ref<Partner>;

  @ManyToOne(() => School, { ref: true, deleteRule: 'restrict' })
  school!: Ref<School>;

  @Field({ description: 'Academic year, e.g. "2026-27".' })
  @Property({ length: 7 })
  academicYear!: string;

  @Field(() => Float, { description: 'Days allocated (in school and out of school), e.g. 5, or 6 for a partner new to the school.' })
  @Property({ type: new DecimalType('number'), precision: 4, scale: 1 })
  days!: number;

  @Field(() => String, { nullable: true, description: 'Why the allocation differs from the standard, e.g. "intensive support (+2)".' })
  @Property({ type: 'string', nullable: true })
  reason?: string | null;
}
