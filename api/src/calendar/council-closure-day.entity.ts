import { Entity, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../platform/db/base.entity.js';
import { DateScalar } from '../platform/graphql/scalars.js';

/**
 * A day the council closes of its own accord (a Christmas shutdown, an extra day
 * at Easter). Working-day deadlines skip it as they skip weekends and bank holidays.
 * One row per day; added and removed by managers, audited as every write is.
 */
@ObjectType({
  description: 'A day the council is closed (e.g. a Christmas shutdown): working-day deadlines skip it, as they skip weekends and bank holidays.',
})
@Entity({ tableName: 'council_closure_day' })
export class CouncilClosureDay extends BaseEntity {
  @Field(() => DateScalar)
  @Property({ type: 'date', unique: true })
  date!: string;

  @Field(() => String, { description: 'Why the council is closed, e.g. "Christmas shutdown".' })
  @Property({ length: 200 })
  reason!: string;
}
