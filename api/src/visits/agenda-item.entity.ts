import type { Ref } from '@mikro-orm/core';
import { Entity, Enum, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../platform/db/base.entity.js';
import { AgendaOwnerRole } from './visit.enums.js';
import { Visit } from './visit.entity.js';

@ObjectType({ simpleResolvers: true, description: "An item of a visit's agenda." })
@Entity({ tableName: 'agenda_item' })
@Unique({ properties: ['visit', 'position'] })
export class AgendaItem extends BaseEntity {
  @ManyToOne(() => Visit, { ref: true, deleteRule: 'cascade' })
  visit!: Ref<Visit>;

  @Field(() => Int, { description: 'Order in the agenda, from 1.' })
  @Property({ type: 'smallint' })
  position!: number;

  @Field()
  @Property({ length: 200 })
  title!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  detail?: string | null;

  @Field(() => AgendaOwnerRole)
  @Enum({ items: () => AgendaOwnerRole })
  ownerRole!: AgendaOwnerRole;

  @Field(() => Int, { nullable: true })
  @Property({ type: 'smallint', nullable: true })
  minutes?: number | null;
}
