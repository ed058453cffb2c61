import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Event, LifecycleEventType } from '@microsoft/microsoft-graph-types';
import { graphError, type Mailboxes } from './mailboxes.js';
import { readJson, sendJson } from './http-io.js';
import type { GraphStandIn } from './graph-stand-in.js';

/**
 * The stand-in's own control API under `/stand-in/`, for the development Outlook page and
 * `npm start`: play Outlook (create, update, cancel, delete events; list a mailbox) and
 * inject faults. No token needed: the server listens on 127.0.0.1 only.
 *
 *   GET    /stand-in/users
 *   GET    /stand-in/users/{user}/events                 the mailbox's singles and series masters
 *   POST   /stand-in/users/{user}/events                 body: a Graph event (subject, start, end, attendees, recurrence...)
 *   PATCH  /stand-in/users/{user}/events/{id}            body: the properties to change
 *   POST   /stand-in/users/{user}/events/{id}/cancel     the organiser cancels
 *   DELETE /stand-in/users/{user}/events/{id}
 *   GET    /stand-in/users/{user}/events/{id}/ews-id     { ewsId, immutableId }
 *   GET    /stand-in/subscriptions                       with GET /stand-in/deliveries, /stand-in/requests
 *   POST   /stand-in/subscriptions/{id}/lifecycle        body: { lifecycleEvent }
 *   POST   /stand-in/subscriptions/{id}/expire
 *   POST   /stand-in/faults                              body: { dropNotifications?, expireDeltaTokens?, throttle?: { requests, retryAfterSeconds },
 *                                                                 activityFeed?: { status: 403 | 404 | 500 | null, count? } }
 *   GET    /stand-in/activity-notifications              the Teams activity-feed notifications received
 */
const LIFECYCLE_EVENTS = new Set<LifecycleEventType>(['reauthorizationRequired', 'subscriptionRemoved', 'missed']);

export async function handleControl(standIn: GraphStandIn, mailboxes: Mailboxes, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const [, , first, second, third, fourth, fifth] = url.pathname.split('/').map(decodeURIComponent);
  const method = req.method ?? 'GET';
  const ok = (body: unknown, status = 200): void => sendJson(res, status, body, 'application/json; charset=utf-8');

  if (first === 'users' && !second && method === 'GET') return ok(mailboxes.users);
  if (first === 'users' && second && third === 'events') {
    if (!fourth && method === 'GET') return ok(mailboxes.list(second, { idForm: 'rest' }));
    if (!fourth && method === 'POST') return ok(standIn.createEvent(second, (await readJson(req)) as Partial<Event>), 201);
    if (fourth && !fifth && method === 'PATCH') return ok(standIn.updateEvent(second, fourth, (await readJson(req)) as Partial<Event>));
    if (fourth && !fifth && method === 'DELETE') {
      standIn.deleteEvent(second, fourth);
      return void res.writeHead(204).end();
    }
    if (fourth && fifth === 'cancel' && method === 'POST') {
      standIn.cancelEvent(second, fourth);
      return void res.writeHead(204).end();
    }
    if (fourth && fifth === 'ews-id' && method === 'GET') {
      return ok({ ewsId: standIn.ewsIdOf(second, fourth), immutableId: standIn.immutableIdOf(second, fourth) });
    }
  }
  if (first === 'subscriptions' && !second && method === 'GET') return ok(standIn.subscriptions());
  if (first === 'subscriptions' && second && third === 'lifecycle' && method === 'POST') {
    const event = (await readJson(req)).lifecycleEvent as LifecycleEventType;
    if (!LIFECYCLE_EVENTS.has(event)) throw graphError(400, 'BadRequest', 'lifecycleEvent must be reauthorizationRequired, subscriptionRemoved or missed.');
    await standIn.sendLifecycle(second, event);
    return void res.writeHead(204).end();
  }
  if (first === 'subscriptions' && second && third === 'expire' && method === 'POST') {
    standIn.expireSubscription(second);
    return void res.writeHead(204).end();
  }
  if (first === 'deliveries' && method === 'GET') return ok(standIn.deliveries);
  if (first === 'requests' && method === 'GET') return ok(standIn.requests);
  if (first === 'activity-notifications' && method === 'GET') return ok(standIn.activityNotifications);
  if (first === 'faults' && method === 'POST') {
    const body = await readJson(req);
    if (typeof body.dropNotifications === 'boolean') standIn.dropNotifications(body.dropNotifications);
    if (body.expireDeltaTokens === true) standIn.expireDeltaTokens();
    const throttle = body.throttle as { requests?: unknown; retryAfterSeconds?: unknown } | undefined;
    if (throttle) standIn.throttle(Number(throttle.requests) || 0, Number(throttle.retryAfterSeconds) || 0);
    const feed = body.activityFeed as { status?: unknown; count?: unknown } | undefined;
    if (feed) {
      const status = feed.status === null ? null : Number(feed.status);
      if (status !== null && status !== 403 && status !== 404 && status !== 500)
        throw graphError(400, 'BadRequest', 'activityFeed.status must be 403, 404, 500 or null.');
      standIn.failActivityFeed(status, feed.count === undefined ? undefined : Number(feed.count));
    }
    return void res.writeHead(204).end();
  }
  throw graphError(404, 'NotFound', `No control endpoint ${method} ${url.pathname}.`);
}
