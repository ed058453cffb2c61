import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/** Webhooks' place in the domain events (platform/events/event-consumer.ts): the low-water mark. */
@Entity({ tableName: 'webhook_cursor' })
export class WebhookCursor {
  @PrimaryKey({ type: 'smallint', autoincrement: false })
  id!: number;

  @Property({ type: 'bigint' })
  below: string = '0';
}

/** One domain event handled by webhooks (its deliveries made); `id` is the event's. */
@Entity({ tableName: 'webhook_event_claim' })
export class WebhookEventClaim {
  @PrimaryKey({ type: 'bigint', autoincrement: false })
  id!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  handledAt!: Date;
}
