import { DeferMode, type Ref } from '@mikro-orm/core';
import { Entity, Enum, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../platform/db/base.entity.js';
import { DateScalar } from '../platform/graphql/scalars.js';
import { RecommendationStatus } from './note.enums.js';
import { NoteOfVisit } from './note-of-visit.entity.js';

/** A SMART recommendation; carried into the school's next note, where its progress is reviewed. */
@ObjectType({ simpleResolvers: true, description: 'A SMART recommendation, carried into the next note of visit for review.' })
@Entity({ tableName: 'recommendation' })
// Checked at commit, so a save can reorder the items in place.
@Unique({ properties: ['note', 'position'], deferMode: DeferMode.INITIALLY_DEFERRED })
export class Recommendation extends BaseEntity {
  @ManyToOne(() => NoteOfVisit, { ref: true, deleteRule: 'cascade' })
  note!: Ref<NoteOfVisit>;

  @Field(() => Int)
  @Property({ type: 'smallint' })
  position!: number;

  @Field({ description: 'What is to be done (specific, achievable, realistic).' })
  @Property({ type: 'text' })
  action!: string;

  @Field({ description: 'How success will be measured.' })
  @Property({ type: 'text' })
  successMeasure!: string;

  @Field({ description: 'Owner by role, e.g. "Headteacher" (never a name).' })
  @Property()
  ownerRole!: string;

  @Field(() => String, { nullable: true, description: 'Owner initials, e.g. "J.S."' })
  @Property({ type: 'string', length: 12, nullable: true })
  ownerInitials?: string | null;

  @Field(() => DateScalar)
  @Property({ type: 'date' })
  dueOn!: string;

  @Field(() => RecommendationStatus)
  @Enum({ items: () => RecommendationStatus })
  status: RecommendationStatus = RecommendationStatus.OPEN;
}
