import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ConvertIdResult, Event } from '@microsoft/microsoft-graph-types';
import type { ActivityFeed } from './activity-feed.js';
import type { DeltaQueries } from './delta.js';
import { formOf, type IdForm } from './event-ids.js';
import { graphError, type Mailboxes, type RenderOptions } from './mailboxes.js';
import { preference, readJson, sendJson } from './http-io.js';
import type { Subscriptions } from './subscriptions.js';

/**
 * The Graph v1.0 endpoints the stand-in serves, under `/v1.0`: subscriptions, a user's
 * events, calendar view and its delta, translateExchangeIds, and the Teams activity feed. Authentication and
 * throttling are checked before these run (graph-stand-in.ts).
 */
export interface GraphApiParts {
  baseUrl: () => string;
  mailboxes: Mailboxes;
  subscriptions: Subscriptions;
  delta: DeltaQueries;
  activityFeed: ActivityFeed;
}

const ID_TYPES: Record<string, IdForm> = { ewsId: 'ews', restId: 'rest', restImmutableEntryId: 'immutable' };

function renderOptions(req: IncomingMessage, res: ServerResponse): RenderOptions & { pageSize?: number } {
  const applied: string[] = [];
  const idForm = preference(req, 'IdType') === 'ImmutableId' ? 'immutable' : 'rest';
  if (idForm === 'immutable') applied.push('IdType="ImmutableId"');
  const zone = preference(req, 'outlook.timezone');
  if (zone) applied.push(`outlook.timezone="${zone}"`);
  const size = Number(preference(req, 'odata.maxpagesize'));
  const pageSize = Number.isInteger(size) && size > 0 ? size : undefined;
  if (pageSize) applied.push(`odata.maxpagesize=${pageSize}`);
  if (applied.length) res.setHeader('preference-applied', applied.join(','));
  return { idForm, ...(zone ? { zone } : {}), ...(pageSize ? { pageSize } : {}) };
}

export async function handleGraph(parts: GraphApiParts, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const base = `${parts.baseUrl()}/v1.0`;
  const segments = url.pathname.split('/').filter(Boolean).slice(1); // after "v1.0"
  const method = req.method ?? 'GET';
  const [first, second, third, fourth, fifth] = segments;

  if (first === 'subscriptions') {
    if (!second && method === 'GET') {
      return sendJson(res, 200, { '@odata.context': `${base}/$metadata#subscriptions`, value: parts.subscriptions.list() });
    }
    if (!second && method === 'POST') {
      const created = await parts.subscriptions.create(await readJson(req), { immutableIds: preference(req, 'IdType') === 'ImmutableId' });
      return sendJson(res, 201, { '@odata.context': `${base}/$metadata#subscriptions/$entity`, ...created });
    }
    if (second && !third && method === 'GET') {
      return sendJson(res, 200, { '@odata.context': `${base}/$metadata#subscriptions/$entity`, ...parts.subscriptions.get(second) });
    }
    if (second && !third && method === 'PATCH') {
      const updated = await parts.subscriptions.update(second, await readJson(req));
      return sendJson(res, 200, { '@odata.context': `${base}/$metadata#subscriptions/$entity`, ...updated });
    }
    if (second && !third && method === 'DELETE') {
      parts.subscriptions.delete(second);
      res.writeHead(204).end();
      return;
    }
    if (second && third === 'reauthorize' && method === 'POST') {
      parts.subscriptions.reauthorize(second);
      res.writeHead(204).end();
      return;
    }
  }

  if (first === 'users' && second) {
    const user = parts.mailboxes.user(second);
    const userBase = `${base}/users/${second}`;
    const section = third?.toLowerCase();
    if (section === 'calendarview' && fourth === 'delta' && method === 'GET') {
      const options = renderOptions(req, res);
      const page = parts.delta.page(user.id, url.searchParams, `${userBase}/calendarView/delta`, options);
      return sendJson(res, 200, { '@odata.context': `${base}/$metadata#Collection(event)`, ...page });
    }
    if (section === 'calendarview' && !fourth && method === 'GET') {
      const options = renderOptions(req, res);
      const from = new Date(url.searchParams.get('startDateTime') ?? '');
      const to = new Date(url.searchParams.get('endDateTime') ?? '');
      if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) {
        throw graphError(
          400,
          'ErrorInvalidParameter',
          'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.',
        );
      }
      const value = parts.mailboxes.view(user.id, from, to).map((item) => item.render(options));
      return sendJson(res, 200, { '@odata.context': `${base}/$metadata#users('${second}')/calendarView`, value });
    }
    // Writes the sync may make on a partner's calendar (Calendars.ReadWrite), as Outlook would.
    if (section === 'events' && !fourth && method === 'POST') {
      const created = parts.mailboxes.create(user.id, (await readJson(req)) as Partial<Event>);
      const options = renderOptions(req, res);
      const event = parts.mailboxes.render(parts.mailboxes.itemKey(user.id, created.id!), options);
      return sendJson(res, 201, { '@odata.context': `${base}/$metadata#users('${second}')/events/$entity`, ...event });
    }
    if (section === 'events' && fourth && !fifth && method === 'PATCH') {
      const options = renderOptions(req, res);
      const id = decodeURIComponent(fourth);
      parts.mailboxes.update(user.id, id, (await readJson(req)) as Partial<Event>);
      const event = parts.mailboxes.render(parts.mailboxes.itemKey(user.id, id), options);
      return sendJson(res, 200, { '@odata.context': `${base}/$metadata#users('${second}')/events/$entity`, ...event });
    }
    if (section === 'events' && fourth && !fifth && method === 'DELETE') {
      parts.mailboxes.delete(user.id, decodeURIComponent(fourth));
      res.writeHead(204).end();
      return;
    }
    if (section === 'events' && fourth && fifth === 'cancel' && method === 'POST') {
      await readJson(req); // { comment }: the message to attendees, which the stand-in does not send
      parts.mailboxes.cancel(user.id, decodeURIComponent(fourth));
      res.writeHead(202).end();
      return;
    }
    if (section === 'events' && !fourth && method === 'GET') {
      const options = renderOptions(req, res);
      return sendJson(res, 200, { '@odata.context': `${base}/$metadata#users('${second}')/events`, value: parts.mailboxes.list(user.id, options) });
    }
    if (section === 'events' && fourth && !fifth && method === 'GET') {
      const options = renderOptions(req, res);
      const id = decodeURIComponent(fourth);
      const event = parts.mailboxes.render(parts.mailboxes.itemKey(user.id, id), options);
      return sendJson(res, 200, { '@odata.context': `${base}/$metadata#users('${second}')/events/$entity`, ...event });
    }
    if (section === 'teamwork' && fourth === 'sendActivityNotification' && !fifth && method === 'POST') {
      parts.activityFeed.send(user, decodeURIComponent(second), await readJson(req));
      res.writeHead(204).end();
      return;
    }
    if (section === 'translateexchangeids' && !fourth && method === 'POST') {
      const body = await readJson(req);
      const source = ID_TYPES[String(body.sourceIdType)];
      const target = ID_TYPES[String(body.targetIdType)];
      if (!Array.isArray(body.inputIds) || !source || !target) {
        throw graphError(
          400,
          'ErrorInvalidRequest',
          'inputIds, sourceIdType and targetIdType (ewsId, restId or restImmutableEntryId in the stand-in) are required.',
        );
      }
      const value: ConvertIdResult[] = body.inputIds.map((input: unknown) => {
        const sourceId = String(input);
        try {
          if (source !== 'immutable' && formOf(sourceId) === 'immutable') throw new Error('wrong form');
          return { sourceId, targetId: parts.mailboxes.idFor(parts.mailboxes.itemKey(user.id, sourceId), target) };
        } catch {
          return { sourceId, errorDetails: { code: 'ErrorInvalidIdMalformed', message: 'Id is malformed.' } };
        }
      });
      return sendJson(res, 200, { '@odata.context': `${base}/$metadata#Collection(microsoft.graph.convertIdResult)`, value });
    }
  }

  throw graphError(400, 'BadRequest', `Resource not found for the segment '${segments.at(-1) ?? ''}'.`);
}
