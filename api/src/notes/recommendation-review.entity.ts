import type { Ref } from '@mikro-orm/core';
import { Entity, Enum, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../platform/db/base.entity.js';
import { ReviewProgress } from './note.enums.js';
import { NoteOfVisit } from './note-of-visit.entity.js';
import { Recommendation } from './recommendation.entity.js';

/** A later note's review of a recommendation carried from an earlier note. */
@ObjectType({ simpleResolvers: true, description: 'The review, in a later note, of a recommendation carried from an earlier one.' })
@Entity({ tableName: 'recommendation_review' })
@Unique({ properties: ['note', 'recommendation'] })
export class RecommendationReview extends BaseEntity {
  @ManyToOne(() => NoteOfVisit, { ref: true, deleteRule: 'cascade' })
  note!: Ref<NoteOfVisit>;

  @ManyToOne(() => Recommendation, { ref: true, deleteRule: 'restrict', index: true })
  recommendation!: Ref<Recommendation>;

  @Field(() => ReviewProgress, { nullable: true, description: 'Empty until the partner has reviewed it.' })
  @Enum({ items: () => ReviewProgress, nullable: true })
  progress?: ReviewProgress | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  comment?: string | null;
}
