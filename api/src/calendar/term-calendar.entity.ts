import { Embeddable, Embedded, Entity, Enum, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../platform/db/base.entity.js';
import { DateScalar } from '../platform/graphql/scalars.js';

export enum TermSeason {
  AUTUMN = 'autumn',
  SPRING = 'spring',
  SUMMER = 'summer',
}
registerEnumType(TermSeason, { name: 'TermSeason' });

@ObjectType({ description: 'A school term; dates inclusive.' })
@Embeddable()
export class Term {
  @Field({ description: 'e.g. "Term 1" or "Autumn 1".' })
  @Property()
  name!: string;

  @Field(() => TermSeason)
  @Enum({ items: () => TermSeason })
  season!: TermSeason;

  @Field(() => DateScalar)
  @Property({ type: 'date' })
  startsOn!: string;

  @Field(() => DateScalar)
  @Property({ type: 'date' })
  endsOn!: string;
}

@ObjectType({ description: 'A school holiday or closure; dates inclusive.' })
@Embeddable()
export class Holiday {
  @Field({ description: 'e.g. "Christmas", "Half term", "Early May bank holiday".' })
  @Property()
  name!: string;

  @Field(() => DateScalar)
  @Property({ type: 'date' })
  startsOn!: string;

  @Field(() => DateScalar)
  @Property({ type: 'date' })
  endsOn!: string;
}

/** An academic year's terms and holidays, read and replaced whole. */
@ObjectType({ description: "An academic year's terms and holidays." })
@Entity({ tableName: 'term_calendar' })
export class TermCalendar extends BaseEntity {
  @Field({ description: 'e.g. "2026-27".' })
  @Property({ length: 7 })
  @Unique()
  academicYear!: string;

  @Field(() => [Term])
  @Embedded(() => Term, { array: true })
  terms: Term[] = [];

  @Field(() => [Holiday])
  @Embedded(() => Holiday, { array: true })
  holidays: Holiday[] = [];

  @Field(() => Int)
  @Property({ version: true })
  version!: number;
}
