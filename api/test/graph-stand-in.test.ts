import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfidentialClientApplication } from '@azure/msal-node';
import type { ChangeNotificationCollection, Event, Subscription } from '@microsoft/microsoft-graph-types';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGraphStandIn, type GraphStandIn } from '../demo/graph-stand-in/graph-stand-in.js';
import { msalAuthorityOptions } from '../demo/graph-stand-in/msal-authority.js';
import { testClock } from './support/test-clock.js';

/**
 * The stand-in Microsoft Graph (api/demo/graph-stand-in): driven the way the sync will
 * drive it, a real MSAL client for the token and a real receiver on loopback for the
 * notifications.
 */

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
    notifications: (path = '/notify') =>
      received.filter((r) => r.path === path && r.validationToken === null).map((r) => JSON.parse(r.body) as ChangeNotificationCollection),
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
  return { status: response.status, headers: response.headers, json: (text ? JSON.parse(text) : undefined) as Record<string, any> };
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
    expect(graph.requests.some((r) => r.method === 'POST' && r.path === `/${graph.tenantId}/oauth2/v2.0/token`)).toBe(true);
    const none = await call('GET', '/subscriptions', { auth: null });
    expect(none.status).toBe(401);
    expect(none.json.error.code).toBe('InvalidAuthenticationToken');
    const forged = await call('GET', '/subscriptions', { auth: 'forged' });
    expect(forged.status).toBe(401);

    const wrongSecret = new ConfidentialClientApplication({ auth: { clientId: graph.clientId, clientSecret: 'wrong', ...msalAuthorityOptions(graph) } });
    await expect(wrongSecret.acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] })).rejects.toThrow(/invalid_client/);
  });

  it('serves the tenant openid-configuration at the path MSAL reads', async () => {
    const response = await fetch(`${graph.url}/${graph.tenantId}/v2.0/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    const config = (await response.json()) as Record<string, string>;
    expect(config.token_endpoint).toBe(`${graph.url}/${graph.tenantId}/oauth2/v2.0/token`);
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
    expect(gone.json.error.code).toBe('SyncStateNotFound');
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
