import type { Ref } from '@mikro-orm/core';
import { Collection } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, OneToMany, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../platform/db/base.entity.js';
import { Allocation } from './allocation.entity.js';
import { PartnerRole } from './partner.enums.js';

@ObjectType({ simpleResolvers: true, description: 'A council adviser who visits schools, or a manager of advisers.' })
@Entity({ tableName: 'partner' })
// In order of change, from the index alone: lists with changedSince (platform/pagination/change-order.ts).
@Index({ properties: ['updatedAt', 'id'] })
export class Partner extends BaseEntity {
  @Field()
  @Property()
  name!: string;

  @Field({ description: 'Microsoft 365 sign-in address, stored in lower case.' })
  @Property()
  @Unique()
  email!: string;

  @Field(() => PartnerRole)
  @Enum({ items: () => PartnerRole })
  role: PartnerRole = PartnerRole.PARTNER;

  @Field(() => String, { nullable: true, description: 'Who employs them: the council, or a contracted consultancy.' })
  @Property({ type: 'string', nullable: true })
  employer?: string | null;

  @ManyToOne(() => Partner, { ref: true, nullable: true, deleteRule: 'set null' })
  mentor?: Ref<Partner> | null;

  @Field({ description: 'False once the partner has left; their records stay.' })
  @Property()
  active: boolean = true;

  @OneToMany(() => Allocation, (a) => a.partner)
  allocations = new Collection<Allocation>(this);
}
