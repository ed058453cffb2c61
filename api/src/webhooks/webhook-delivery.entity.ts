import type { Ref } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../platform/db/base.entity.js';
import { WebhookDeliveryStatus, WebhookEventType } from './webhook.enums.js';
import { WebhookSubscription } from './webhook-subscription.entity.js';

/**
 * One event for one subscription: made with the event's claim (webhook-events.ts), sent and retried
 * by webhook-sender.ts. The body is kept as sent (signed bytes, the same on a replay, with the same
 * webhook-id) until retention disposes of it: it may name people (records/retention.rules.ts).
 */
@ObjectType({ description: 'An event sent (or to be sent) to a webhook subscription, with its attempts.' })
@Entity({ tableName: 'webhook_delivery' })
@Unique({ properties: ['subscription', 'eventId'] })
@Index({ name: 'webhook_delivery_due_index', properties: ['status', 'nextAttemptAt'] })
@Index({ properties: ['subscription', 'createdAt'] })
export class WebhookDelivery extends BaseEntity {
  @ManyToOne(() => WebhookSubscription, { ref: true, deleteRule: 'cascade' })
  subscription!: Ref<WebhookSubscription>;

  /** The domain event's id. */
  @Property({ type: 'bigint' })
  eventId!: string;

  @Field(() => WebhookEventType)
  @Enum({ items: () => WebhookEventType })
  eventType!: WebhookEventType;

  @Field({ description: 'The webhook-id header: the same on every attempt and replay, so a receiver can ignore what it has had.' })
  @Property({ type: 'string', length: 60 })
  webhookId!: string;

  @Field({ description: 'When the event happened (the payload\'s "timestamp").' })
  @Property({ type: 'timestamptz' })
  occurredAt!: Date;

  @Field({ description: 'The body as sent (JSON).' })
  @Property({ type: 'text' })
  payload!: string;

  @Field(() => WebhookDeliveryStatus)
  @Enum({ items: () => WebhookDeliveryStatus })
  status: WebhookDeliveryStatus = WebhookDeliveryStatus.PENDING;

  @Field(() => Int, { description: 'Attempts made since it was made or last replayed.' })
  @Property({ type: 'smallint' })
  attemptCount: number = 0;

  @Field(() => Date, { nullable: true, description: 'When it is tried next (PENDING only).' })
  @Property({ type: 'timestamptz', nullable: true })
  nextAttemptAt?: Date | null;

  /** An attempt under way holds the delivery until then (another instance leaves it alone). */
  @Property({ type: 'timestamptz', nullable: true })
  leaseUntil?: Date | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  deliveredAt?: Date | null;
}

/** One try at sending a delivery: when, how it went. Never the response's body (a receiver's words are not ours to keep). */
@ObjectType({ description: 'One attempt at sending a delivery.' })
@Entity({ tableName: 'webhook_attempt' })
export class WebhookAttempt extends BaseEntity {
  @ManyToOne(() => WebhookDelivery, { ref: true, deleteRule: 'cascade', index: true })
  delivery!: Ref<WebhookDelivery>;

  @Field()
  @Property({ type: 'timestamptz' })
  attemptedAt!: Date;

  @Field(() => Int, { nullable: true, description: "The receiver's HTTP status; null when it did not answer." })
  @Property({ type: 'smallint', nullable: true })
  httpStatus?: number | null;

  @Field(() => Int, { description: 'How long the attempt took, in milliseconds.' })
  @Property({ type: 'integer' })
  durationMs!: number;

  @Field(() => String, { nullable: true, description: 'Why it failed, in a few words (no response body).' })
  @Property({ type: 'string', length: 300, nullable: true })
  error?: string | null;
}
