import type { Ref } from '@mikro-orm/core';
import { Entity, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { BaseEntity } from '../platform/db/base.entity.js';
import { Partner } from '../partners/partner.entity.js';

/**
 * Calendar sync's state for one partner's mailbox (issue 21): the Graph change-notification
 * subscription on their events (push mode), and how far delta has read their calendar.
 *
 * The subscription's `clientState` is a random secret Graph sends back with every notification;
 * only a keyed hash of it is kept (client-state.ts), with the version of the key. The delta link
 * carries Graph's state token for the mailbox: kept, never logged, never audited.
 */
@Entity({ tableName: 'calendar_subscription' })
export class CalendarSubscription extends BaseEntity {
  @ManyToOne(() => Partner, { ref: true, deleteRule: 'cascade' })
  @Unique({ name: 'calendar_subscription_partner_unique' })
  partner!: Ref<Partner>;

  /** The mailbox read (the partner's email when last seen); a changed address starts again. */
  @Property({ length: 320 })
  mailbox!: string;

  /** Graph's subscription id; null in poll mode, or when it must be (re)created. */
  @Property({ type: 'string', length: 200, nullable: true })
  @Unique({ name: 'calendar_subscription_subscription_unique' })
  subscriptionId?: string | null;

  @Property({ type: 'timestamptz', nullable: true })
  expiresAt?: Date | null;

  /** HMAC-SHA256 (hex) of the subscription's clientState. */
  @Property({ type: 'string', length: 64, nullable: true, hidden: true })
  clientStateHash?: string | null;

  @Property({ type: 'smallint', nullable: true })
  clientStateKeyVersion?: number | null;

  /** Where the next delta read starts (`@odata.deltaLink`); null: a full read of the window. */
  @Property({ type: 'text', nullable: true, hidden: true })
  deltaLink?: string | null;

  /** The start of the window the delta link covers: a link over a window gone stale is dropped for a fresh one. */
  @Property({ type: 'timestamptz', nullable: true })
  deltaWindowStart?: Date | null;

  @Property({ type: 'timestamptz', nullable: true })
  lastSyncedAt?: Date | null;

  /** The last failure, in words without secrets (for the operator); null once a sync succeeds. */
  @Property({ type: 'text', nullable: true })
  lastError?: string | null;

  @Property({ type: 'timestamptz', nullable: true })
  lastErrorAt?: Date | null;
}
