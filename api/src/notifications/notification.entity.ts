import type { Ref } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { BaseEntity } from '../platform/db/base.entity.js';
import { Partner } from '../partners/partner.entity.js';
import { NotificationChannel, NotificationKind, NotificationStatus } from './notification.enums.js';

/**
 * One person told of one thing, once: the row is inserted (unique on key and recipient) before anything
 * is sent, in the transaction that decides to tell them, so however many instances look, one row and one
 * delivery. `key` is natural: `event:<domain event id>`, `draft_due_tomorrow:<note id>:<due date>`,
 * `weekly_digest:<week's Monday>`. It keeps what was said (for the fallback email and the record of who
 * was told what: a retention rule disposes of it).
 */
@Entity({ tableName: 'notification' })
@Unique({ name: 'notification_key_recipient_unique', properties: ['key', 'recipient'] })
@Index({ name: 'notification_pending_index', properties: ['status', 'leaseUntil'] })
export class Notification extends BaseEntity {
  @Property({ type: 'string', length: 200 })
  key!: string;

  @ManyToOne(() => Partner, { ref: true, deleteRule: 'cascade', index: true })
  recipient!: Ref<Partner>;

  @Enum({ items: () => NotificationKind })
  kind!: NotificationKind;

  /** The channel chosen when it was made (the person's preference then). */
  @Enum({ items: () => NotificationChannel })
  channel!: NotificationChannel;

  @Enum({ items: () => NotificationStatus })
  status: NotificationStatus = NotificationStatus.PENDING;

  /** The note it is about, when there is one (the deep link opens it). */
  @Property({ type: 'uuid', nullable: true })
  noteId?: string | null;

  @Property({ type: 'uuid', nullable: true })
  visitId?: string | null;

  /** The topic line ("Note of visit: Oakfield Primary, autumn visit"). */
  @Property({ type: 'text' })
  title!: string;

  /** What happened, one sentence (the feed's preview text; the email's first line). */
  @Property({ type: 'text' })
  text!: string;

  /** While a sender holds it (PENDING): another may take it once this has passed. */
  @Property({ type: 'timestamptz', nullable: true })
  leaseUntil?: Date | null;

  @Property({ type: 'smallint', default: 0 })
  attempts: number = 0;

  @Property({ type: 'timestamptz', nullable: true })
  sentAt?: Date | null;

  /** Why the feed did not take it (then it went by email). */
  @Property({ type: 'string', length: 300, nullable: true })
  feedError?: string | null;
}
