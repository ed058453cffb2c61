import { ArrayMaxSize, ArrayMinSize, IsOptional, MaxLength } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { WebhookEventType, WebhookGrant } from './webhook.enums.js';

@InputType({ description: 'A new webhook: where to send which events.' })
export class RegisterWebhookInput {
  @Field({ description: 'An https:// address on the public internet.' })
  @MaxLength(2000)
  url!: string;

  @Field(() => [WebhookEventType])
  @ArrayMinSize(1, { message: 'Choose at least one event type.' })
  @ArrayMaxSize(20)
  eventTypes!: WebhookEventType[];

  @Field(() => String, { nullable: true, description: 'What it is for, for the people who look after it.' })
  @IsOptional()
  @MaxLength(200)
  description?: string | null;

  @Field(() => [WebhookGrant], {
    nullable: true,
    description:
      "The app roles its payloads are built with. A service: among its token's roles (default: all of them). A manager: those the receiving system has been granted (default: none).",
  })
  @IsOptional()
  @ArrayMaxSize(3)
  grants?: WebhookGrant[] | null;
}

@InputType({ description: "Changes to a webhook; what is left out stays as it is. A service's grants are its token's roles again unless it names fewer." })
export class UpdateWebhookInput {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, { nullable: true, description: 'The version you loaded: a change from a stale copy is refused (CONFLICT).' })
  @IsOptional()
  expectedVersion?: number | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(2000)
  url?: string | null;

  @Field(() => [WebhookEventType], { nullable: true })
  @IsOptional()
  @ArrayMinSize(1, { message: 'Choose at least one event type.' })
  @ArrayMaxSize(20)
  eventTypes?: WebhookEventType[] | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(200)
  description?: string | null;

  @Field(() => [WebhookGrant], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(3)
  grants?: WebhookGrant[] | null;

  @Field(() => Boolean, { nullable: true, description: 'False pauses it: nothing is sent, and events meanwhile are not kept for it.' })
  @IsOptional()
  active?: boolean | null;
}
