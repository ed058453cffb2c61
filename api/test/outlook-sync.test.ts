import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Event } from '@microsoft/microsoft-graph-types';
import { pino } from 'pino';
import type { ApplySummary, CalendarChange, CalendarVisits, Mailbox } from '../src/outlook-sync/calendar-change.js';
import { CalendarSubscription } from '../src/outlook-sync/calendar-subscription.entity.js';
import { createCalendarSync, type GraphNotification } from '../src/outlook-sync/calendar-sync.js';
import { createClientStates } from '../src/outlook-sync/client-state.js';
import type { GraphCalendar } from '../src/outlook-sync/graph-calendar.js';
import { Partner } from '../src/partners/partner.entity.js';
import type { Em } from '../src/platform/db/orm.js';
import type { JobQueue } from '../src/platform/jobs/job-queue.js';
import { loadSigningKeys } from '../src/platform/signing-keys.js';
import type { GraphStandIn } from '../demo/graph-stand-in/graph-stand-in.js';
import { DEMO_MAILBOXES, startStandIn, startSyncApp, syncConfigFor, type SyncApp } from './support/outlook-sync-harness.js';
import { testClock } from './support/test-clock.js';
import { cloneTemplate, type TestDatabase } from './support/test-database.js';

/**
 * Calendar sync's mechanics against the stand-in Graph (api/demo/graph-stand-in): subscriptions,
 * notifications, lifecycle events, delta, 410 and 429, all recovered with no restart. What a
 * change does to visits is not tested here (outlook-sync-acceptance.test.ts): a recording
 * CalendarVisits shows what sync handed over.
 */

const ATTEMPT = { timeout: 10_000, interval: 100 };

/** Records what sync hands over, per mailbox. */
function recordingVisits() {
  const applied: { email: string; changes: CalendarChange[] }[] = [];
  const summary = (): ApplySummary => ({ moved: 0, cancelled: 0, flagged: 0, attendeesChanged: 0, ignored: 0 });
  const visits: CalendarVisits = {
    unlinked: async () => [],
    linkedEventIds: async () => [],
    link: async () => summary(),
    apply: async (_em: Em, mailbox: Mailbox, changes: CalendarChange[]) => {
      applied.push({ email: mailbox.email, changes });
      return summary();
    },
  };
  /** Whether sync has handed over this event (by subject) with this subject or as removed. */
  const sawEvent = (email: string, test: (e: Event) => boolean) =>
    applied.some((a) => a.email === email && a.changes.some((c) => c.kind === 'event' && test(c.event)));
  const sawRemoval = (email: string, eventId: string) =>
    applied.some((a) => a.email === email && a.changes.some((c) => c.kind === 'removed' && c.eventId === eventId));
  return { visits, applied, sawEvent, sawRemoval };
}

let db: TestDatabase;
let standIn: GraphStandIn;
let sync: SyncApp;
const recorded = recordingVisits();
const [, , helen, david, sarah, peter, anjali] = DEMO_MAILBOXES;

const rows = () => sync.app.orm.em.fork().find(CalendarSubscription, {}, { populate: ['partner'], refresh: true });
const rowOf = async (email: string) => (await rows()).find((r) => r.mailbox === email)!;
const deltaReadsOf = (email: string) =>
  standIn.requests.filter((r) => r.method === 'GET' && decodeURIComponent(r.path).includes(email) && r.path.endsWith('/delta'));
const event = (subject: string, day: string): Partial<Event> => ({
  subject,
  start: { dateTime: `${day}T09:00:00`, timeZone: 'GMT Standard Time' },
  end: { dateTime: `${day}T12:00:00`, timeZone: 'GMT Standard Time' },
});

beforeAll(async () => {
  db = await cloneTemplate();
  standIn = await startStandIn();
  sync = await startSyncApp(db, standIn, { intervalSeconds: 3600, checkSeconds: 1 }, recorded.visits);
}, 60_000);
afterAll(async () => {
  await sync?.stop();
  await standIn?.close();
  await db?.drop();
});

describe('subscriptions', () => {
  it('creates one subscription per partner who books visits, through the validation handshake', async () => {
    const active = await sync.app.orm.em.fork().count(Partner, { active: true });
    await expect.poll(() => standIn.subscriptions().length, ATTEMPT).toBe(active);
    const subs = standIn.subscriptions();
    expect(new Set(subs.map((s) => s.resource))).toEqual(new Set(DEMO_MAILBOXES.map((m) => `users/${m}/events`)));
    expect(subs.every((s) => s.changeType === 'created,updated,deleted' && s.notificationUrl === `${sync.url}/graph/notifications`)).toBe(true);
    expect(subs.every((s) => s.lifecycleNotificationUrl === `${sync.url}/graph/lifecycle`)).toBe(true);
    // Graph checked both addresses of each subscription, and they echoed its token.
    const validations = standIn.deliveries.filter((d) => d.kind === 'validation');
    expect(validations.length).toBeGreaterThanOrEqual(2 * active);
    expect(validations.every((d) => d.status === 200)).toBe(true);
    // The rows keep each subscription with a keyed hash of its clientState, never the value.
    await expect.poll(async () => (await rows()).filter((r) => r.subscriptionId).length, ATTEMPT).toBe(active);
    for (const row of await rows()) {
      const sub = subs.find((s) => s.id === row.subscriptionId)!;
      expect(row.clientStateHash).toMatch(/^[0-9a-f]{64}$/);
      if (sub.clientState) expect(row.clientStateHash).not.toContain(sub.clientState);
    }
  });

  it('reads each mailbox at start-up and keeps its delta link', async () => {
    await expect.poll(async () => (await rows()).filter((r) => r.deltaLink && r.lastSyncedAt).length, ATTEMPT).toBe(DEMO_MAILBOXES.length);
  });

  it('answers a validation request with its token as text/plain', async () => {
    const res = await fetch(
      `${sync.url}/graph/notifications?validationToken=${encodeURIComponent('Validation: Testing client application reachability <1234>')}`,
      {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
      },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toBe('Validation: Testing client application reachability <1234>');
  });

  it('renews a subscription before it expires', async () => {
    const row = await rowOf(helen);
    const before = standIn.subscriptions().find((s) => s.id === row.subscriptionId)!.expirationDateTime!;
    // As if it were close to its end (the stand-in keeps its own expiry): the next check renews it.
    await sync.app.orm.em.fork().nativeUpdate(CalendarSubscription, { id: row.id }, { expiresAt: new Date(Date.now() + 60_000) });
    await expect.poll(async () => (await rowOf(helen)).expiresAt!.getTime() > Date.now() + 30 * 60_000, ATTEMPT).toBe(true);
    const after = standIn.subscriptions().find((s) => s.id === row.subscriptionId)!.expirationDateTime!;
    expect(Date.parse(after)).toBeGreaterThan(Date.parse(before));
    expect(standIn.requests.some((r) => r.method === 'PATCH' && r.path === `/v1.0/subscriptions/${row.subscriptionId}`)).toBe(true);
  });

  it('renews on reauthorizationRequired', async () => {
    const row = await rowOf(david);
    const patches = () => standIn.requests.filter((r) => r.method === 'PATCH' && r.path === `/v1.0/subscriptions/${row.subscriptionId}`).length;
    const before = patches();
    await standIn.sendLifecycle(row.subscriptionId!, 'reauthorizationRequired');
    await expect.poll(patches, ATTEMPT).toBeGreaterThan(before);
    expect((await rowOf(david)).subscriptionId).toBe(row.subscriptionId);
  });

  it('recreates a removed subscription (subscriptionRemoved) and reads the mailbox again', async () => {
    const row = await rowOf(sarah);
    const reads = deltaReadsOf(sarah).length;
    await standIn.sendLifecycle(row.subscriptionId!, 'subscriptionRemoved');
    const recreated = async () => {
      const id = (await rowOf(sarah)).subscriptionId;
      return !!id && id !== row.subscriptionId;
    };
    await expect.poll(recreated, ATTEMPT).toBe(true);
    const now = await rowOf(sarah);
    expect(
      standIn
        .subscriptions()
        .filter((s) => s.resource === `users/${sarah}/events`)
        .map((s) => s.id),
    ).toEqual([now.subscriptionId]);
    await expect.poll(() => deltaReadsOf(sarah).length, ATTEMPT).toBeGreaterThan(reads);
  });

  it('recreates a subscription that expired without notice', async () => {
    const row = await rowOf(peter);
    standIn.expireSubscription(row.subscriptionId!);
    const recreated = async () => {
      const id = (await rowOf(peter)).subscriptionId;
      return !!id && id !== row.subscriptionId;
    };
    await expect.poll(recreated, ATTEMPT).toBe(true);
    expect(
      standIn
        .subscriptions()
        .filter((s) => s.resource === `users/${peter}/events`)
        .map((s) => s.id),
    ).toEqual([(await rowOf(peter)).subscriptionId]);
  });

  it('reads the mailbox by delta on missed', async () => {
    const row = await rowOf(anjali);
    const reads = deltaReadsOf(anjali).length;
    await standIn.sendLifecycle(row.subscriptionId!, 'missed');
    await expect.poll(() => deltaReadsOf(anjali).length, ATTEMPT).toBeGreaterThan(reads);
  });
});

describe('changes', () => {
  it('hands a created, moved and deleted event over after its notification', async () => {
    const created = standIn.createEvent(helen, event('Spring visit, Fenfield Primary', '2027-03-15'));
    await expect.poll(() => recorded.sawEvent(helen, (e) => e.subject === 'Spring visit, Fenfield Primary'), ATTEMPT).toBe(true);
    standIn.updateEvent(helen, created.id!, event('Spring visit, Fenfield Primary (moved)', '2027-03-16'));
    await expect
      .poll(
        () => recorded.sawEvent(helen, (e) => e.subject === 'Spring visit, Fenfield Primary (moved)' && e.start!.dateTime!.startsWith('2027-03-16')),
        ATTEMPT,
      )
      .toBe(true);
    // Ids as immutable ids: the same id reads say, whatever the item does.
    const handedOver = recorded.applied
      .flatMap((a) => a.changes)
      .find((c) => c.kind === 'event' && c.event.subject === 'Spring visit, Fenfield Primary (moved)');
    const immutable = standIn.immutableIdOf(helen, created.id!);
    expect(handedOver?.kind === 'event' && handedOver.event.id).toBe(immutable);
    standIn.deleteEvent(helen, created.id!);
    await expect.poll(() => recorded.sawRemoval(helen, immutable), ATTEMPT).toBe(true);
  });

  it('after an expired delta link (410), reads the whole window again', async () => {
    standIn.expireDeltaTokens();
    const reads = deltaReadsOf(david).length;
    standIn.createEvent(david, event('Autumn visit after 410', '2027-04-20'));
    await expect.poll(() => recorded.sawEvent(david, (e) => e.subject === 'Autumn visit after 410'), ATTEMPT).toBe(true);
    const since = deltaReadsOf(david).slice(reads);
    // A read with the old link, refused, then a fresh read of the window (startDateTime, not a token).
    expect(since.some((r) => r.query.includes('startDateTime'))).toBe(true);
    expect((await rowOf(david)).deltaLink).toBeTruthy();
  });

  it('when throttled (429) beyond the client’s own retries, tries again after Retry-After and catches up', async () => {
    // More refusals than the client's three retries: the job is queued again after Retry-After.
    standIn.throttle(6, 1);
    standIn.createEvent(sarah, event('Visit during throttling', '2027-05-04'));
    await expect.poll(() => recorded.sawEvent(sarah, (e) => e.subject === 'Visit during throttling'), { timeout: 20_000, interval: 200 }).toBe(true);
    expect((await rowOf(sarah)).lastError).toBeNull();
  }, 30_000);
});

describe('notifications that do not prove themselves', () => {
  it('answers 202 to a notification with a wrong clientState, and does not queue its mailbox', async () => {
    const row = await rowOf(helen);
    const res = await fetch(`${sync.url}/graph/notifications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ value: [{ subscriptionId: row.subscriptionId, clientState: 'not-the-secret', changeType: 'updated', resource: 'x' }] }),
    });
    expect(res.status).toBe(202);
  });

  it('queues only notifications whose clientState matches, and logs the others without the value', async () => {
    const keys = await loadSigningKeys(sync.config.schoolSide);
    const clientStates = createClientStates(keys);
    const issued = clientStates.issue();
    const row = await rowOf(helen);
    await sync.app.orm.em.fork().nativeUpdate(CalendarSubscription, { id: row.id }, { clientStateHash: issued.hash, clientStateKeyVersion: issued.keyVersion });
    const sent: { name: string; key?: string }[] = [];
    const jobs = {
      send: async (name: string, _data: object, options: { key?: string } = {}) => {
        sent.push({ name, key: options.key });
        return null;
      },
    } as unknown as JobQueue;
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const handler = createCalendarSync({
      orm: sync.app.orm,
      jobs,
      graph: {} as GraphCalendar,
      visits: recorded.visits,
      clientStates,
      config: syncConfigFor(standIn),
      logger,
      clock: testClock,
    });
    const wrong: GraphNotification = { subscriptionId: row.subscriptionId!, clientState: 'a-guess-at-the-secret' };
    await handler.notified([wrong, { subscriptionId: 'unknown-subscription', clientState: issued.clientState }]);
    expect(sent).toEqual([]);
    expect(lines.join('\n')).toContain('calendar notification dropped');
    expect(lines.join('\n')).not.toContain('a-guess-at-the-secret');
    expect(lines.join('\n')).not.toContain(issued.clientState);
    await handler.notified([{ subscriptionId: row.subscriptionId!, clientState: issued.clientState }]);
    expect(sent).toEqual([{ name: 'calendar-sync.mailbox', key: row.partner.id }]);
  });
});
