import { Entity, Index, Property } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../platform/db/base.entity.js';
import { WebhookEventType, WebhookGrant } from './webhook.enums.js';

/**
 * A council system's (or a manager's) registration of an https endpoint for some events. The
 * signing secret is made by the server, shown once, and kept only encrypted (webhook-secret.ts).
 */
@ObjectType({ description: 'An endpoint told of events as they happen, signed with its own secret (Standard Webhooks).' })
@Entity({ tableName: 'webhook_subscription' })
@Index({ properties: ['owner'] })
export class WebhookSubscription extends BaseEntity {
  /** `service:<client id>` for a council system, `partner:<id>` for a manager. */
  @Field({ description: 'Who registered it: "service:<client id>" (a council system) or "partner:<id>" (a senior adviser).' })
  @Property({ type: 'string', length: 120 })
  owner!: string;

  @Field({ description: 'Where events are sent (https).' })
  @Property({ type: 'text' })
  url!: string;

  @Field(() => [WebhookEventType])
  @Property({ type: 'json' })
  eventTypes: WebhookEventType[] = [];

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 200, nullable: true })
  description?: string | null;

  @Field(() => [WebhookGrant], {
    description: "The app roles payloads are built with: a service's own roles when it registered or last updated it, or those a manager chose.",
  })
  @Property({ type: 'json' })
  grants: WebhookGrant[] = [];

  @Field({ description: 'False: nothing is sent (events meanwhile are not kept for it).' })
  @Property()
  active: boolean = true;

  /** The signing secret ("whsec_..."), sealed (webhook-secret.ts); never read out, never audited. */
  @Property({ type: 'text', hidden: true })
  secretSealed!: string;

  /** After a rotation, the secret before it: deliveries carry a signature by each until `previousSecretExpiresAt`, so a receiver can switch without a gap. */
  @Property({ type: 'text', hidden: true, nullable: true })
  previousSecretSealed?: string | null;

  @Field(() => Date, { nullable: true, description: 'After a rotation: until then, deliveries are signed with the previous secret too (two signatures).' })
  @Property({ type: 'timestamptz', nullable: true })
  previousSecretExpiresAt?: Date | null;

  /** Events after this one (the newest when it was registered) are delivered: a new subscription is not sent the past. */
  @Property({ type: 'bigint' })
  fromEventId: string = '0';

  @Field(() => Int)
  @Property({ version: true })
  version!: number;
}
