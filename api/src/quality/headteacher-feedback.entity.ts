import type { Ref } from '@mikro-orm/core';
import { Entity, Index, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../platform/db/base.entity.js';
import { Partner } from '../partners/partner.entity.js';
import { School } from '../schools/school.entity.js';

/**
 * A headteacher's feedback on their school's partner (seed 004 section 19: "requests brief
 * feedback on their current SIP which is recorded on a pro forma"), sent through a signed link
 * (school-side/partner-feedback.service.ts). Recorded for the managers: the partner does not
 * read it through this API. Never changed once received.
 */
@ObjectType({ description: "A headteacher's feedback on their school's partner, on the pro forma. Read by senior advisers only." })
@Entity({ tableName: 'headteacher_feedback' })
@Index({ properties: ['partner', 'receivedAt'] })
export class HeadteacherFeedback extends BaseEntity {
  @ManyToOne(() => School, { ref: true, deleteRule: 'cascade', index: true })
  school!: Ref<School>;

  @ManyToOne(() => Partner, { ref: true, deleteRule: 'cascade' })
  partner!: Ref<Partner>;

  @Field(() => Int, { nullable: true, description: 'Challenge and support: 1 (excellent) to 4 (poor); empty when not rated.' })
  @Property({ type: 'smallint', nullable: true })
  challengeAndSupport?: number | null;

  @Field(() => Int, { nullable: true, description: 'Knowledge of the school: 1 (excellent) to 4 (poor).' })
  @Property({ type: 'smallint', nullable: true })
  knowledgeOfSchool?: number | null;

  @Field(() => Int, { nullable: true, description: 'Quality of the notes of visit: 1 (excellent) to 4 (poor).' })
  @Property({ type: 'smallint', nullable: true })
  qualityOfNotes?: number | null;

  @Field(() => Int, { nullable: true, description: 'Communication: 1 (excellent) to 4 (poor).' })
  @Property({ type: 'smallint', nullable: true })
  communication?: number | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  comments?: string | null;

  @Field({ description: 'The name and role the headteacher gave.' })
  @Property({ type: 'text' })
  respondent!: string;

  @Field(() => Date)
  @Property({ type: 'timestamptz' })
  receivedAt!: Date;

  /** The link it came through ("link:<id>"); the link row may be disposed of before this is. */
  @Property()
  recordedBy!: string;

  /** Who asked for it ("partner:<id>"). */
  @Property()
  requestedBy!: string;
}
