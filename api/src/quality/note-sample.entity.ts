import { Collection, type Ref } from '@mikro-orm/core';
import { Entity, Enum, ManyToOne, OneToMany, Property } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../platform/db/base.entity.js';
import { NoteOfVisit } from '../notes/note-of-visit.entity.js';
import { Partner } from '../partners/partner.entity.js';
import { VisitType } from '../visits/visit.enums.js';

/**
 * A draw of circulated notes for a manager to evaluate (quality/sampling.rules.ts). Kept with its
 * seed: the same seed over the same circulated notes draws the same notes, so a sample can be
 * shown to be fair after the fact. Drawing again for a year adds another sample.
 */
@ObjectType({ description: 'Circulated notes of an academic year drawn for quality evaluation, stratified by partner and visit type.' })
@Entity({ tableName: 'note_sample' })
export class NoteSample extends BaseEntity {
  @Field({ description: 'e.g. "2026-27".' })
  @Property({ length: 7, index: true })
  academicYear!: string;

  @Field({ description: 'The seed of the draw: the same seed over the same circulated notes draws the same sample.' })
  @Property({ length: 64 })
  seed!: string;

  @Field(() => Int, { description: 'Notes drawn for each partner (fewer when a partner has fewer).' })
  @Property({ type: 'smallint' })
  perPartner!: number;

  @Field({ description: 'Partners already sampled in an earlier draw of the year were left out.' })
  @Property()
  skippedSampledPartners: boolean = false;

  @ManyToOne(() => Partner, { ref: true, deleteRule: 'restrict' })
  drawnBy!: Ref<Partner>;

  @Field(() => Date)
  @Property({ type: 'timestamptz' })
  drawnAt!: Date;

  @OneToMany(() => NoteSampleMember, (m) => m.sample, { orderBy: { position: 'asc' } })
  members = new Collection<NoteSampleMember>(this);
}

@ObjectType({ description: 'One note drawn in a sample.' })
@Entity({ tableName: 'note_sample_member' })
export class NoteSampleMember extends BaseEntity {
  @ManyToOne(() => NoteSample, { ref: true, deleteRule: 'cascade', index: true })
  sample!: Ref<NoteSample>;

  @ManyToOne(() => NoteOfVisit, { ref: true, deleteRule: 'cascade', index: true })
  note!: Ref<NoteOfVisit>;

  /** The note's author, the partner whose work is sampled. */
  @ManyToOne(() => Partner, { ref: true, deleteRule: 'restrict', index: true })
  partner!: Ref<Partner>;

  @Field(() => VisitType)
  @Enum({ items: () => VisitType })
  visitType!: VisitType;

  @Field(() => Int, { description: 'Order in the sample: by partner, then as drawn.' })
  @Property({ type: 'smallint' })
  position!: number;
}
