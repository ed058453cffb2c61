import type { Ref } from '@mikro-orm/core';
import { Entity, Enum, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../platform/db/base.entity.js';
import { JudgementArea, ResponseChannel } from './note.enums.js';
import { NoteOfVisit } from './note-of-visit.entity.js';

@ObjectType({ description: "The headteacher's comment on one heading of the draft." })
export class JudgementComment {
  @Field(() => JudgementArea)
  area!: JudgementArea;

  @Field()
  comment!: string;
}

/**
 * One answer of the headteacher to a shared draft, kept for good: a dispute stays
 * part of the record after moderation, correction and circulation. Written only
 * through the headteacher's link, or by a manager on their behalf with a reason.
 */
@ObjectType({ description: "The headteacher's answer to a shared draft: agreed, or disputed with comments. Never changed once recorded." })
@Entity({ tableName: 'headteacher_response' })
export class HeadteacherResponse extends BaseEntity {
  @ManyToOne(() => NoteOfVisit, { ref: true, deleteRule: 'cascade', index: true })
  note!: Ref<NoteOfVisit>;

  @Field(() => Int, { description: 'The revision of the note the headteacher answered.' })
  @Property({ type: 'smallint' })
  revision!: number;

  @Field()
  @Property()
  agreed!: boolean;

  @Field(() => String, { nullable: true, description: 'Their overall comment.' })
  @Property({ type: 'text', nullable: true })
  comment?: string | null;

  @Field(() => [JudgementComment], { description: 'Their comments heading by heading.' })
  @Property({ type: 'json' })
  judgementComments: JudgementComment[] = [];

  @Field(() => String, { nullable: true, description: 'The name the respondent gave.' })
  @Property({ type: 'text', nullable: true })
  respondent?: string | null;

  @Field(() => ResponseChannel)
  @Enum({ items: () => ResponseChannel })
  recordedVia!: ResponseChannel;

  @Field({ description: 'Who recorded it: "link:<id>" for the headteacher\'s own link, "partner:<id>" for a manager.' })
  @Property()
  recordedBy!: string;

  @Field(() => String, { nullable: true, description: "Why a manager recorded it on the headteacher's behalf." })
  @Property({ type: 'text', nullable: true })
  reason?: string | null;

  @Field(() => Date)
  @Property({ type: 'timestamptz' })
  respondedAt!: Date;
}
