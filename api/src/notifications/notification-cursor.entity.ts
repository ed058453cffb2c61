import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * The notifications consumer's place in the domain events. Events are claimed one by one
 * (notification_event_claim, a row per event handled, inserted in the transaction that makes its
 * notifications), and `below` is a low-water mark: every event at or below it has been handled, so the
 * claims under it need not be read again. A sequence's ids can commit out of order (a transaction that
 * took id 7 may commit after one that took id 8), so the mark only passes events handled a while ago.
 */
@Entity({ tableName: 'notification_cursor' })
export class NotificationCursor {
  /** One row (1): the consumer's. */
  @PrimaryKey({ type: 'smallint', autoincrement: false })
  id!: number;

  @Property({ type: 'bigint' })
  below: string = '0';
}

/** One domain event handled by notifications (see NotificationCursor); `id` is the event's. */
@Entity({ tableName: 'notification_event_claim' })
export class NotificationEventClaim {
  @PrimaryKey({ type: 'bigint', autoincrement: false })
  id!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  handledAt!: Date;
}
