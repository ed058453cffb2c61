import type { Ref } from '@mikro-orm/core';
import { Entity, Index, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../platform/db/base.entity.js';
import { Partner } from '../partners/partner.entity.js';
import { Visit } from '../visits/visit.entity.js';

/**
 * A shadowing visit (seed 004 section 19): a reviewer (the shadower) goes with a partner on one
 * of their visits, gives oral feedback at the end and written feedback within five working days.
 * The shadower is an attendee of the visit, so it is in their visit list and calendar. A
 * cancelled visit cancels its shadowing (shadowing.rules.ts); a moved one moves its due date
 * until the feedback is given.
 */
@ObjectType({ description: "A shadowing of a partner's visit, with the shadower's written feedback (due within five working days)." })
@Entity({ tableName: 'shadowing' })
// One shadower per visit and person: booking the same shadowing twice finds the first.
@Unique({ properties: ['visit', 'shadower'] })
@Index({ properties: ['shadowedPartner', 'createdAt'] })
export class Shadowing extends BaseEntity {
  @ManyToOne(() => Visit, { ref: true, deleteRule: 'cascade', index: true })
  visit!: Ref<Visit>;

  /** The visit's lead partner when the shadowing was booked: whose work is observed. */
  @ManyToOne(() => Partner, { ref: true, deleteRule: 'restrict' })
  shadowedPartner!: Ref<Partner>;

  @ManyToOne(() => Partner, { ref: true, deleteRule: 'restrict', index: true })
  shadower!: Ref<Partner>;

  /** As booked, then as judged when the feedback is given; read through shadowing.rules.ts's effectiveDueOn (a moved visit moves it until then). */
  @Property({ type: 'date' })
  feedbackDueOn!: string;

  @Field(() => String, { nullable: true, description: "The shadower's written feedback, visible to the shadowed partner." })
  @Property({ type: 'text', nullable: true })
  feedback?: string | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  feedbackGivenAt?: Date | null;

  /** Who wrote the feedback (the shadower, or a manager on their behalf). */
  @ManyToOne(() => Partner, { ref: true, nullable: true, deleteRule: 'set null' })
  givenBy?: Ref<Partner> | null;

  /** Who booked it ("partner:<id>"). */
  @Property()
  bookedBy!: string;

  @Field(() => Int, { description: 'Incremented on every change; send it back to prove an edit is not stale.' })
  @Property({ version: true })
  version!: number;
}
