import { DecimalType, DeferMode, type Ref } from '@mikro-orm/core';
import { Entity, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../platform/db/base.entity.js';
import { NoteOfVisit } from './note-of-visit.entity.js';

/** A target agreed at the autumn visit (seed 000: Key Stage 2 and 4 measures). */
@ObjectType({ description: 'A target for pupil outcomes agreed at the visit.' })
@Entity({ tableName: 'note_target' })
// Checked at commit, so a save can reorder the items in place.
@Unique({ properties: ['note', 'position'], deferMode: DeferMode.INITIALLY_DEFERRED })
export class NoteTarget extends BaseEntity {
  @ManyToOne(() => NoteOfVisit, { ref: true, deleteRule: 'cascade' })
  note!: Ref<NoteOfVisit>;

  @Field(() => Int)
  @Property({ type: 'smallint' })
  position!: number;

  @Field({ description: 'Key stage, e.g. "KS2" or "KS4".' })
  @Property({ length: 8 })
  keyStage!: string;

  @Field({ description: 'The measure, e.g. "% achieving the expected standard in reading, writing and maths".' })
  @Property({ type: 'text' })
  measure!: string;

  @Field(() => Int, { description: 'The summer the cohort is assessed, e.g. 2027.' })
  @Property({ type: 'smallint' })
  year!: number;

  @Field(() => Float, { description: 'Target value, a percentage unless the measure says otherwise.' })
  @Property({ type: new DecimalType('number'), precision: 6, scale: 2 })
  value!: number;
}
