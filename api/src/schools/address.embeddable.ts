import { Embeddable, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A postal address in the United Kingdom.' })
@Embeddable()
export class Address {
  @Field()
  @Property()
  line1!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', nullable: true })
  line2?: string | null;

  @Field()
  @Property()
  town!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', nullable: true })
  county?: string | null;

  @Field()
  @Property()
  postcode!: string;

  @Field({ description: 'The address on one line, as it would go in a calendar appointment.' })
  get oneLine(): string {
    return [this.line1, this.line2, this.town, this.county, this.postcode].filter(Boolean).join(', ');
  }
}
