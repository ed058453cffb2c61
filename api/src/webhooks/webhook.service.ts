import { LockMode } from '@mikro-orm/core';
import type { AccessPolicy } from '../platform/auth/access-policy.js';
import type { Em } from '../platform/db/orm.js';
import { checkVersion } from '../platform/db/versioning.js';
import { badInput } from '../platform/errors.js';
import { isUuid } from '../platform/graphql/lookup.js';
import { assertMayManage, tokenGrants, webhookOwner } from './webhook.access.js';
import { EVENT_GRANTS, WebhookDeliveryStatus, type WebhookEventType, type WebhookGrant } from './webhook.enums.js';
import type { RegisterWebhookInput, UpdateWebhookInput } from './webhook.input.js';
import { WebhookDelivery } from './webhook-delivery.entity.js';
import { newWebhookSecret } from './webhook-secret.js';
import { WebhookSubscription } from './webhook-subscription.entity.js';
import { checkWebhookUrl } from './webhook-url.rules.js';
import type { WebhooksDeps } from './webhooks.context.js';

/** A subscription as registered or rotated, with its secret: the only time the secret is shown. */
export interface WithSecret {
  subscription: WebhookSubscription;
  secret: string;
}

/** The grants a subscription gets: a service's are its token's roles (or fewer it names), never more; a manager's are chosen. */
function grantsFor(access: AccessPolicy, asked: WebhookGrant[] | null | undefined, current: WebhookGrant[] | null): WebhookGrant[] {
  const held = tokenGrants(access.principal);
  if (held === null) return [...new Set(asked ?? current ?? [])].sort();
  const wanted = asked ?? held;
  const beyond = wanted.filter((g) => !held.includes(g));
  if (beyond.length)
    throw badInput(`This service has not been granted ${beyond.join(', ')}: a webhook's payloads carry only what its token may read.`, 'grants');
  return [...new Set(wanted)].sort();
}

function checkEventTypes(types: WebhookEventType[], grants: WebhookGrant[]): WebhookEventType[] {
  for (const type of types) {
    const needs = EVENT_GRANTS[type];
    if (needs && !grants.includes(needs))
      throw badInput(
        `Risk category changes (${type}) are confidential: the webhook needs the ${needs} grant to carry them. Ask for the grant, or leave the event out.`,
        'eventTypes',
      );
  }
  return [...new Set(types)].sort();
}

const clean = (text: string | null | undefined) => (text ? text.replaceAll('\u0000', '').trim() || null : null);

const newest = async (tx: Em) => (await tx.execute<{ id: string | null }[]>(`select max(id)::text as id from domain_event`))[0]?.id ?? '0';

export async function registerWebhook(em: Em, access: AccessPolicy, deps: WebhooksDeps, input: RegisterWebhookInput): Promise<WithSecret> {
  const owner = webhookOwner(access.principal);
  const grants = grantsFor(access, input.grants, null);
  const eventTypes = checkEventTypes(input.eventTypes, grants);
  const url = await checkWebhookUrl(input.url.trim(), deps.urlPolicy);
  const secret = newWebhookSecret();
  return em.fork().transactional(async (tx) => {
    const subscription = Object.assign(new WebhookSubscription(), {
      owner,
      url: url.href,
      eventTypes,
      grants,
      description: clean(input.description),
      secretSealed: deps.cipher.seal(secret),
      fromEventId: await newest(tx as Em),
    });
    tx.persist(subscription);
    await tx.flush();
    return { subscription, secret };
  });
}

async function lockedSubscription(tx: Em, access: AccessPolicy, id: string): Promise<WebhookSubscription> {
  if (!isUuid(id)) throw badInput(`"${id}" is not a webhook subscription's id.`, 'id');
  return assertMayManage(access, await tx.findOne(WebhookSubscription, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE }), id);
}

export async function updateWebhook(em: Em, access: AccessPolicy, deps: WebhooksDeps, input: UpdateWebhookInput): Promise<WebhookSubscription> {
  const url = input.url ? await checkWebhookUrl(input.url.trim(), deps.urlPolicy) : null;
  return em.fork().transactional(async (tx) => {
    const subscription = await lockedSubscription(tx as Em, access, input.id);
    checkVersion(subscription, input.expectedVersion, 'webhook subscription');
    const grants = grantsFor(access, input.grants, access.principal.kind === 'service' ? null : subscription.grants);
    const eventTypes = checkEventTypes(input.eventTypes ?? subscription.eventTypes, grants);
    Object.assign(subscription, { grants, eventTypes });
    if (url) subscription.url = url.href;
    if (input.description !== undefined) subscription.description = clean(input.description);
    if (input.active !== undefined && input.active !== null) {
      // Back on: events from now, not those it missed while paused.
      if (input.active && !subscription.active) subscription.fromEventId = await newest(tx as Em);
      subscription.active = input.active;
    }
    await tx.flush();
    return subscription;
  });
}

/** How long the secret before a rotation still signs (beside the new one): a day to put the new one in place. */
export const ROTATION_GRACE_MS = 24 * 3_600_000;

export async function rotateWebhookSecret(em: Em, access: AccessPolicy, deps: WebhooksDeps, id: string, now: Date): Promise<WithSecret> {
  const secret = newWebhookSecret();
  return em.fork().transactional(async (tx) => {
    const subscription = await lockedSubscription(tx as Em, access, id);
    // The audit shows that they changed, never what to (hidden properties).
    subscription.previousSecretSealed = subscription.secretSealed;
    subscription.previousSecretExpiresAt = new Date(now.getTime() + ROTATION_GRACE_MS);
    subscription.secretSealed = deps.cipher.seal(secret);
    await tx.flush();
    return { subscription, secret };
  });
}

/** Deletes the subscription with its deliveries (their payloads may name people: nothing is kept for a subscriber that has gone). */
export async function deleteWebhook(em: Em, access: AccessPolicy, id: string): Promise<string> {
  return em.fork().transactional(async (tx) => {
    const subscription = await lockedSubscription(tx as Em, access, id);
    tx.remove(subscription);
    await tx.flush();
    return id;
  });
}

/**
 * Sends deliveries again, as they were (the same body and webhook-id: a receiver that had one ignores
 * it), from the next turn of the sender; attempts start again. Returns how many.
 */
export async function replayDeliveries(
  em: Em,
  access: AccessPolicy,
  where: { subscriptionId: string; since?: Date; deliveryId?: string },
  now: Date,
): Promise<WebhookDelivery[]> {
  return em.fork().transactional(async (tx) => {
    await lockedSubscription(tx as Em, access, where.subscriptionId);
    const deliveries = await tx.find(
      WebhookDelivery,
      {
        subscription: where.subscriptionId,
        ...(where.deliveryId ? { id: where.deliveryId } : {}),
        ...(where.since ? { occurredAt: { $gte: where.since } } : {}),
      },
      { orderBy: { occurredAt: 'asc', id: 'asc' }, lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    for (const d of deliveries)
      Object.assign(d, { status: WebhookDeliveryStatus.PENDING, attemptCount: 0, nextAttemptAt: now, leaseUntil: null, deliveredAt: null });
    await tx.flush();
    return deliveries;
  });
}
