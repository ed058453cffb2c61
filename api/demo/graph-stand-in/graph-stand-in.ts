import { randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Event, LifecycleEventType, Subscription } from '@microsoft/microsoft-graph-types';
import { ActivityFeed, type ActivityNotification } from './activity-feed.js';
import { handleControl } from './control-api.js';
import { DeltaQueries } from './delta.js';
import { idOf } from './event-ids.js';
import { handleGraph } from './graph-api.js';
import { graphErrorBody, requestIds, sendJson } from './http-io.js';
import { Identity } from './identity.js';
import { dualListener, makeLoopbackCertificate, trustCertificate } from './loopback-tls.js';
import { Mailboxes, OCCURRENCE_SEPARATOR, type GraphStandInUser } from './mailboxes.js';
import { Subscriptions, type Delivery } from './subscriptions.js';

/**
 * A stand-in Microsoft Graph on 127.0.0.1 for tests and development: the identity
 * platform's token endpoint, Graph v1.0's subscriptions, events, calendar view delta and
 * translateExchangeIds, the Teams activity feed (sendActivityNotification), and the change and
 * lifecycle notifications Graph sends. Tests and
 * the development page play Outlook through the methods below (or `/stand-in/`), and
 * inject faults. See README.md beside this file for what follows Graph and what does not.
 */
export type { GraphStandInUser } from './mailboxes.js';
export type { Delivery } from './subscriptions.js';
export type { ActivityNotification } from './activity-feed.js';

export interface GraphStandIn {
  /** http://127.0.0.1:PORT; Graph at `${url}/v1.0`, the identity platform at `${url}/${tenantId}/...`. */
  url: string;
  /**
   * https://127.0.0.1:PORT, the same server over TLS (undefined with `tls: false`): what MSAL
   * and the Graph client need, as they refuse plain http. Trust `certificate` first
   * (`trustStandInCertificate`).
   */
  httpsUrl: string | undefined;
  /** The stand-in's self-signed certificate (PEM), made at start. */
  certificate: string | undefined;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  createEvent(user: string, event: Partial<Event>): Event;
  updateEvent(user: string, eventId: string, patch: Partial<Event>): Event;
  cancelEvent(user: string, eventId: string): void;
  deleteEvent(user: string, eventId: string): void;
  /** The EWS id Office.js would give the organiser for this event (what the add-in sends at booking). */
  ewsIdOf(user: string, eventId: string): string;
  /** The immutable REST id of an event (what `Prefer: IdType="ImmutableId"` reads return). */
  immutableIdOf(user: string, eventId: string): string;
  /** The REST id of a series' occurrence on a day (`YYYY-MM-DD`, the London date of its original start), as a calendar view lists it. */
  occurrenceIdOf(user: string, seriesMasterId: string, date: string): string;
  dropNotifications(drop: boolean): void;
  expireDeltaTokens(): void;
  throttle(requests: number, retryAfterSeconds: number): void;
  sendLifecycle(subscriptionId: string, event: LifecycleEventType): Promise<void>;
  expireSubscription(subscriptionId: string): void;
  subscriptions(): Subscription[];
  /** Teams activity-feed notifications received (POST /users/{id}/teamwork/sendActivityNotification), in order. */
  activityNotifications: ActivityNotification[];
  /** Makes the next `count` activity-feed calls fail with this status (default: all, until `failActivityFeed(null)`). */
  failActivityFeed(status: 403 | 404 | 500 | null, count?: number): void;
  /** Every request received, for assertions. */
  requests: { method: string; path: string; query: string; at: Date }[];
  /** Every validation request, notification and lifecycle notification sent, with its answer. */
  deliveries: Delivery[];
  /** Resolves when the notifications queued so far have been delivered (or given up on). */
  notificationsSettled(): Promise<void>;
  /** The tenant's openid-configuration, as the identity platform part serves it. */
  openIdConfiguration(): Record<string, unknown>;
  close(): Promise<void>;
}

export interface GraphStandInOptions {
  users: GraphStandInUser[];
  now?: () => Date;
  port?: number;
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  /** Serve https beside http on the same port (default true; needs openssl to make the certificate). */
  tls?: boolean;
  /** Waits between attempts to deliver a notification the receiver refused (default 1 s, 5 s, 15 s). */
  notificationRetryDelaysMs?: number[];
}

export async function startGraphStandIn(options: GraphStandInOptions): Promise<GraphStandIn> {
  const now = options.now ?? (() => new Date());
  const app = {
    tenantId: options.tenantId ?? randomUUID(),
    clientId: options.clientId ?? randomUUID(),
    clientSecret: options.clientSecret ?? `standin~${randomUUID()}`,
  };
  let url = '';
  let httpsUrl: string | undefined = undefined; // set once listening
  const certificate = options.tls === false ? undefined : makeLoopbackCertificate();
  const mailboxes = new Mailboxes(options.users, now);
  const subscriptions = new Subscriptions(mailboxes, {
    tenantId: app.tenantId,
    applicationId: app.clientId,
    now,
    retryDelaysMs: options.notificationRetryDelaysMs ?? [1_000, 5_000, 15_000],
  });
  const delta = new DeltaQueries(mailboxes);
  const activityFeed = new ActivityFeed(now);
  const identity = new Identity(app);
  const requests: GraphStandIn['requests'] = [];
  const throttling = { remaining: 0, retryAfterSeconds: 0 };

  const standIn: GraphStandIn = {
    url: '',
    httpsUrl: undefined,
    certificate: certificate?.cert,
    ...app,
    createEvent: (user, event) => mailboxes.create(user, event),
    updateEvent: (user, eventId, patch) => mailboxes.update(user, eventId, patch),
    cancelEvent: (user, eventId) => mailboxes.cancel(user, eventId),
    deleteEvent: (user, eventId) => mailboxes.delete(user, eventId),
    ewsIdOf: (user, eventId) => idOf(mailboxes.itemKey(user, eventId), 'ews'),
    immutableIdOf: (user, eventId) => idOf(mailboxes.itemKey(user, eventId), 'immutable'),
    occurrenceIdOf: (user, seriesMasterId, date) => {
      const id = idOf(`${mailboxes.itemKey(user, seriesMasterId)}${OCCURRENCE_SEPARATOR}${date}`, 'rest');
      mailboxes.find(user, id); // 404 when the series has no occurrence that day
      return id;
    },
    dropNotifications: (drop) => {
      subscriptions.dropNotifications = drop;
    },
    expireDeltaTokens: () => delta.expireAll(),
    throttle: (count, retryAfterSeconds) => {
      throttling.remaining = count;
      throttling.retryAfterSeconds = retryAfterSeconds;
    },
    sendLifecycle: (id, event) => subscriptions.sendLifecycle(id, event),
    expireSubscription: (id) => subscriptions.expire(id),
    subscriptions: () => subscriptions.list(),
    activityNotifications: activityFeed.sent,
    failActivityFeed: (status, count) => activityFeed.fail(status, count),
    requests,
    deliveries: subscriptions.deliveries,
    notificationsSettled: () => subscriptions.settled(),
    openIdConfiguration: () => identity.openIdConfiguration(httpsUrl ?? url),
    close: () => listener.close(),
  };

  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    // Links and endpoints name the scheme the request came in by.
    const origin = 'encrypted' in req.socket && req.socket.encrypted && httpsUrl ? httpsUrl : url;
    const parsed = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({ method: req.method ?? 'GET', path: parsed.pathname, query: parsed.search, at: now() });
    const ids = requestIds(req, res);
    const fail = (error: unknown): void => {
      const { status, code, message } = error as { status?: number; code?: string; message?: string };
      if (res.headersSent) return void res.end();
      if (typeof status === 'number') sendJson(res, status, graphErrorBody(code ?? 'BadRequest', message ?? '', ids, now()));
      // A fault of the stand-in itself: say what it was, so the test that met it can be read.
      else sendJson(res, 500, graphErrorBody('generalException', `The stand-in failed: ${String(error)}`, ids, now()));
    };
    const route = async (): Promise<void> => {
      if (parsed.pathname.startsWith('/stand-in/')) {
        // The development Outlook page drives the control API from the API's own origin.
        res.setHeader('access-control-allow-origin', '*');
        if (req.method === 'OPTIONS') {
          res.writeHead(204, {
            'access-control-allow-methods': 'GET, POST, PATCH, DELETE',
            'access-control-allow-headers': 'content-type',
            'access-control-max-age': '600',
          });
          return void res.end();
        }
        return handleControl(standIn, mailboxes, req, res, parsed);
      }
      if (parsed.pathname === '/v1.0' || parsed.pathname.startsWith('/v1.0/')) {
        const refusal = identity.refusal(req.headers.authorization);
        if (refusal) {
          res.setHeader(
            'www-authenticate',
            `Bearer realm="", authorization_uri="${origin}/${app.tenantId}/oauth2/v2.0/authorize", client_id="00000003-0000-0000-c000-000000000000"`,
          );
          return sendJson(res, 401, graphErrorBody('InvalidAuthenticationToken', refusal, ids, now()));
        }
        if (throttling.remaining > 0) {
          throttling.remaining -= 1;
          res.setHeader('retry-after', String(throttling.retryAfterSeconds));
          return sendJson(res, 429, graphErrorBody('TooManyRequests', 'Too many requests. Please retry after the time in the Retry-After header.', ids, now()));
        }
        return handleGraph({ baseUrl: () => origin, mailboxes, subscriptions, delta, activityFeed }, req, res, parsed);
      }
      if (await identity.handle(req, res, parsed.pathname, origin)) return;
      sendJson(res, 404, graphErrorBody('NotFound', `No stand-in endpoint at ${parsed.pathname}.`, ids, now()));
    };
    route().catch(fail);
  };
  const plain = http.createServer(handler);
  const secure = certificate ? https.createServer({ key: certificate.key, cert: certificate.cert }, handler) : undefined;
  const listener = dualListener(plain, secure);
  await new Promise<void>((resolve, reject) => {
    listener.server.once('error', reject);
    listener.server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (listener.server.address() as AddressInfo).port;
  url = `http://127.0.0.1:${port}`;
  httpsUrl = certificate ? `https://127.0.0.1:${port}` : undefined;
  standIn.url = url;
  standIn.httpsUrl = httpsUrl;
  return standIn;
}

/** Makes this process's https clients (fetch, MSAL, the Graph client) trust the stand-in's certificate. */
export function trustStandInCertificate(standIn: Pick<GraphStandIn, 'certificate'>): void {
  if (standIn.certificate) trustCertificate(standIn.certificate);
}
