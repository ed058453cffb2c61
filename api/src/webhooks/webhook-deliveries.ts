import { randomUUID } from 'node:crypto';
import type { Em } from '../platform/db/orm.js';
import { DomainEventKind } from '../platform/events/domain-events.js';
import type { ConsumedEvent } from '../platform/events/event-consumer.js';
import type { ServiceFieldPolicy } from '../platform/graphql/service-fields.plugin.js';
import { WebhookDeliveryStatus, WebhookEventType } from './webhook.enums.js';
import { eventData, mayReadWith, webhookBody } from './webhook-payload.js';

const TYPES = new Set<string>(Object.values(WebhookEventType));

/** Whether subscribers hear of this event: a webhook kind, and a risk category assessment only when the category changed. */
function webhookType(e: ConsumedEvent): WebhookEventType | null {
  if (!TYPES.has(e.kind)) return null;
  if (e.kind === DomainEventKind.SCHOOL_RISK_CATEGORY_CHANGED && e.data?.changed !== true) return null;
  return e.kind as WebhookEventType;
}

/**
 * Makes the event's deliveries, in the transaction that claims it (platform/events/event-consumer.ts):
 * one row per active subscription that wants it and was registered before it, the body built and
 * redacted for that subscription's grants now, and kept as sent. Returns how many were made.
 */
export async function makeDeliveries(tx: Em, policy: ServiceFieldPolicy, e: ConsumedEvent, now: Date): Promise<number> {
  const type = webhookType(e);
  if (!type) return 0;
  const subscriptions = await tx.execute<{ id: string; grants: string[] }[]>(
    `select id, grants from webhook_subscription where active and from_event_id < ? and event_types @> ?::jsonb order by id`,
    [e.id, JSON.stringify([type])],
  );
  if (!subscriptions.length) return 0;
  const data = await eventData(tx, type, e);
  const occurredAt = new Date(e.occurred_at);
  for (const s of subscriptions) {
    const id = randomUUID();
    await tx.execute(
      `insert into webhook_delivery (id, created_at, updated_at, subscription_id, event_id, event_type, webhook_id, occurred_at, payload, status, attempt_count, next_attempt_at)
       values (?, now(), now(), ?, ?, ?, ?, ?, ?, ?, 0, ?) on conflict do nothing`,
      [
        id,
        s.id,
        e.id,
        type,
        `msg_${id.replaceAll('-', '')}`,
        occurredAt,
        webhookBody(type, occurredAt, data, mayReadWith(policy, s.grants)),
        WebhookDeliveryStatus.PENDING,
        now,
      ],
    );
  }
  return subscriptions.length;
}
