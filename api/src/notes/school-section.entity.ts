import type { Ref } from '@mikro-orm/core';
import { Embeddable, Embedded, Entity, Enum, OneToOne, Property } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../platform/db/base.entity.js';
import { JudgementArea } from './note.enums.js';
import { Visit } from '../visits/visit.entity.js';

@ObjectType({ description: "The school's own grade and evidence for one inspection heading." })
@Embeddable()
export class SchoolSelfEvaluation {
  @Field(() => JudgementArea)
  @Enum({ items: () => JudgementArea })
  area!: JudgementArea;

  @Field(() => Int, { nullable: true, description: '1 (outstanding) to 4 (inadequate); empty when the school does not grade it.' })
  @Property({ type: 'smallint', nullable: true })
  grade?: number | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  evidence?: string | null;
}

/**
 * The visit record's school section (seed 001): completed by the school before
 * the visit, through a link, without an account. Its grades become the school's
 * view in the note's judgements.
 */
@ObjectType({ description: "The school's section of the visit record, completed before the visit." })
@Entity({ tableName: 'school_section' })
export class SchoolSection extends BaseEntity {
  @OneToOne(() => Visit, { ref: true, owner: true, unique: true, deleteRule: 'cascade' })
  visit!: Ref<Visit>;

  @Field(() => [SchoolSelfEvaluation])
  @Embedded(() => SchoolSelfEvaluation, { array: true })
  selfEvaluation: SchoolSelfEvaluation[] = [];

  @Field(() => String, { nullable: true, description: 'The evidence the school will show on the day.' })
  @Property({ type: 'text', nullable: true })
  evidenceToShow?: string | null;

  @Field(() => String, { nullable: true, description: 'What the school wants from the visit.' })
  @Property({ type: 'text', nullable: true })
  wantsFromVisit?: string | null;

  @Field({ description: 'Who completed it, as they gave it (name and role).' })
  @Property()
  completedBy!: string;

  @Field(() => Date)
  @Property({ type: 'timestamptz' })
  submittedAt!: Date;
}
