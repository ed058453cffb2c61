import type { Event, Subscription } from '@microsoft/microsoft-graph-types';
import { graphStatus, type GraphApi } from '../platform/graph/graph-client.js';
import type { CalendarChange } from './calendar-change.js';

/**
 * The Microsoft Graph calls calendar sync makes, as Microsoft documents them: change-notification
 * subscriptions on a user's events, calendarView delta, one event. Ids are
 * asked for as immutable ids (`Prefer: IdType="ImmutableId"`): they survive an item moving.
 */
const IMMUTABLE_IDS = 'IdType="ImmutableId"';

export interface DeltaWindow {
  start: Date;
  end: Date;
}

export interface DeltaRead {
  changes: CalendarChange[];
  deltaLink: string;
}

/** Graph refuses a delta link that is too old or whose state it lost: start again with a full read. */
export class DeltaExpired extends Error {}

/**
 * The REST id (what Graph reads) of the EWS id Office.js gives the add-in: the same bytes in URL-safe
 * base64, which is all Office.js's own `convertToRestId(id, RestVersion.v2_0)` does. Done here rather
 * than through Graph's `translateExchangeIds`, which Microsoft documents as not supported for
 * application permissions (sync runs as the app, with no signed-in user).
 */
export const restIdOfEwsId = (ewsId: string) => ewsId.replace(/\//g, '-').replace(/\+/g, '_');

const user = (email: string) => `/users/${encodeURIComponent(email)}`;

export interface GraphCalendar {
  createSubscription(input: {
    email: string;
    notificationUrl: string;
    lifecycleNotificationUrl: string;
    clientState: string;
    expiresAt: Date;
  }): Promise<{ id: string; expiresAt: Date }>;
  /** Renews (and so reauthorises) a subscription; null when Graph no longer has it. */
  renewSubscription(id: string, expiresAt: Date): Promise<{ expiresAt: Date } | null>;
  deleteSubscription(id: string): Promise<void>;
  /** The ids of every subscription this app holds (app-only: all of the app's). */
  subscriptionIds(): Promise<Set<string>>;
  /** Every change since `deltaLink`, or every event in `window` when null, to the next delta link. */
  readDelta(email: string, deltaLink: string | null, window: DeltaWindow): Promise<DeltaRead>;
  /** One event (by any id form Graph reads: REST or immutable), its ids given back as immutable ids; null when it no longer exists. */
  event(email: string, id: string): Promise<Event | null>;
}

interface Page<T> {
  value?: T[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

type DeltaItem = Event & { '@removed'?: { reason?: string } };

export function createGraphCalendar(graph: GraphApi): GraphCalendar {
  const { client } = graph;
  const expiryOf = (subscription: Subscription, asked: Date) => (subscription.expirationDateTime ? new Date(subscription.expirationDateTime) : asked);

  return {
    async createSubscription({ email, notificationUrl, lifecycleNotificationUrl, clientState, expiresAt }) {
      // The Prefer header makes the subscription's notifications name events by their immutable ids too.
      const created = (await client
        .api('/subscriptions')
        .header('Prefer', IMMUTABLE_IDS)
        .post({
          changeType: 'created,updated,deleted',
          notificationUrl,
          lifecycleNotificationUrl,
          resource: `users/${email}/events`,
          expirationDateTime: expiresAt.toISOString(),
          clientState,
        } satisfies Subscription)) as Subscription;
      if (!created.id) throw new Error('Graph created a subscription without an id');
      return { id: created.id, expiresAt: expiryOf(created, expiresAt) };
    },

    async renewSubscription(id, expiresAt) {
      try {
        const renewed = (await client.api(`/subscriptions/${encodeURIComponent(id)}`).patch({ expirationDateTime: expiresAt.toISOString() })) as Subscription;
        return { expiresAt: expiryOf(renewed ?? {}, expiresAt) };
      } catch (error) {
        if (graphStatus(error) === 404) return null;
        throw error;
      }
    },

    async deleteSubscription(id) {
      try {
        await client.api(`/subscriptions/${encodeURIComponent(id)}`).delete();
      } catch (error) {
        if (graphStatus(error) !== 404) throw error;
      }
    },

    async subscriptionIds() {
      const ids = new Set<string>();
      let page = (await client.api('/subscriptions').get()) as Page<Subscription>;
      for (;;) {
        for (const s of page.value ?? []) if (s.id) ids.add(s.id);
        if (!page['@odata.nextLink']) return ids;
        page = (await client.api(graph.pathOf(page['@odata.nextLink'])).get()) as Page<Subscription>;
      }
    },

    async readDelta(email, deltaLink, window) {
      const changes: CalendarChange[] = [];
      const first = deltaLink
        ? client.api(graph.pathOf(deltaLink))
        : client.api(`${user(email)}/calendarView/delta`).query({ startDateTime: window.start.toISOString(), endDateTime: window.end.toISOString() });
      let request = first;
      for (;;) {
        let page: Page<DeltaItem>;
        try {
          page = (await request.header('Prefer', IMMUTABLE_IDS).get()) as Page<DeltaItem>;
        } catch (error) {
          // 410 Gone (syncStateNotFound, resyncRequired): the link's state is lost; so is a link Graph no longer accepts.
          if (graphStatus(error) === 410) throw new DeltaExpired('the delta link expired');
          throw error;
        }
        for (const item of page.value ?? []) {
          if (!item.id) continue;
          changes.push(item['@removed'] ? { kind: 'removed', eventId: item.id } : { kind: 'event', event: item });
        }
        if (page['@odata.deltaLink']) return { changes, deltaLink: page['@odata.deltaLink'] };
        if (!page['@odata.nextLink']) throw new Error('a delta page with neither a next link nor a delta link');
        request = client.api(graph.pathOf(page['@odata.nextLink']));
      }
    },

    async event(email, id) {
      try {
        return (await client
          .api(`${user(email)}/events/${encodeURIComponent(id)}`)
          .header('Prefer', IMMUTABLE_IDS)
          .get()) as Event;
      } catch (error) {
        if (graphStatus(error) === 404) return null;
        throw error;
      }
    },
  };
}
