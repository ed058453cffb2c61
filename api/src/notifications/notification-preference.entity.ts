import type { Ref } from '@mikro-orm/core';
import { Entity, Enum, ManyToOne, Unique } from '@mikro-orm/decorators/legacy';
import { BaseEntity } from '../platform/db/base.entity.js';
import { Partner } from '../partners/partner.entity.js';
import { NotificationChannel, NotificationKind } from './notification.enums.js';

/** A person's choice for one kind of notification; without a row, the default (notification.rules.ts). */
@Entity({ tableName: 'notification_preference' })
@Unique({ name: 'notification_preference_partner_kind_unique', properties: ['partner', 'kind'] })
export class NotificationPreference extends BaseEntity {
  @ManyToOne(() => Partner, { ref: true, deleteRule: 'cascade' })
  partner!: Ref<Partner>;

  @Enum({ items: () => NotificationKind })
  kind!: NotificationKind;

  @Enum({ items: () => NotificationChannel })
  channel!: NotificationChannel;
}
