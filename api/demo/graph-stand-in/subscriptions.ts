import { randomUUID } from 'node:crypto';
import type { ChangeNotification, ChangeNotificationCollection, LifecycleEventType, Subscription } from '@microsoft/microsoft-graph-types';
import { graphError, type GraphStandInUser, type MailboxChange, type Mailboxes } from './mailboxes.js';

/**
 * Change-notification subscriptions on users' events, as Graph keeps them
 * (learn.microsoft.com/graph/change-notifications-delivery-webhooks):
 * - creating (and renewing with a new notificationUrl) first POSTs a validation request,
 *   `?validationToken=...` as text/plain, to the notificationUrl and to the
 *   lifecycleNotificationUrl; each must answer 200 with the token as text/plain within
 *   10 seconds, or the request fails 400;
 * - an Outlook event subscription lasts at most 10,080 minutes;
 * - each change POSTs `{ value: [changeNotification] }`; the receiver should answer 202
 *   within 3 seconds. On failure Graph retries with exponential backoff (for up to 4 hours);
 *   the stand-in retries a few times with short delays and records each attempt.
 */
export const MAX_EXPIRATION_MINUTES = 10_080;
const VALIDATION_TIMEOUT_MS = 10_000;
const CHANGE_TYPES = new Set(['created', 'updated', 'deleted']);
const RESOURCE = /^\/?users\/([^/]+)\/events$/i;

export interface Delivery {
  subscriptionId: string;
  url: string;
  kind: 'validation' | 'notification' | 'lifecycle';
  attempt: number;
  status: number | 'no answer';
  at: Date;
}

interface Stored {
  subscription: Subscription & { id: string; expirationDateTime: string };
  user: GraphStandInUser;
  immutableIds: boolean;
  /** Deliveries to this subscription go one after another, in order. */
  queue: Promise<void>;
}

export interface SubscriptionOptions {
  tenantId: string;
  applicationId: string;
  now: () => Date;
  /** Waits between delivery attempts of a notification that failed. */
  retryDelaysMs: number[];
}

export class Subscriptions {
  private readonly stored = new Map<string, Stored>();
  readonly deliveries: Delivery[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  dropNotifications = false;

  constructor(
    private readonly mailboxes: Mailboxes,
    private readonly options: SubscriptionOptions,
  ) {
    mailboxes.onChange((change) => this.notify(change));
  }

  /** The subscriptions still alive (an expired one is gone, as Graph deletes it). */
  list(): Subscription[] {
    this.sweep();
    return [...this.stored.values()].map((s) => this.shape(s));
  }

  private sweep(): void {
    const now = this.options.now().getTime();
    for (const [id, s] of this.stored) if (Date.parse(s.subscription.expirationDateTime) <= now) this.stored.delete(id);
  }

  get(id: string): Subscription {
    return this.shape(this.alive(id));
  }

  private alive(id: string): Stored {
    this.sweep();
    const found = this.stored.get(id);
    if (!found) throw graphError(404, 'ResourceNotFound', `The object was not found.`);
    return found;
  }

  private checkExpiration(value: unknown): string {
    const at = typeof value === 'string' ? Date.parse(value) : NaN;
    if (Number.isNaN(at)) throw graphError(400, 'InvalidRequest', 'expirationDateTime is a required property for subscription creation.');
    const now = this.options.now().getTime();
    if (at <= now) throw graphError(400, 'InvalidRequest', `Subscription expiration can only be in the future.`);
    if (at > now + MAX_EXPIRATION_MINUTES * 60_000) {
      throw graphError(400, 'InvalidRequest', `Subscription expiration can only be ${MAX_EXPIRATION_MINUTES} minutes in the future.`);
    }
    return new Date(at).toISOString();
  }

  async create(body: Record<string, unknown>, options: { immutableIds: boolean }): Promise<Subscription> {
    const changeType = typeof body.changeType === 'string' ? body.changeType : '';
    const changeTypes = changeType.split(',').map((c) => c.trim());
    if (!changeType || !changeTypes.every((c) => CHANGE_TYPES.has(c))) {
      throw graphError(400, 'InvalidRequest', `'${changeType}' is not a valid change type. Valid change types are created, updated and deleted.`);
    }
    const notificationUrl = typeof body.notificationUrl === 'string' ? body.notificationUrl : '';
    if (!isHttpUrl(notificationUrl)) throw graphError(400, 'InvalidRequest', 'The notificationUrl must be an absolute URL.');
    const lifecycleNotificationUrl = typeof body.lifecycleNotificationUrl === 'string' ? body.lifecycleNotificationUrl : undefined;
    if (lifecycleNotificationUrl !== undefined && !isHttpUrl(lifecycleNotificationUrl)) {
      throw graphError(400, 'InvalidRequest', 'The lifecycleNotificationUrl must be an absolute URL.');
    }
    const resource = typeof body.resource === 'string' ? body.resource : '';
    const match = RESOURCE.exec(resource);
    if (!match) throw graphError(400, 'InvalidRequest', `Resource '${resource}' is not supported by the stand-in (it serves users/{id}/events).`);
    const user = this.mailboxes.user(match[1]!);
    const expirationDateTime = this.checkExpiration(body.expirationDateTime);
    const clientState = typeof body.clientState === 'string' ? body.clientState : null;
    if (clientState !== null && clientState.length > 128) throw graphError(400, 'InvalidRequest', 'clientState must be at most 128 characters.');
    const id = randomUUID();
    for (const url of new Set([notificationUrl, lifecycleNotificationUrl].filter((u): u is string => !!u))) {
      await this.validate(id, url);
    }
    const stored: Stored = {
      subscription: {
        id,
        resource,
        applicationId: this.options.applicationId,
        changeType,
        clientState,
        notificationUrl,
        notificationQueryOptions: null,
        lifecycleNotificationUrl: lifecycleNotificationUrl ?? null,
        expirationDateTime,
        creatorId: this.options.applicationId,
        includeResourceData: false,
        latestSupportedTlsVersion: 'v1_2',
        encryptionCertificate: null,
        encryptionCertificateId: null,
        notificationUrlAppId: null,
      },
      user,
      immutableIds: options.immutableIds,
      queue: Promise.resolve(),
    };
    this.stored.set(id, stored);
    return this.shape(stored);
  }

  async update(id: string, body: Record<string, unknown>): Promise<Subscription> {
    const stored = this.alive(id);
    const expirationDateTime = body.expirationDateTime === undefined ? undefined : this.checkExpiration(body.expirationDateTime);
    if (typeof body.notificationUrl === 'string' && body.notificationUrl !== stored.subscription.notificationUrl) {
      if (!isHttpUrl(body.notificationUrl)) throw graphError(400, 'InvalidRequest', 'The notificationUrl must be an absolute URL.');
      await this.validate(id, body.notificationUrl);
      stored.subscription.notificationUrl = body.notificationUrl;
    }
    if (expirationDateTime) stored.subscription.expirationDateTime = expirationDateTime;
    return this.shape(stored);
  }

  delete(id: string): void {
    this.alive(id);
    this.stored.delete(id);
  }

  /** Graph's `POST /subscriptions/{id}/reauthorize`: the answer to reauthorizationRequired. */
  reauthorize(id: string): void {
    this.alive(id);
  }

  /** As if its expirationDateTime passed: no more notifications, and reads answer 404. */
  expire(id: string): void {
    this.alive(id);
    this.stored.delete(id);
  }

  private shape(stored: Stored): Subscription {
    return structuredClone(stored.subscription);
  }

  // --- Outbound --------------------------------------------------------------------------

  /** Graph's validation handshake: a human-readable token the receiver must URL-decode and echo. */
  private async validate(subscriptionId: string, url: string): Promise<void> {
    const token = `Validation: Testing client application reachability for subscription Request-Id: ${randomUUID()}`;
    const target = new URL(url);
    target.searchParams.set('validationToken', token);
    let status: number | 'no answer' = 'no answer';
    let echoed = false;
    try {
      const response = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        body: '',
        signal: AbortSignal.timeout(VALIDATION_TIMEOUT_MS),
      });
      status = response.status;
      const text = await response.text();
      echoed = response.status === 200 && (response.headers.get('content-type') ?? '').toLowerCase().startsWith('text/plain') && text === token;
    } catch {
      // no answer in time, or none at all
    }
    this.deliveries.push({ subscriptionId, url, kind: 'validation', attempt: 1, status, at: new Date() });
    if (!echoed) {
      throw graphError(400, 'ValidationError', 'Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.');
    }
  }

  private notify(change: MailboxChange): void {
    this.sweep();
    for (const stored of this.stored.values()) {
      if (stored.user.id !== change.user.id) continue;
      if (!stored.subscription.changeType!.split(',').includes(change.changeType)) continue;
      if (this.dropNotifications) continue;
      const eventId = this.mailboxes.idFor(change.key, stored.immutableIds ? 'immutable' : 'rest');
      const resource = `Users/${change.user.id}/Events/${eventId}`;
      const notification: ChangeNotification & { resourceData: Record<string, unknown> } = {
        subscriptionId: stored.subscription.id,
        subscriptionExpirationDateTime: stored.subscription.expirationDateTime,
        changeType: change.changeType,
        resource,
        resourceData: {
          '@odata.type': '#Microsoft.Graph.Event',
          '@odata.id': resource,
          ...(change.changeType === 'deleted' ? {} : { '@odata.etag': `W/"${change.changeKey}"` }),
          id: eventId,
        },
        clientState: stored.subscription.clientState ?? null,
        tenantId: this.options.tenantId,
      };
      this.enqueue(stored, 'notification', stored.subscription.notificationUrl!, { value: [notification] });
    }
  }

  /** Sends a lifecycle notification and resolves once it has been delivered (or given up on). */
  async sendLifecycle(id: string, lifecycleEvent: LifecycleEventType): Promise<void> {
    const stored = this.alive(id);
    const url = stored.subscription.lifecycleNotificationUrl;
    if (!url) throw graphError(400, 'InvalidRequest', `Subscription ${id} has no lifecycleNotificationUrl.`);
    const notification: ChangeNotification = {
      subscriptionId: id,
      subscriptionExpirationDateTime: stored.subscription.expirationDateTime,
      tenantId: this.options.tenantId,
      clientState: stored.subscription.clientState ?? null,
      lifecycleEvent,
    };
    if (lifecycleEvent === 'subscriptionRemoved') this.stored.delete(id);
    await this.enqueue(stored, 'lifecycle', url, { value: [notification] });
  }

  private enqueue(stored: Stored, kind: 'notification' | 'lifecycle', url: string, body: ChangeNotificationCollection): Promise<void> {
    const delivered = stored.queue.then(() => this.deliver(stored.subscription.id, kind, url, body));
    stored.queue = delivered;
    this.inFlight.add(delivered);
    void delivered.finally(() => this.inFlight.delete(delivered));
    return delivered;
  }

  private async deliver(subscriptionId: string, kind: 'notification' | 'lifecycle', url: string, body: ChangeNotificationCollection): Promise<void> {
    const delays = [0, ...this.options.retryDelaysMs];
    for (const [index, delay] of delays.entries()) {
      if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
      let status: number | 'no answer' = 'no answer';
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(VALIDATION_TIMEOUT_MS),
        });
        status = response.status;
        await response.arrayBuffer();
      } catch {
        // counted as a failed attempt
      }
      this.deliveries.push({ subscriptionId, url, kind, attempt: index + 1, status, at: new Date() });
      if (typeof status === 'number' && status >= 200 && status < 300) return;
    }
  }

  /** Resolves when every notification queued so far has been delivered or given up on. */
  async settled(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
