import type { Ref } from '@mikro-orm/core';
import { Entity, Enum, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../platform/db/base.entity.js';
import { DateScalar } from '../platform/graphql/scalars.js';
import { School } from './school.entity.js';
import { SchoolSuccessionKind } from './school.enums.js';

/**
 * One establishment replacing another (an academy conversion gives a new URN and
 * DfE number): both records stay, linked, so history is never lost.
 */
@ObjectType({ description: 'A predecessor/successor link between two establishments.' })
@Entity({ tableName: 'school_succession' })
@Unique({ properties: ['predecessor', 'successor'] })
export class SchoolSuccession extends BaseEntity {
  @ManyToOne(() => School, { ref: true, deleteRule: 'restrict' })
  predecessor!: Ref<School>;

  @ManyToOne(() => School, { ref: true, deleteRule: 'restrict', index: true })
  successor!: Ref<School>;

  @Field(() => SchoolSuccessionKind)
  @Enum({ items: () => SchoolSuccessionKind })
  kind!: SchoolSuccessionKind;

  @Field(() => DateScalar, { nullable: true, description: 'The date the successor took over.' })
  @Property({ type: 'date', nullable: true })
  effectiveOn?: string | null;

  @Field(() => String, { nullable: true, description: 'Academy sponsor or trust, for sponsored conversions.' })
  @Property({ type: 'string', nullable: true })
  sponsor?: string | null;
}
