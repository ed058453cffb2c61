import type { Ref } from '@mikro-orm/core';
import { Entity, ManyToOne, OneToOne, Property } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../platform/db/base.entity.js';
import { NoteOfVisit } from '../notes/note-of-visit.entity.js';
import { Partner } from '../partners/partner.entity.js';
import { NoteSampleMember } from './note-sample.entity.js';
import { ProFormaCriterion, ProFormaScaleLevel } from './pro-forma.entity.js';

@ObjectType({ description: 'The score given on one criterion of the pro forma.' })
export class EvaluationScore {
  @Field()
  criterionKey!: string;

  @Field({ description: "The criterion's label as it was when the evaluation was given." })
  criterion!: string;

  @Field(() => Int)
  score!: number;

  @Field({ description: 'The score\'s label on the scale, e.g. "Met".' })
  scoreLabel!: string;

  @Field(() => String, { nullable: true })
  comment!: string | null;
}

/**
 * A manager's evaluation of a sampled note on the pro forma: given once, then visible to the
 * note's partner and never changed (a correction would be a new evaluation of a new sample). The
 * pro forma's criteria and scale are copied in, so editing the pro forma changes no evaluation.
 */
@ObjectType({ description: "A manager's evaluation of a sampled note on the pro forma: feedback for its partner, kept as given." })
@Entity({ tableName: 'note_evaluation' })
export class NoteEvaluation extends BaseEntity {
  @OneToOne(() => NoteSampleMember, { ref: true, owner: true, unique: true, deleteRule: 'cascade' })
  sampleMember!: Ref<NoteSampleMember>;

  @ManyToOne(() => NoteOfVisit, { ref: true, deleteRule: 'cascade', index: true })
  note!: Ref<NoteOfVisit>;

  /** The note's author: whose feedback this is. */
  @ManyToOne(() => Partner, { ref: true, deleteRule: 'restrict', index: true })
  partner!: Ref<Partner>;

  @Field({ description: 'The pro forma it was given on.' })
  @Property()
  proFormaName!: string;

  @Field(() => [ProFormaCriterion], { description: "The pro forma's criteria as they were when it was given." })
  @Property({ type: 'json' })
  criteria!: ProFormaCriterion[];

  @Field(() => [ProFormaScaleLevel])
  @Property({ type: 'json' })
  scale!: ProFormaScaleLevel[];

  @Field(() => [EvaluationScore])
  @Property({ type: 'json' })
  scores!: EvaluationScore[];

  @Field({ description: 'The overall feedback for the partner.' })
  @Property({ type: 'text' })
  summary!: string;

  @ManyToOne(() => Partner, { ref: true, deleteRule: 'restrict' })
  givenBy!: Ref<Partner>;

  @Field(() => Date)
  @Property({ type: 'timestamptz' })
  givenAt!: Date;
}
