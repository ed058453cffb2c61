import { DeferMode, type Ref } from '@mikro-orm/core';
import { Entity, Enum, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../platform/db/base.entity.js';
import { EvidenceBasis, JudgementArea } from './note.enums.js';
import { NoteOfVisit } from './note-of-visit.entity.js';

@ObjectType({ simpleResolvers: true, description: 'An evaluative finding, marked as reported by the school or observed first hand.' })
@Entity({ tableName: 'finding' })
// Checked at commit, so a save can reorder the items in place.
@Unique({ properties: ['note', 'position'], deferMode: DeferMode.INITIALLY_DEFERRED })
export class Finding extends BaseEntity {
  @ManyToOne(() => NoteOfVisit, { ref: true, deleteRule: 'cascade' })
  note!: Ref<NoteOfVisit>;

  @Field(() => Int)
  @Property({ type: 'smallint' })
  position!: number;

  @Field(() => JudgementArea, { nullable: true })
  @Enum({ items: () => JudgementArea, nullable: true })
  area?: JudgementArea | null;

  @Field()
  @Property({ type: 'text' })
  text!: string;

  @Field(() => EvidenceBasis)
  @Enum({ items: () => EvidenceBasis })
  evidenceBasis!: EvidenceBasis;
}
