import type { Ref } from '@mikro-orm/core';
import { Check, Entity, Enum, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../platform/db/base.entity.js';
import { EvidenceBasis, JudgementArea } from './note.enums.js';
import { NoteOfVisit } from './note-of-visit.entity.js';

@ObjectType({ simpleResolvers: true, description: "A graded judgement against one inspection heading: the school's view and the partner's." })
@Entity({ tableName: 'judgement' })
@Unique({ properties: ['note', 'area'] })
@Check({ name: 'judgement_school_grade_range', expression: 'school_grade >= 1 and school_grade <= 4' })
@Check({ name: 'judgement_partner_grade_range', expression: 'partner_grade >= 1 and partner_grade <= 4' })
export class Judgement extends BaseEntity {
  @ManyToOne(() => NoteOfVisit, { ref: true, deleteRule: 'cascade' })
  note!: Ref<NoteOfVisit>;

  @Field(() => JudgementArea)
  @Enum({ items: () => JudgementArea })
  area!: JudgementArea;

  @Field(() => Int, { nullable: true, description: "The school's own grade, 1 (outstanding) to 4 (inadequate)." })
  @Property({ type: 'smallint', nullable: true })
  schoolGrade?: number | null;

  @Field(() => Int, { nullable: true, description: "The partner's grade, 1 to 4; empty when the evidence is insufficient." })
  @Property({ type: 'smallint', nullable: true })
  partnerGrade?: number | null;

  @Field({ description: 'The evidence was insufficient to corroborate a grade.' })
  @Property()
  insufficientEvidence: boolean = false;

  @Field(() => EvidenceBasis, { nullable: true })
  @Enum({ items: () => EvidenceBasis, nullable: true })
  evidenceBasis?: EvidenceBasis | null;

  @Field(() => String, { nullable: true, description: 'Why the partner differs from the school, required when the grades differ.' })
  @Property({ type: 'text', nullable: true })
  disagreementReason?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  commentary?: string | null;

  @Field(() => String, { nullable: true, description: "The headteacher's comment on this judgement when responding to the draft." })
  @Property({ type: 'text', nullable: true })
  headteacherComment?: string | null;
}
