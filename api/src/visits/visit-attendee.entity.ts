import type { Ref } from '@mikro-orm/core';
import { Entity, Enum, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../platform/db/base.entity.js';
import { Partner } from '../partners/partner.entity.js';
import { AttendeeRole } from './visit.enums.js';
import { Visit } from './visit.entity.js';

/** Someone attending a visit besides its lead partner. */
@ObjectType({ description: 'A person attending a visit (headteacher, governor, officer, another partner).' })
@Entity({ tableName: 'visit_attendee' })
@Unique({ properties: ['visit', 'position'] })
export class VisitAttendee extends BaseEntity {
  @ManyToOne(() => Visit, { ref: true, deleteRule: 'cascade' })
  visit!: Ref<Visit>;

  @Field(() => Int)
  @Property({ type: 'smallint' })
  position!: number;

  @Field()
  @Property()
  name!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', nullable: true })
  email?: string | null;

  @Field(() => AttendeeRole)
  @Enum({ items: () => AttendeeRole })
  role!: AttendeeRole;

  /** Set when the attendee is one of the council's partners. */
  @ManyToOne(() => Partner, { ref: true, nullable: true, deleteRule: 'set null', index: true })
  partner?: Ref<Partner> | null;
}
