import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfidentialClientApplication } from '@azure/msal-node';
import { Client } from '@microsoft/microsoft-graph-client';
import type { ChangeNotificationCollection, Event, Subscription } from '@microsoft/microsoft-graph-types';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGraphStandInForDevelopment } from '../demo/graph-stand-in/development.js';
import { startGraphStandIn, trustStandInCertificate, type GraphStandIn } from '../demo/graph-stand-in/graph-stand-in.js';
import { msalAuthorityOptions } from '../demo/graph-stand-in/msal-authority.js';
import { GraphMetadata } from './fixtures/graph/graph-metadata.js';
import { testClock } from './support/test-clock.js';

/**
 * The stand-in Microsoft Graph (api/demo/graph-stand-in): driven the way the sync will
 * drive it, a real MSAL client for the token and a real receiver on loopback for the
 * notifications. Every payload the stand-in returns or sends is checked against Microsoft's
 * published Graph metadata (api/test/fixtures/graph), not against our own idea of Graph.
 */
const metadata = new GraphMetadata();

/** Graph's collection answers: `value` plus the OData annotations, nothing else. */
function collectionProblems(json: Record<string, unknown>, itemType: string): string[] {
  const extra = Object.keys(json).filter((k) => !['@odata.context', '@odata.nextLink', '@odata.deltaLink', 'value'].includes(k));
  return [...extra.map((k) => `$.${k}: not part of a collection answer`), ...metadata.problems(json.value, `Collection(${itemType})`, '$.value')];
}

/** The metadata type of what the stand-in answers to this request (errors: OData's `{ error: publicError }`). */
function expectConformingAnswer(method: string, path: string, status: number, json: Record<string, any> | undefined): void {
  if (status === 204 || status === 202) return expect(json).toBeUndefined();
  expect(json, `${method} ${path} answered ${status} with no body`).toBeDefined();
  const body = json!;
  let problems: string[];
  if (status >= 400) {
    problems = [
      ...Object.keys(body)
        .filter((k) => k !== 'error')
        .map((k) => `$.${k}: not part of an error`),
      ...metadata.problems(body.error, 'publicError', '$.error'),
    ];
  } else if (/\/subscriptions$/.test(path) && method === 'GET') problems = collectionProblems(body, 'subscription');
  else if (/\/subscriptions/.test(path)) problems = metadata.problems(body, 'subscription');
  else if (/\/events$/.test(path) && method === 'POST') problems = metadata.problems(body, 'event');
  else if (/\/calendarView(\/delta)?$|\/events$/i.test(path)) problems = collectionProblems(body, 'event');
  else if (/\/events\/[^/]+$/.test(path)) problems = metadata.problems(body, 'event');
  else if (/\/translateExchangeIds$/.test(path)) problems = collectionProblems(body, 'convertIdResult');
  else throw new Error(`no metadata type known for ${method} ${path}`);
  expect(problems, `${method} ${path}`).toEqual([]);
}

const PARTNER = { id: 'b1a2c3d4-0000-4000-8000-000000000001', mail: 'jo.partner@county.gov.uk', displayName: 'Jo Partner' };
const COLLEAGUE = { id: 'b1a2c3d4-0000-4000-8000-000000000002', mail: 'sam.colleague@county.gov.uk', displayName: 'Sam Colleague' };

interface Received {
  path: string;
  validationToken: string | null;
  contentType: string;
  body: string;
}

/** A notification receiver as the sync will run one: echoes validation tokens, answers 202. */
async function startReceiver(options: { echo?: boolean; status?: number } = {}) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const validationToken = url.searchParams.get('validationToken');
      received.push({ path: url.pathname, validationToken, contentType: req.headers['content-type'] ?? '', body: Buffer.concat(chunks).toString('utf8') });
      if (validationToken !== null) {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(options.echo === false ? 'not the token' : validationToken);
        return;
      }
      res.writeHead(options.status ?? 202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    /** The notification collections received at `path`, each checked against the metadata. */
    notifications: (path = '/notify') =>
      received
        .filter((r) => r.path === path && r.validationToken === null)
        .map((r) => {
          expect(r.contentType).toMatch(/^application\/json/);
          const body = JSON.parse(r.body) as ChangeNotificationCollection;
          expect(metadata.problems(body, 'changeNotificationCollection'), r.body).toEqual([]);
          return body;
        }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
type Receiver = Awaited<ReturnType<typeof startReceiver>>;

let graph: GraphStandIn;
let token: string;
let receiver: Receiver;

async function call(method: string, path: string, options: { body?: unknown; headers?: Record<string, string>; auth?: string | null } = {}) {
  const url = path.startsWith('http') ? path : `${graph.url}/v1.0${path}`;
  const headers: Record<string, string> = { ...options.headers };
  if (options.auth !== null) headers.authorization = `Bearer ${options.auth ?? token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await response.text();
  const json = (text ? JSON.parse(text) : undefined) as Record<string, any>;
  expectConformingAnswer(method, new URL(url).pathname, response.status, json);
  return { status: response.status, headers: response.headers, json };
}

const inDays = (days: number): string => new Date(testClock.now().getTime() + days * 86_400_000).toISOString();

async function subscribe(extra: Partial<Subscription> = {}, headers: Record<string, string> = {}) {
  return call('POST', '/subscriptions', {
    headers,
    body: {
      changeType: 'created,updated,deleted',
      notificationUrl: `${receiver.url}/notify`,
      lifecycleNotificationUrl: `${receiver.url}/lifecycle`,
      resource: `users/${PARTNER.id}/events`,
      expirationDateTime: inDays(2),
      clientState: 'secret-client-state',
      ...extra,
    },
  });
}

const visit = (over: Partial<Event> = {}): Partial<Event> => ({
  subject: 'School improvement visit: Oakfield Primary',
  body: { contentType: 'html', content: '<p>Termly visit</p>' },
  start: { dateTime: '2027-03-15T09:30:00', timeZone: 'GMT Standard Time' },
  end: { dateTime: '2027-03-15T12:00:00', timeZone: 'GMT Standard Time' },
  attendees: [{ type: 'required', emailAddress: { name: 'Head Teacher', address: 'head@oakfield.sch.uk' } }],
  ...over,
});

/** Reads a whole delta round from a link (or the first request), page by page. */
async function readRound(first: string, headers: Record<string, string> = {}) {
  const pages: Record<string, any>[] = [];
  let next: string | undefined = first;
  while (next) {
    const page = await call('GET', next, { headers });
    expect(page.status).toBe(200);
    pages.push(page.json);
    next = page.json['@odata.nextLink'];
  }
  return { pages, items: pages.flatMap((p) => p.value as Record<string, any>[]), deltaLink: pages.at(-1)!['@odata.deltaLink'] as string };
}

const WINDOW = `startDateTime=2027-03-01T00:00:00Z&endDateTime=2027-05-01T00:00:00Z`;

beforeAll(async () => {
  graph = await startGraphStandIn({ users: [PARTNER, COLLEAGUE], now: () => testClock.now(), notificationRetryDelaysMs: [50, 100] });
  trustStandInCertificate(graph);
  const msal = new ConfidentialClientApplication({ auth: { clientId: graph.clientId, clientSecret: graph.clientSecret, ...msalAuthorityOptions(graph) } });
  const result = await msal.acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] });
  token = result!.accessToken;
});
afterAll(() => graph.close());
beforeEach(async () => {
  receiver = await startReceiver();
});
afterEach(async () => {
  for (const s of graph.subscriptions()) await call('DELETE', `/subscriptions/${s.id}`);
  await receiver.close();
});

describe('identity', () => {
  it('gives a token to MSAL for Node by the client credentials grant, and Graph refuses requests without one', async () => {
    expect(token).toBeTruthy();
    // MSAL read the tenant's discovery document from the stand-in, then took the token there.
    expect(graph.requests.filter((r) => r.path.startsWith(`/${graph.tenantId}/`)).map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /${graph.tenantId}/v2.0/.well-known/openid-configuration`,
      `POST /${graph.tenantId}/oauth2/v2.0/token`,
    ]);
    const none = await call('GET', '/subscriptions', { auth: null });
    expect(none.status).toBe(401);
    expect(none.json.error.code).toBe('InvalidAuthenticationToken');
    const forged = await call('GET', '/subscriptions', { auth: 'forged' });
    expect(forged.status).toBe(401);

    const wrongSecret = new ConfidentialClientApplication({ auth: { clientId: graph.clientId, clientSecret: 'wrong', ...msalAuthorityOptions(graph) } });
    await expect(wrongSecret.acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] })).rejects.toThrow(/invalid_client/);
  });

  it('serves the tenant openid-configuration at the path MSAL reads', async () => {
    const response = await fetch(`${graph.httpsUrl}/${graph.tenantId}/v2.0/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    const config = (await response.json()) as Record<string, string>;
    expect(config.token_endpoint).toBe(`${graph.httpsUrl}/${graph.tenantId}/oauth2/v2.0/token`);
    expect(config.issuer).toBe(`${graph.httpsUrl}/${graph.tenantId}/v2.0`);
  });
});

describe('subscriptions', () => {
  it('validates the notification and lifecycle URLs before creating, then notifies each change', async () => {
    const created = await subscribe();
    expect(created.status).toBe(201);
    const validations = receiver.received.filter((r) => r.validationToken !== null);
    expect(validations.map((v) => v.path).sort()).toEqual(['/lifecycle', '/notify']);
    expect(validations[0]!.contentType).toMatch(/^text\/plain/);
    expect(created.json).toMatchObject({ resource: `users/${PARTNER.id}/events`, changeType: 'created,updated,deleted', clientState: 'secret-client-state' });

    const event = graph.createEvent(PARTNER.mail, visit());
    graph.updateEvent(PARTNER.id, event.id!, {
      subject: 'Moved visit',
      start: { dateTime: '2027-03-16T09:30:00', timeZone: 'GMT Standard Time' },
      end: { dateTime: '2027-03-16T12:00:00', timeZone: 'GMT Standard Time' },
    });
    graph.deleteEvent(PARTNER.id, event.id!);
    await expect.poll(() => receiver.notifications().length).toBe(3);
    const [c, u, d] = receiver.notifications().map((n) => n.value![0]!);
    expect([c!.changeType, u!.changeType, d!.changeType]).toEqual(['created', 'updated', 'deleted']);
    expect(c).toMatchObject({
      subscriptionId: created.json.id,
      subscriptionExpirationDateTime: created.json.expirationDateTime,
      resource: `Users/${PARTNER.id}/Events/${event.id}`,
      clientState: 'secret-client-state',
      tenantId: graph.tenantId,
      resourceData: { '@odata.type': '#Microsoft.Graph.Event', '@odata.id': `Users/${PARTNER.id}/Events/${event.id}`, id: event.id },
    });
    expect(graph.deliveries.filter((d) => d.kind === 'notification').every((d) => d.status === 202)).toBe(true);
  });

  it('refuses the subscription (400) when the receiver does not echo the validation token', async () => {
    const silent = await startReceiver({ echo: false });
    try {
      const refused = await subscribe({ notificationUrl: `${silent.url}/notify`, lifecycleNotificationUrl: `${silent.url}/lifecycle` });
      expect(refused.status).toBe(400);
      expect(refused.json.error.code).toBe('ValidationError');
      expect(graph.subscriptions()).toHaveLength(0);
    } finally {
      await silent.close();
    }
  });

  it('refuses an expiration more than 10,080 minutes ahead, renews within it, and deletes', async () => {
    expect((await subscribe({ expirationDateTime: inDays(7.01) })).status).toBe(400);
    const created = await subscribe();
    const renewal = inDays(6.9);
    const renewed = await call('PATCH', `/subscriptions/${created.json.id}`, { body: { expirationDateTime: renewal } });
    expect(renewed.status).toBe(200);
    expect(renewed.json.expirationDateTime).toBe(renewal);
    const listed = await call('GET', '/subscriptions');
    expect(listed.json.value.map((s: Subscription) => s.id)).toEqual([created.json.id]);
    expect((await call('DELETE', `/subscriptions/${created.json.id}`)).status).toBe(204);
    expect((await call('GET', `/subscriptions/${created.json.id}`)).status).toBe(404);
  });
});

describe('calendar view delta', () => {
  it('pages with odata.maxpagesize, then returns only what changed since the delta link', async () => {
    const user = COLLEAGUE.id;
    const events = [1, 2, 3, 4, 5].map((day) =>
      graph.createEvent(
        user,
        visit({
          subject: `Visit ${day}`,
          start: { dateTime: `2027-04-0${day}T09:00:00`, timeZone: 'UTC' },
          end: { dateTime: `2027-04-0${day}T10:00:00`, timeZone: 'UTC' },
          attendees: [],
        }),
      ),
    );
    const first = await readRound(`/users/${user}/calendarView/delta?${WINDOW}`, { prefer: 'odata.maxpagesize=2' });
    expect(first.pages.map((p) => p.value.length)).toEqual([2, 2, 1]);
    expect(first.pages.slice(0, -1).every((p) => p['@odata.nextLink'] && !p['@odata.deltaLink'])).toBe(true);
    expect(first.items.map((e) => e.subject)).toEqual(['Visit 1', 'Visit 2', 'Visit 3', 'Visit 4', 'Visit 5']);

    const nothing = await readRound(first.deltaLink);
    expect(nothing.items).toEqual([]);

    graph.updateEvent(user, events[1]!.id!, { subject: 'Visit 2, renamed' });
    graph.deleteEvent(user, events[3]!.id!);
    graph.createEvent(
      user,
      visit({
        subject: 'Visit 6',
        start: { dateTime: '2027-04-06T09:00:00', timeZone: 'UTC' },
        end: { dateTime: '2027-04-06T10:00:00', timeZone: 'UTC' },
        attendees: [],
      }),
    );
    const changes = await readRound(nothing.deltaLink);
    expect(changes.items.filter((e) => !e['@removed']).map((e) => e.subject)).toEqual(['Visit 2, renamed', 'Visit 6']);
    expect(changes.items.filter((e) => !e['@removed']).every((e) => e['@odata.type'] === '#microsoft.graph.event')).toBe(true);
    expect(changes.items.filter((e) => e['@removed'])).toEqual([
      { '@odata.type': '#microsoft.graph.event', id: events[3]!.id, '@removed': { reason: 'deleted' } },
    ]);
    for (const e of events) if (e !== events[3]) graph.deleteEvent(user, e.id!);
  });

  it('answers 410 Gone for a delta link issued before the tokens expired', async () => {
    const round = await readRound(`/users/${PARTNER.id}/calendarView/delta?${WINDOW}`);
    graph.expireDeltaTokens();
    const gone = await call('GET', round.deltaLink);
    expect(gone.status).toBe(410);
    expect(gone.json.error.code).toBe('syncStateNotFound');
    expect((await readRound(`/users/${PARTNER.id}/calendarView/delta?${WINDOW}`)).deltaLink).toBeTruthy();
  });
});

describe('throttling', () => {
  it('answers 429 with Retry-After to the next N requests, then serves again', async () => {
    graph.throttle(2, 7);
    for (let i = 0; i < 2; i += 1) {
      const throttled = await call('GET', '/subscriptions');
      expect(throttled.status).toBe(429);
      expect(throttled.headers.get('retry-after')).toBe('7');
      expect(throttled.json.error.code).toBe('TooManyRequests');
    }
    expect((await call('GET', '/subscriptions')).status).toBe(200);
  });
});

describe('recurring events', () => {
  const weekly = (over: Partial<Event> = {}): Partial<Event> =>
    visit({
      subject: 'Weekly catch-up',
      attendees: [],
      start: { dateTime: '2027-03-22T14:00:00', timeZone: 'GMT Standard Time' },
      end: { dateTime: '2027-03-22T15:00:00', timeZone: 'GMT Standard Time' },
      recurrence: {
        pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday'], firstDayOfWeek: 'monday' },
        range: { type: 'numbered', startDate: '2027-03-22', numberOfOccurrences: 4, recurrenceTimeZone: 'GMT Standard Time' },
      },
      ...over,
    });

  it('expands a series into occurrences in the window, each with its own id and iCalUId, across the clock change', async () => {
    const master = graph.createEvent(COLLEAGUE.id, weekly());
    try {
      const round = await readRound(`/users/${COLLEAGUE.id}/calendarView/delta?${WINDOW}`);
      const series = round.items.filter((e) => e.seriesMasterId === master.id);
      expect(series.map((e) => e.type)).toEqual(['occurrence', 'occurrence', 'occurrence', 'occurrence']);
      expect(new Set(series.map((e) => e.id)).size).toBe(4);
      expect(new Set(series.map((e) => e.iCalUId)).size).toBe(4);
      expect(series.some((e) => e.id === master.id)).toBe(false); // the calendar view holds no series master
      // 14:00 London is 14:00 UTC before 28 March 2027 and 13:00 UTC after it.
      expect(series.map((e) => e.start)).toEqual([
        { dateTime: '2027-03-22T14:00:00.0000000', timeZone: 'UTC' },
        { dateTime: '2027-03-29T13:00:00.0000000', timeZone: 'UTC' },
        { dateTime: '2027-04-05T13:00:00.0000000', timeZone: 'UTC' },
        { dateTime: '2027-04-12T13:00:00.0000000', timeZone: 'UTC' },
      ]);
    } finally {
      graph.deleteEvent(COLLEAGUE.id, master.id!);
    }
  });

  it('daily with an end date, and with no end (expanded only within the window)', async () => {
    const daily = graph.createEvent(
      COLLEAGUE.id,
      weekly({
        subject: 'Daily',
        recurrence: { pattern: { type: 'daily', interval: 2 }, range: { type: 'endDate', startDate: '2027-04-20', endDate: '2027-04-25' } },
        start: { dateTime: '2027-04-20T08:00:00', timeZone: 'UTC' },
        end: { dateTime: '2027-04-20T08:30:00', timeZone: 'UTC' },
      }),
    );
    const endless = graph.createEvent(
      COLLEAGUE.id,
      weekly({
        subject: 'Endless',
        recurrence: { pattern: { type: 'weekly', interval: 2, daysOfWeek: ['tuesday', 'thursday'] }, range: { type: 'noEnd', startDate: '2027-04-13' } },
        start: { dateTime: '2027-04-13T10:00:00', timeZone: 'UTC' },
        end: { dateTime: '2027-04-13T11:00:00', timeZone: 'UTC' },
      }),
    );
    try {
      const round = await readRound(`/users/${COLLEAGUE.id}/calendarView/delta?${WINDOW}`);
      expect(round.items.filter((e) => e.seriesMasterId === daily.id).map((e) => e.start.dateTime.slice(0, 10))).toEqual([
        '2027-04-20',
        '2027-04-22',
        '2027-04-24',
      ]);
      // Every other week from the week of 13 April (weeks starting Sunday): 13, 15, 27, 29 April; 1 May is past the window.
      expect(round.items.filter((e) => e.seriesMasterId === endless.id).map((e) => e.start.dateTime.slice(0, 10))).toEqual([
        '2027-04-13',
        '2027-04-15',
        '2027-04-27',
        '2027-04-29',
      ]);
    } finally {
      graph.deleteEvent(COLLEAGUE.id, daily.id!);
      graph.deleteEvent(COLLEAGUE.id, endless.id!);
    }
  });

  it('moving an occurrence makes it an exception; cancelling one removes it; the delta reports both', async () => {
    const master = graph.createEvent(COLLEAGUE.id, weekly());
    try {
      const first = await readRound(`/users/${COLLEAGUE.id}/calendarView/delta?${WINDOW}`);
      const [one, two] = first.items.filter((e) => e.seriesMasterId === master.id);
      graph.updateEvent(COLLEAGUE.id, two!.id, {
        start: { dateTime: '2027-03-30T09:00:00', timeZone: 'GMT Standard Time' },
        end: { dateTime: '2027-03-30T10:00:00', timeZone: 'GMT Standard Time' },
      });
      const moved = await call('GET', `/users/${COLLEAGUE.id}/events/${two!.id}`);
      expect(moved.json).toMatchObject({
        id: two!.id,
        type: 'exception',
        seriesMasterId: master.id,
        start: { dateTime: '2027-03-30T08:00:00.0000000', timeZone: 'UTC' },
      });
      expect(moved.json.originalStart).toBe('2027-03-29T13:00:00.000Z');

      graph.deleteEvent(COLLEAGUE.id, one!.id);
      const changes = await readRound(first.deltaLink);
      // Only what changed: the other occurrences are as they were.
      expect(changes.items.map((e) => e.id).sort()).toEqual([one!.id, two!.id].sort());
      expect(changes.items.find((e) => e.id === two!.id)).toMatchObject({ type: 'exception' });
      expect(changes.items.find((e) => e.id === one!.id)).toEqual({ '@odata.type': '#microsoft.graph.event', id: one!.id, '@removed': { reason: 'deleted' } });
      expect((await call('GET', `/users/${COLLEAGUE.id}/events/${one!.id}`)).status).toBe(404);
    } finally {
      graph.deleteEvent(COLLEAGUE.id, master.id!);
    }
  });

  it('cancelling a series master cancels every occurrence', async () => {
    const master = graph.createEvent(COLLEAGUE.id, weekly());
    const first = await readRound(`/users/${COLLEAGUE.id}/calendarView/delta?${WINDOW}`);
    graph.cancelEvent(COLLEAGUE.id, master.id!);
    const changes = await readRound(first.deltaLink);
    const occurrenceIds = first.items.filter((e) => e.seriesMasterId === master.id).map((e) => e.id);
    expect(changes.items.filter((e) => e['@removed']).map((e) => e.id)).toEqual(occurrenceIds);
  });
});

describe('events as Graph returns them', () => {
  it('in UTC unless Prefer: outlook.timezone asks for a zone, with immutable ids when asked', async () => {
    const event = graph.createEvent(PARTNER.id, visit());
    try {
      const utc = await call('GET', `/users/${PARTNER.id}/events/${event.id}`);
      expect(utc.json).toMatchObject({
        start: { dateTime: '2027-03-15T09:30:00.0000000', timeZone: 'UTC' },
        originalStartTimeZone: 'GMT Standard Time',
        isOrganizer: true,
        type: 'singleInstance',
        organizer: { emailAddress: { address: PARTNER.mail, name: PARTNER.displayName } },
      });
      expect(utc.json['@odata.etag']).toBe(`W/"${utc.json.changeKey}"`);
      const summer = graph.createEvent(
        PARTNER.id,
        visit({
          start: { dateTime: '2027-06-15T09:30:00', timeZone: 'GMT Standard Time' },
          end: { dateTime: '2027-06-15T12:00:00', timeZone: 'GMT Standard Time' },
        }),
      );
      const london = await call('GET', `/users/${PARTNER.id}/events/${summer.id}`, { headers: { prefer: 'outlook.timezone="GMT Standard Time"' } });
      expect(london.json.start).toEqual({ dateTime: '2027-06-15T09:30:00.0000000', timeZone: 'GMT Standard Time' });
      expect(london.headers.get('preference-applied')).toBe('outlook.timezone="GMT Standard Time"');
      graph.deleteEvent(PARTNER.id, summer.id!);

      const immutable = await call('GET', `/users/${PARTNER.id}/events/${event.id}`, { headers: { prefer: 'IdType="ImmutableId"' } });
      expect(immutable.json.id).not.toBe(event.id);
      expect(immutable.json.id).toBe(graph.immutableIdOf(PARTNER.id, event.id!));
      expect((await call('GET', `/users/${PARTNER.id}/events/${immutable.json.id}`, { headers: { prefer: 'IdType="ImmutableId"' } })).json.id).toBe(
        immutable.json.id,
      );
    } finally {
      graph.deleteEvent(PARTNER.id, event.id!);
    }
  });

  it("translates the add-in's EWS id to the immutable REST id", async () => {
    const event = graph.createEvent(PARTNER.id, visit());
    try {
      const ewsId = graph.ewsIdOf(PARTNER.mail, event.id!);
      const translated = await call('POST', `/users/${PARTNER.id}/translateExchangeIds`, {
        body: { inputIds: [ewsId, 'AAMkAGnot-an-id'], sourceIdType: 'ewsId', targetIdType: 'restImmutableEntryId' },
      });
      expect(translated.status).toBe(200);
      expect(translated.json.value[0]).toEqual({ sourceId: ewsId, targetId: graph.immutableIdOf(PARTNER.id, event.id!) });
      expect(translated.json.value[1].errorDetails.code).toBe('ErrorInvalidIdMalformed');
    } finally {
      graph.deleteEvent(PARTNER.id, event.id!);
    }
  });

  it("copies a meeting into an attendee's calendar; the organiser cancelling removes theirs and marks the attendee's cancelled", async () => {
    const meeting = graph.createEvent(
      PARTNER.id,
      visit({ attendees: [{ type: 'required', emailAddress: { address: COLLEAGUE.mail, name: COLLEAGUE.displayName } }] }),
    );
    const attendeeRound = await readRound(`/users/${COLLEAGUE.id}/calendarView/delta?${WINDOW}`);
    const copy = attendeeRound.items.find((e) => e.iCalUId === meeting.iCalUId)!;
    expect(copy).toMatchObject({ isOrganizer: false, isCancelled: false, responseStatus: { response: 'notResponded' } });
    expect(copy.id).not.toBe(meeting.id);

    graph.cancelEvent(PARTNER.id, meeting.id!);
    expect((await call('GET', `/users/${PARTNER.id}/events/${meeting.id}`)).status).toBe(404);
    const after = await readRound(attendeeRound.deltaLink);
    expect(after.items).toEqual([expect.objectContaining({ id: copy.id, isCancelled: true, subject: `Canceled: ${meeting.subject}` })]);
    graph.deleteEvent(COLLEAGUE.id, copy.id);
  });
});

describe('writes through Graph', () => {
  it('creates, updates, cancels (organiser only) and deletes events as Graph answers them', async () => {
    const created = await call('POST', `/users/${PARTNER.id}/events`, {
      body: visit({ attendees: [{ type: 'required', emailAddress: { address: COLLEAGUE.mail, name: COLLEAGUE.displayName } }] }),
    });
    expect(created.status).toBe(201);
    const patched = await call('PATCH', `/users/${PARTNER.id}/events/${created.json.id}`, { body: { subject: 'Rearranged visit' } });
    expect(patched.json).toMatchObject({ subject: 'Rearranged visit' });
    expect(patched.json.changeKey).not.toBe(created.json.changeKey);

    const copy = (await call('GET', `/users/${COLLEAGUE.id}/events`)).json.value.find((e: Event) => e.iCalUId === created.json.iCalUId) as Event;
    expect(copy.subject).toBe('Rearranged visit');
    const byAttendee = await call('POST', `/users/${COLLEAGUE.id}/events/${copy.id}/cancel`, { body: { comment: 'no' } });
    expect(byAttendee.status).toBe(400);
    expect(byAttendee.json.error.message).toBe("Your request can't be completed. You need to be an organizer to cancel a meeting.");
    expect((await call('POST', `/users/${PARTNER.id}/events/${created.json.id}/cancel`, { body: { comment: 'Sorry' } })).status).toBe(202);
    expect((await call('GET', `/users/${COLLEAGUE.id}/events/${copy.id}`)).json.isCancelled).toBe(true);
    expect((await call('DELETE', `/users/${COLLEAGUE.id}/events/${copy.id}`)).status).toBe(204);
    expect((await call('GET', `/users/${COLLEAGUE.id}/events/${copy.id}`)).status).toBe(404);
  });
});

describe('notification faults and lifecycle', () => {
  it('sends lifecycle notifications to the lifecycle URL; subscriptionRemoved ends the subscription', async () => {
    const created = await subscribe();
    await graph.sendLifecycle(created.json.id, 'reauthorizationRequired');
    await graph.sendLifecycle(created.json.id, 'missed');
    const lifecycle = receiver.notifications('/lifecycle').map((n) => n.value![0]!);
    expect(lifecycle).toEqual([
      {
        subscriptionId: created.json.id,
        subscriptionExpirationDateTime: created.json.expirationDateTime,
        tenantId: graph.tenantId,
        clientState: 'secret-client-state',
        lifecycleEvent: 'reauthorizationRequired',
      },
      expect.objectContaining({ lifecycleEvent: 'missed' }),
    ]);
    expect((await call('POST', `/subscriptions/${created.json.id}/reauthorize`)).status).toBe(204);
    await graph.sendLifecycle(created.json.id, 'subscriptionRemoved');
    expect(receiver.notifications('/lifecycle').at(-1)!.value![0]!.lifecycleEvent).toBe('subscriptionRemoved');
    expect((await call('GET', `/subscriptions/${created.json.id}`)).status).toBe(404);
  });

  it('drops notifications while asked to, and an expired subscription notifies no more', async () => {
    const created = await subscribe();
    graph.dropNotifications(true);
    const dropped = graph.createEvent(PARTNER.id, visit());
    graph.dropNotifications(false);
    const seen = graph.createEvent(PARTNER.id, visit());
    await expect.poll(() => receiver.notifications().length).toBe(1);
    expect((receiver.notifications()[0]!.value![0]!.resourceData as { id?: string }).id).toBe(seen.id);

    graph.expireSubscription(created.json.id);
    graph.updateEvent(PARTNER.id, seen.id!, { subject: 'after expiry' });
    await graph.notificationsSettled();
    expect(receiver.notifications()).toHaveLength(1);
    expect(graph.subscriptions()).toEqual([]);
    expect((await call('PATCH', `/subscriptions/${created.json.id}`, { body: { expirationDateTime: inDays(1) } })).status).toBe(404);
    graph.deleteEvent(PARTNER.id, dropped.id!);
    graph.deleteEvent(PARTNER.id, seen.id!);
  });

  it('retries a notification the receiver refuses, and records each attempt', async () => {
    const refusing = await startReceiver({ status: 500 });
    try {
      const created = await subscribe({ notificationUrl: `${refusing.url}/notify`, lifecycleNotificationUrl: `${refusing.url}/lifecycle` });
      const event = graph.createEvent(PARTNER.id, visit());
      await expect
        .poll(() => graph.deliveries.filter((d) => d.subscriptionId === created.json.id && d.kind === 'notification').map((d) => d.status))
        .toEqual([500, 500, 500]);
      expect(refusing.notifications()).toHaveLength(3);
      graph.deleteEvent(PARTNER.id, event.id!);
    } finally {
      await refusing.close();
    }
  });

  it('notifies with immutable ids for a subscription created with Prefer: IdType="ImmutableId"', async () => {
    await subscribe({}, { prefer: 'IdType="ImmutableId"' });
    const event = graph.createEvent(PARTNER.id, visit());
    await expect.poll(() => receiver.notifications().length).toBe(1);
    expect((receiver.notifications()[0]!.value![0]!.resourceData as { id?: string }).id).toBe(graph.immutableIdOf(PARTNER.id, event.id!));
    graph.deleteEvent(PARTNER.id, event.id!);
  });
});

describe('the Microsoft Graph JavaScript client against the stand-in', () => {
  it('reads a delta round over https, waiting out a 429 as the client does', async () => {
    const client = Client.init({
      authProvider: (done) => done(null, token),
      baseUrl: graph.httpsUrl,
      customHosts: new Set(['127.0.0.1']),
    });
    const event = graph.createEvent(PARTNER.id, visit());
    try {
      graph.throttle(1, 1);
      const page = (await client
        .api(`/users/${PARTNER.id}/calendarView/delta`)
        .query({ startDateTime: '2027-03-01T00:00:00Z', endDateTime: '2027-05-01T00:00:00Z' })
        .get()) as Record<string, any>;
      expect(page.value.map((e: Event) => e.id)).toContain(event.id);
      expect(page['@odata.deltaLink']).toMatch(new RegExp(`^${graph.httpsUrl}/v1.0/users/`));
      expect(collectionProblems(page, 'event')).toEqual([]);
      const tries = graph.requests.filter((r) => r.path === `/v1.0/users/${PARTNER.id}/calendarView/delta`);
      expect(tries.length).toBeGreaterThanOrEqual(2); // the 429, then the retry after Retry-After
    } finally {
      graph.deleteEvent(PARTNER.id, event.id!);
    }
  });
});

describe('the metadata check itself', () => {
  it('refuses a property the metadata does not declare, a wrong primitive kind, an unknown enum member and a bad annotation', () => {
    const event = {
      id: 'x',
      subject: 'S',
      isCancelled: 'no',
      showAs: 'sleeping',
      start: { dateTime: '2027-01-01T00:00:00', timeZone: 'UTC', offset: 0 },
      madeUp: 1,
      '@odata.bogus': 'x',
    };
    expect(metadata.problems(event, 'event')).toEqual([
      '$.isCancelled: expected Edm.Boolean, got "no"',
      '$.showAs: "sleeping" is not a member of freeBusyStatus',
      '$.start.offset: dateTimeTimeZone declares no property offset',
      '$.madeUp: event declares no property madeUp',
      '$.@odata.bogus: annotation @odata.bogus is not one Graph documents',
    ]);
    expect(metadata.problems({ subscriptionId: 'not-a-guid', subscriptionExpirationDateTime: 'tomorrow' }, 'changeNotification')).toHaveLength(2);
    expect(metadata.problems({ expirationDateTime: null }, 'subscription')).toEqual([
      '$.expirationDateTime: null where subscription.expirationDateTime is not nullable',
    ]);
  });
});

describe('development', () => {
  it("starts with the demo partners' mailboxes, settings MSAL and the Graph client use as they are, and a control API for the Outlook page", async () => {
    const { standIn, settings } = await startGraphStandInForDevelopment();
    try {
      const partner = (await (await fetch(`${standIn.url}/stand-in/users`)).json()) as { id: string; mail: string }[];
      expect(partner.length).toBeGreaterThan(1);
      const created = await fetch(`${standIn.url}/stand-in/users/${encodeURIComponent(partner[0]!.mail)}/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'http://127.0.0.1:4000' },
        body: JSON.stringify(visit()),
      });
      expect(created.status).toBe(201);
      expect(created.headers.get('access-control-allow-origin')).toBe('*');
      const event = (await created.json()) as Event;
      expect(metadata.problems(event, 'event')).toEqual([]);

      const msal = new ConfidentialClientApplication({
        auth: { clientId: settings.clientId, clientSecret: settings.clientSecret, authority: settings.authority, knownAuthorities: settings.knownAuthorities },
      });
      const { accessToken } = (await msal.acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] }))!;
      const client = Client.init({
        authProvider: (done) => done(null, accessToken),
        baseUrl: settings.graphBaseUrl.replace(/\/v1\.0$/, ''),
        customHosts: new Set(settings.customHosts),
      });
      const read = (await client.api(`/users/${partner[0]!.id}/events/${event.id}`).get()) as Event;
      expect(read.subject).toBe(event.subject);

      const faults = await fetch(`${standIn.url}/stand-in/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ throttle: { requests: 1, retryAfterSeconds: 3 } }),
      });
      expect(faults.status).toBe(204);
      const throttled = await fetch(`${standIn.url}/v1.0/users/${partner[0]!.id}/events`, { headers: { authorization: `Bearer ${accessToken}` } });
      expect(throttled.status).toBe(429);
      expect(throttled.headers.get('retry-after')).toBe('3');
      await throttled.arrayBuffer();
    } finally {
      await standIn.close();
    }
  });
});

describe('the Teams activity feed (sendActivityNotification)', () => {
  const notification = (over: Record<string, unknown> = {}) => ({
    topic: {
      source: 'text',
      value: 'Headteacher agreed: Oakfield Primary',
      webUrl: 'https://teams.microsoft.com/l/entity/3d0b6a52-7c1e-4f4e-9a57-5c2f8e1b6d10/notes?context=%7B%22subEntityId%22%3A%22v1%22%7D',
    },
    activityType: 'headteacherAgreed',
    previewText: { content: 'The headteacher agreed the note of your autumn visit.' },
    templateParameters: [{ name: 'school', value: 'Oakfield Primary' }],
    teamsAppId: '3d0b6a52-7c1e-4f4e-9a57-5c2f8e1b6d10',
    ...over,
  });

  it('takes a notification that follows the published contract (204), by user id or principal name, and records it', async () => {
    const body = notification();
    expect(metadata.actionProblems(body, 'sendActivityNotification', 'userTeamwork')).toEqual([]);
    const before = graph.activityNotifications.length;
    expect((await call('POST', `/users/${PARTNER.mail}/teamwork/sendActivityNotification`, { body })).status).toBe(204);
    expect((await call('POST', `/users/${PARTNER.id}/teamwork/sendActivityNotification`, { body })).status).toBe(204);
    expect(graph.activityNotifications.slice(before).map((n) => [n.userId, n.addressedAs, n.body])).toEqual([
      [PARTNER.id, PARTNER.mail, body],
      [PARTNER.id, PARTNER.id, body],
    ]);
    expect((await call('POST', `/users/nobody@county.gov.uk/teamwork/sendActivityNotification`, { body })).status).toBe(404);
  });

  it('refuses what the contract does not allow: no topic, a text topic without a Teams link, a long preview', async () => {
    const { topic: _topic, ...noTopic } = notification();
    const refusals = [
      noTopic,
      notification({ topic: { source: 'text', value: 'x', webUrl: 'https://example.org/' } }),
      notification({ previewText: { content: 'x'.repeat(151) } }),
      notification({ activityType: '' }),
    ];
    for (const body of refusals) {
      const answer = await call('POST', `/users/${PARTNER.id}/teamwork/sendActivityNotification`, { body });
      expect(answer.status).toBe(400);
      expect(answer.json.error.message).toMatch(/^Invalid request body: /);
    }
    // The metadata check itself refuses what the action does not declare.
    expect(metadata.actionProblems(notification({ recipient: {} }), 'sendActivityNotification', 'userTeamwork')).toEqual([
      '$.recipient: sendActivityNotification has no parameter recipient',
    ]);
    expect(metadata.actionProblems(notification({ topic: { source: 'web', value: 'x' } }), 'sendActivityNotification', 'userTeamwork')).toEqual([
      '$.topic.source: "web" is not a member of teamworkActivityTopicSource',
    ]);
  });

  it('fails as told: 403 (the app is not installed for the user), 404, 500, for the next N calls', async () => {
    for (const status of [403, 404, 500] as const) {
      graph.failActivityFeed(status, 1);
      const failed = await call('POST', `/users/${PARTNER.id}/teamwork/sendActivityNotification`, { body: notification() });
      expect(failed.status).toBe(status);
      expect((await call('POST', `/users/${PARTNER.id}/teamwork/sendActivityNotification`, { body: notification() })).status).toBe(204);
    }
    // Through the control API, as the development page would.
    const control = await fetch(`${graph.url}/stand-in/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ activityFeed: { status: 403 } }),
    });
    expect(control.status).toBe(204);
    expect((await call('POST', `/users/${PARTNER.id}/teamwork/sendActivityNotification`, { body: notification() })).status).toBe(403);
    expect((await call('POST', `/users/${PARTNER.id}/teamwork/sendActivityNotification`, { body: notification() })).status).toBe(403);
    graph.failActivityFeed(null);
    expect((await call('POST', `/users/${PARTNER.id}/teamwork/sendActivityNotification`, { body: notification() })).status).toBe(204);
  });
});
