import { MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { PartnerRole } from './partner.enums.js';

@InputType({ description: 'Narrows a list of partners.' })
export class PartnerFilter {
  @Field(() => String, { nullable: true, description: 'Part of the name or email address.' })
  @MaxLength(100, { message: 'search must be at most 100 characters' })
  search?: string | null;

  @Field(() => PartnerRole, { nullable: true })
  role?: PartnerRole | null;

  @Field(() => Boolean, { nullable: true, description: 'Only partners still in post (true) or only those who left (false).' })
  active?: boolean | null;
}
