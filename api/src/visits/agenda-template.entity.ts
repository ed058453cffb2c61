import { Embeddable, Embedded, Entity, Enum, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../platform/db/base.entity.js';
import { AgendaOwnerRole, VisitType } from './visit.enums.js';

@ObjectType({ description: 'An item of an agenda template.' })
@Embeddable()
export class AgendaTemplateItem {
  @Field()
  @Property()
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

/**
 * The agenda a visit of a given type starts from. Items are kept as one JSON
 * document: a template is always read and replaced whole.
 */
@ObjectType({ description: 'The starting agenda for a visit type, editable by managers.' })
@Entity({ tableName: 'agenda_template' })
export class AgendaTemplate extends BaseEntity {
  @Field(() => VisitType)
  @Enum({ items: () => VisitType })
  @Unique()
  visitType!: VisitType;

  @Field()
  @Property()
  name!: string;

  @Field()
  @Property({ type: 'text' })
  description!: string;

  @Field({ description: 'A fixed agenda (round table meetings) is used as it is.' })
  @Property()
  fixed: boolean = false;

  @Field(() => [AgendaTemplateItem])
  @Embedded(() => AgendaTemplateItem, { array: true })
  items: AgendaTemplateItem[] = [];

  @Field(() => String, { nullable: true, description: 'Where the template came from (council guidance).' })
  @Property({ type: 'text', nullable: true })
  source?: string | null;

  @Field(() => Int)
  @Property({ version: true })
  version!: number;
}
