import { randomUUID } from 'node:crypto';
import type { AccessPolicy } from '../platform/auth/access-policy.js';
import type { Em } from '../platform/db/orm.js';
import { badInput, forbidden } from '../platform/errors.js';
import { Partner } from '../partners/partner.entity.js';
import { type NotificationChannel, type NotificationKind } from './notification.enums.js';
import { NotificationPreference } from './notification-preference.entity.js';
import { channelProblem, defaultChannel, KIND_LABELS, NOTIFICATION_KINDS } from './notification.rules.js';

export interface PreferenceView {
  kind: NotificationKind;
  channel: NotificationChannel;
  label: string;
  chosen: boolean;
}

/** Partners and managers choose for themselves; a council system has no notifications. */
function personOf(access: AccessPolicy): string {
  if (access.principal.kind !== 'person') throw forbidden('Notification preferences belong to partners and senior advisers: sign in as one.');
  return access.principal.partnerId;
}

/** Every kind, in order, with the person's choice or the default. */
export async function myPreferences(em: Em, access: AccessPolicy): Promise<PreferenceView[]> {
  const partnerId = personOf(access);
  const rows = await em.find(NotificationPreference, { partner: partnerId });
  const chosen = new Map(rows.map((r) => [r.kind, r.channel]));
  return NOTIFICATION_KINDS.map((kind) => ({
    kind,
    channel: chosen.get(kind) ?? defaultChannel(kind),
    label: KIND_LABELS[kind],
    chosen: chosen.has(kind),
  }));
}

/**
 * Sets one kind's channel for the person signed in, in one transaction with its audit. A setting is a
 * single choice, not a text another person could have edited: the last choice stands (no version).
 */
export async function setPreference(em: Em, access: AccessPolicy, kind: NotificationKind, channel: NotificationChannel): Promise<PreferenceView[]> {
  const partnerId = personOf(access);
  const problem = channelProblem(kind, channel);
  if (problem) throw badInput(problem, 'channel');
  await em.fork().transactional(async (tx) => {
    const existing = await tx.findOne(NotificationPreference, { partner: partnerId, kind });
    if (existing) existing.channel = channel;
    else tx.persist(Object.assign(new NotificationPreference(), { id: randomUUID(), partner: tx.getReference(Partner, partnerId), kind, channel }));
    await tx.flush();
  });
  return myPreferences(em.fork() as Em, access);
}
