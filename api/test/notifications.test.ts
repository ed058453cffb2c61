import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from '../src/app/app.js';
import { loadWorkingCalendar } from '../src/calendar/council-closure-days.js';
import { ref } from '@mikro-orm/core';
import { Visit } from '../src/visits/visit.entity.js';
import { OutboundEmail } from '../src/mail/outbound-email.entity.js';
import { NoteOfVisit } from '../src/notes/note-of-visit.entity.js';
import { NoteStatus } from '../src/notes/note.enums.js';
import { NotificationChannel, NotificationKind, NotificationStatus } from '../src/notifications/notification.enums.js';
import { Notification } from '../src/notifications/notification.entity.js';
import { NotificationEventClaim } from '../src/notifications/notification-cursor.entity.js';
import { EVENT_NOTIFICATIONS, FEED_KINDS, noteDeepLink, type Audience } from '../src/notifications/notification.rules.js';
import { digestFor, sendWeeklyDigests } from '../src/notifications/weekly-digest.js';
import { Partner } from '../src/partners/partner.entity.js';
import { PartnerRole } from '../src/partners/partner.enums.js';
import { runAs } from '../src/platform/audit/audit-context.js';
import { plusDays } from '../src/platform/dates/bank-holidays.js';
import { businessDateOf, formatLondon } from '../src/platform/dates/today.js';
import type { Em } from '../src/platform/db/orm.js';
import { DomainEventKind, recordEvent } from '../src/platform/events/domain-events.js';
import { notificationsFromEnv, TEAMS_MANIFEST_APP_ID, type NotificationsConfig } from '../src/platform/notifications-config.js';
import type { GraphStandIn } from '../demo/graph-stand-in/graph-stand-in.js';
import { TEAMS_APP_ID, noteOfVisitLink } from '../../addin/src/shared/teams-app.js';
import { GraphMetadata } from './fixtures/graph/graph-metadata.js';
import { recordIssued } from './support/issued-secrets.js';
import { startStandIn } from './support/outlook-sync-harness.js';
import { startTestApp, testConfig, testLogger, type TestApp } from './support/test-app.js';
import { testClock } from './support/test-clock.js';
import { cloneTemplate, realPostgresUrl, type TestDatabase } from './support/test-database.js';

/**
 * Issue 22, acceptance item 2, against the stand-in Graph: each event tells each person once, in the Teams
 * activity feed (what the stand-in received: the user, the activity type declared in the manifest, the deep
 * link to the note) or by email when the feed refuses; people's choices are respected; the digest lists
 * what it should; two instances on real PostgreSQL send once.
 */

/** Notifications with the Teams feed on, pointed at the stand-in through the variables a council sets. */
function feedConfig(standIn: GraphStandIn): NotificationsConfig {
  const { config, problems } = notificationsFromEnv({
    NODE_ENV: 'test',
    NOTIFICATIONS: 'on',
    NOTIFICATIONS_TEAMS_FEED: 'on',
    NOTIFICATIONS_INTERVAL_SECONDS: 3600,
    NOTIFICATIONS_DIGEST: 'on',
    GRAPH_TENANT_ID: standIn.tenantId,
    GRAPH_CLIENT_ID: standIn.clientId,
    GRAPH_CLIENT_SECRET: standIn.clientSecret,
    GRAPH_AUTHORITY_HOST: standIn.url,
    GRAPH_BASE_URL: standIn.url,
  } as never);
  if (problems.length) throw new Error(problems.join('\n'));
  return config;
}

const manifest = JSON.parse(readFileSync(new URL('../../addin/teams/manifest.json', import.meta.url), 'utf8')) as {
  id: string;
  activities: { activityTypes: { type: string; description: string; templateText: string }[] };
};
const metadata = new GraphMetadata();

let standIn: GraphStandIn;
let t: TestApp;
const em = () => t.app.orm.em.fork() as Em;
const run = (app: App = t.app) => app.notifications!.runOnce();

/**
 * A new note of visit in `status`, on a visit of the demo county that has none, written by its lead
 * partner (the demo county has few notes still open, and each test wants its own).
 */
/** Due dates a week and a fortnight from the suite's day: nothing late, nothing due tomorrow, whatever the day. */
const notYetDue = () => {
  const today = businessDateOf(testClock.now());
  return { draft: plusDays(today, 7), circulation: plusDays(today, 14) };
};

async function newNote(status: NoteStatus, dueOn: { draft: string; circulation: string } = notYetDue(), app = t.app) {
  const e = app.orm.em.fork() as Em;
  const [row] = await e.execute<{ id: string }[]>(
    `select v.id from visit v where not exists (select 1 from note_of_visit n where n.visit_id = v.id) and v.status <> 'cancelled' order by v.starts_at, v.id limit 1`,
  );
  const visit = await e.findOneOrFail(Visit, row!.id, { populate: ['leadPartner'] });
  const now = testClock.now();
  const note = Object.assign(new NoteOfVisit(), {
    visit: ref(visit),
    author: visit.leadPartner,
    status,
    draftDueOn: dueOn.draft,
    circulationDueOn: dueOn.circulation,
    ...(status === NoteStatus.DRAFT ? {} : { sharedAt: now, firstSharedAt: now }),
  });
  e.persist(note);
  await e.flush();
  return { id: note.id, visitId: visit.id, author: visit.leadPartner.getEntity() };
}

/** A draft shared with the headteacher, its author and visit. */
const sharedNote = () => newNote(NoteStatus.SHARED);

/** What the stand-in received since `from`, as user → activity types. */
const received = (from: number) => standIn.activityNotifications.slice(from);

async function answer(noteId: string, agreed: boolean) {
  const res = await t.gql(
    `mutation($id: ID!, $agreed: Boolean!) { recordHeadteacherResponse(id: $id, agreed: $agreed, comment: "On the phone", reason: "Given by phone") { id status } }`,
    { id: noteId, agreed },
  );
  expect(res.errors).toBeUndefined();
}

beforeAll(async () => {
  standIn = await startStandIn();
  recordIssued('bearer', standIn.clientSecret);
  t = await startTestApp({ config: { notifications: feedConfig(standIn) } });
  // The demo county's deadlines already passed are told first; the tests below count from there.
  await run();
}, 120_000);
afterAll(async () => {
  await t?.stop();
  await standIn?.close();
});

describe('settings, safe by default', () => {
  const base = { NODE_ENV: 'production', NOTIFICATIONS: 'on', NOTIFICATIONS_INTERVAL_SECONDS: 60, NOTIFICATIONS_DIGEST: 'on' };
  it('email only unless the feed is asked for; the feed needs the Graph app registration, over https in production', () => {
    expect(notificationsFromEnv({ ...base, NOTIFICATIONS_TEAMS_FEED: 'off' } as never)).toEqual({
      config: { enabled: true, teamsFeed: null, intervalSeconds: 60, digest: true },
      problems: [],
    });
    const missing = notificationsFromEnv({
      ...base,
      NOTIFICATIONS_TEAMS_FEED: 'on',
      GRAPH_AUTHORITY_HOST: 'https://login.microsoftonline.com',
      GRAPH_BASE_URL: 'http://graph.example',
    } as never);
    expect(missing.problems).toEqual([
      'GRAPH_TENANT_ID: required when NOTIFICATIONS_TEAMS_FEED=on',
      'GRAPH_CLIENT_ID: required when NOTIFICATIONS_TEAMS_FEED=on',
      'GRAPH_CLIENT_SECRET: required when NOTIFICATIONS_TEAMS_FEED=on (or GRAPH_CERTIFICATE_PATH and GRAPH_CERTIFICATE_THUMBPRINT)',
      'GRAPH_BASE_URL: must be an https:// address when NODE_ENV=production',
    ]);
  });

  it("links to the note as the add-in's own deep link does", () => {
    expect(noteDeepLink(TEAMS_APP_ID, 'a-visit')).toBe(noteOfVisitLink('a-visit', false));
  });
});

describe('the Teams manifest declares every activity type', () => {
  it('with the template text and parameters the API sends', () => {
    const declared = new Map(manifest.activities.activityTypes.map((a) => [a.type, a]));
    for (const kind of Object.values(FEED_KINDS)) {
      expect(declared.get(kind.activityType)).toEqual({ type: kind.activityType, description: kind.description, templateText: kind.templateText });
      // The one parameter sent, {school}, is the one the text names.
      expect([...kind.templateText.matchAll(/\{(\w+)\}/g)].map((m) => m[1])).toEqual(['school']);
    }
    expect(declared.size).toBe(Object.keys(FEED_KINDS).length);
    expect(TEAMS_MANIFEST_APP_ID).toBe(manifest.id);
  });
});

describe('each event tells each person once, in the Teams activity feed', () => {
  it('a dispute: the author (disputed) and every other active manager (to moderate), with a deep link to the note', async () => {
    const from = standIn.activityNotifications.length;
    const note = await sharedNote();
    const manager = (await t.personWithRole(PartnerRole.MANAGER)).partner;
    await answer(note.id, false);
    // Twice, and two at once: still once each.
    await Promise.all([run(), run()]);
    await run();

    const got = received(from);
    const managers = await em().find(Partner, { role: PartnerRole.MANAGER, active: true, id: { $ne: manager.id } });
    expect(got.map((n) => [n.addressedAs, n.body.activityType]).sort()).toEqual(
      [[note.author.email, 'headteacherDisputed'], ...managers.map((m) => [m.email, 'awaitingModeration'])].sort(),
    );
    const link = noteDeepLink(TEAMS_MANIFEST_APP_ID, note.visitId);
    for (const n of got) {
      expect(metadata.actionProblems(n.body, 'sendActivityNotification', 'userTeamwork')).toEqual([]);
      expect(n.body).toMatchObject({ topic: { source: 'text', webUrl: link }, teamsAppId: TEAMS_MANIFEST_APP_ID });
      expect((n.body.templateParameters as { name: string }[]).map((p) => p.name)).toEqual(['school']);
    }
    expect(new URL(link).searchParams.get('context')).toBe(JSON.stringify({ subEntityId: note.visitId }));
    expect(link).toMatch(new RegExp(`^https://teams\\.microsoft\\.com/l/entity/${TEAMS_MANIFEST_APP_ID}/notes\\?context=`));
    const rows = await em().find(Notification, {
      noteId: note.id,
      kind: { $in: [NotificationKind.HEADTEACHER_DISPUTED, NotificationKind.AWAITING_MODERATION] },
    });
    expect(rows.every((r) => r.status === NotificationStatus.SENT_TEAMS)).toBe(true);
    expect(rows).toHaveLength(got.length);
  });

  it('when the feed refuses (403: the app is not installed for them; 404; 500), the email goes instead', async () => {
    for (const status of [403, 404, 500] as const) {
      const from = standIn.activityNotifications.length;
      const note = await sharedNote();
      standIn.failActivityFeed(status);
      try {
        await answer(note.id, true);
        await run();
      } finally {
        standIn.failActivityFeed(null);
      }
      await run();
      expect(received(from)).toEqual([]);
      const [row] = await em().find(Notification, { noteId: note.id, kind: NotificationKind.HEADTEACHER_AGREED });
      expect(row).toMatchObject({
        status: NotificationStatus.SENT_EMAIL,
        channel: NotificationChannel.TEAMS,
        feedError: `the Teams activity feed answered ${status}`,
      });
      const emails = await em().find(OutboundEmail, { toAddress: note.author.email, subject: { $like: 'Headteacher agreed:%' }, visit: note.visitId });
      expect(emails).toHaveLength(1);
    }
  });

  it('a throttled feed (429) is waited out by the Graph client: the feed still takes it', async () => {
    const from = standIn.activityNotifications.length;
    const note = await sharedNote();
    await answer(note.id, true);
    standIn.throttle(1, 0);
    await run();
    expect(received(from).map((n) => [n.addressedAs, n.body.activityType])).toEqual([[note.author.email, 'headteacherAgreed']]);
  });
});

describe("each person's choice", () => {
  const PREFS = `{ myNotificationPreferences { kind channel chosen label } }`;
  const SET = `mutation($kind: NotificationKind!, $channel: NotificationChannel!) { setNotificationPreference(kind: $kind, channel: $channel) { kind channel chosen } }`;

  it('email only, or nothing at all; the digest is email or none; a council system has none', async () => {
    const note = await sharedNote();
    const token = await t.issuer.signForPerson(note.author.email);
    const mine = await t.gql<{ myNotificationPreferences: { kind: string; channel: string; chosen: boolean }[] }>(PREFS, {}, { token });
    expect(mine.data!.myNotificationPreferences.find((p) => p.kind === 'HEADTEACHER_AGREED')).toMatchObject({ channel: 'TEAMS', chosen: false });
    expect(mine.data!.myNotificationPreferences.find((p) => p.kind === 'WEEKLY_DIGEST')).toMatchObject({ channel: 'EMAIL', chosen: false });

    const set = await t.gql(SET, { kind: 'HEADTEACHER_AGREED', channel: 'EMAIL' }, { token });
    expect(set.errors).toBeUndefined();
    let from = standIn.activityNotifications.length;
    await answer(note.id, true);
    await run();
    expect(received(from)).toEqual([]);
    expect(await em().count(OutboundEmail, { toAddress: note.author.email, subject: { $like: 'Headteacher agreed:%' }, visit: note.visitId })).toBe(1);
    expect(await em().findOne(Notification, { noteId: note.id, kind: NotificationKind.HEADTEACHER_AGREED })).toMatchObject({
      channel: NotificationChannel.EMAIL,
      status: NotificationStatus.SENT_EMAIL,
    });

    // None: nothing at all (the managers still hear of the note to moderate).
    const other = await sharedNote();
    const otherToken = await t.issuer.signForPerson(other.author.email);
    expect((await t.gql(SET, { kind: 'HEADTEACHER_DISPUTED', channel: 'NONE' }, { token: otherToken })).errors).toBeUndefined();
    from = standIn.activityNotifications.length;
    await answer(other.id, false);
    await run();
    expect(received(from).filter((n) => n.addressedAs === other.author.email)).toEqual([]);
    expect(received(from).filter((n) => n.body.activityType === 'awaitingModeration').length).toBeGreaterThan(0);
    expect(await em().count(Notification, { noteId: other.id, kind: NotificationKind.HEADTEACHER_DISPUTED })).toBe(0);

    const refused = await t.gql(SET, { kind: 'WEEKLY_DIGEST', channel: 'TEAMS' }, { token });
    expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(refused.errors?.[0]?.message).toContain('The weekly digest comes by email');
    const service = await t.gql(PREFS, {}, { token: await t.serviceToken('dashboards') });
    expect(service.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('who hears of each kind of event (the table, for the events quality assurance will record too)', () => {
  it('tells exactly the people the table names, in the feed, once', async () => {
    // Everyone on the defaults (earlier tests chose otherwise for some).
    await em().execute(`delete from notification_preference`);
    const note = await sharedNote();
    const author = note.author;
    const fresh = await em().findOneOrFail(Partner, { id: author.id });
    // The author has a mentor for the mentor's kinds.
    const mentor = await em().findOneOrFail(Partner, { role: PartnerRole.PARTNER, active: true, id: { $ne: author.id } }, { orderBy: { name: 'asc' } });
    const e1 = em();
    const authorRow = await e1.findOneOrFail(Partner, fresh.id);
    authorRow.mentor = e1.getReference(Partner, mentor.id) as never;
    await e1.flush();
    const managers = (await em().find(Partner, { role: PartnerRole.MANAGER, active: true })).map((m) => m.email);
    const visit = (await em().findOneOrFail(NoteOfVisit, note.id, { populate: ['visit'] })).visit.getEntity();
    const lead = (await em().findOneOrFail(Partner, visit.leadPartner.id)).email;
    const expected: Record<Audience, string[]> = { author: [author.email], lead: [lead], mentor: [mentor.email], managers };

    for (const [kind, rules] of Object.entries(EVENT_NOTIFICATIONS)) {
      const from = standIn.activityNotifications.length;
      const event = await runAs({ actor: 'system:test' }, () =>
        em().transactional(async (tx) => {
          const row = recordEvent(
            tx as Em,
            {
              kind: kind as DomainEventKind,
              noteId: note.id,
              visitId: note.visitId,
              schoolId: visit.school.id,
              data: kind.startsWith('visit.') ? { how: 'deleted' } : {},
            },
            testClock.now(),
          );
          await tx.flush();
          return row;
        }),
      );
      await run();
      await run();
      const want = rules.flatMap((r) =>
        expected[r.to].map((email) => [email, FEED_KINDS[r.kind as Exclude<NotificationKind, NotificationKind.WEEKLY_DIGEST>].activityType]),
      );
      // One per person per event: a person named twice (the author is also the lead) hears once.
      const unique = [...new Map(want.map((w) => [w[0], w])).values()];
      expect(
        received(from)
          .map((n) => [n.addressedAs, n.body.activityType])
          .sort(),
        kind,
      ).toEqual(unique.sort());
      expect(await em().count(Notification, { key: `event:${event.id}` })).toBe(unique.length);
    }
    // Kinds without a rule tell nobody.
    expect(EVENT_NOTIFICATIONS[DomainEventKind.NOTE_SHARED]).toBeUndefined();
  });
});

describe("the consumer's place in the events", () => {
  it('passes only events handled a while ago, drops their claims, and an event after the mark is still told', async () => {
    const record = (kind: DomainEventKind, noteId?: string, visitId?: string) =>
      runAs({ actor: 'system:test' }, () =>
        em().transactional(async (tx) => {
          const row = recordEvent(tx as Em, { kind, noteId, visitId }, testClock.now());
          await tx.flush();
          return row.id;
        }),
      );
    const below = async () => BigInt((await em().execute<{ below: string }[]>(`select below::text as below from notification_cursor`))[0]!.below);
    const [, , c] = [await record(DomainEventKind.NOTE_SHARED), await record(DomainEventKind.NOTE_SHARED), await record(DomainEventKind.NOTE_SHARED)];
    await run();
    // Just handled: an older id may still be committing elsewhere, so the mark waits.
    expect(await below()).toBeLessThan(BigInt(c));
    await em().execute(`update notification_event_claim set handled_at = now() - interval '10 minutes'`);
    await run();
    expect(await below()).toBeGreaterThanOrEqual(BigInt(c));
    expect(await em().count(NotificationEventClaim, { id: { $lte: c } })).toBe(0);
    // After the mark: told as ever.
    const note = await sharedNote();
    const from = standIn.activityNotifications.length;
    await record(DomainEventKind.NOTE_AGREED, note.id, note.visitId);
    await run();
    expect(received(from).map((n) => [n.addressedAs, n.body.activityType])).toEqual([[note.author.email, 'headteacherAgreed']]);
  });
});

describe('deadlines, on the business clock', () => {
  it('a draft due on the next working day tells its author once; a late draft once per deadline', async () => {
    const today = businessDateOf(testClock.now());
    const calendar = await loadWorkingCalendar(em());
    // Told on working days only (a Monday deadline on the Friday before): on another day there is nothing to tell.
    if (!calendar.isWorkingDay(today)) return;
    const tomorrow = calendar.addWorkingDays(today, 1);
    const note = await newNote(NoteStatus.DRAFT, { draft: tomorrow, circulation: plusDays(tomorrow, 7) });
    const from = standIn.activityNotifications.length;
    await run();
    await run();
    expect(received(from).map((n) => [n.addressedAs, n.body.activityType, (n.body.previewText as { content: string }).content])).toEqual([
      [note.author.email, 'draftDueTomorrow', expect.stringMatching(/^Due to the headteacher on \w+day \d+ \w+ \d{4}: the draft note of your /)],
    ]);

    // Late now (its deadline yesterday): told once; a moved deadline is a new one, told again.
    await em().execute(`update note_of_visit set draft_due_on = ? where id = ?`, [plusDays(today, -1), note.id]);
    const lateFrom = standIn.activityNotifications.length;
    await run();
    await run();
    expect(received(lateFrom).map((n) => n.body.activityType)).toEqual(['draftLate']);
  });
});

describe('the weekly digest', () => {
  it('lists what each person should see, once per week, from Monday morning', async () => {
    const today = businessDateOf(testClock.now());
    const isoDay = Number(formatLondon(testClock.now(), 'i'));
    const monday = plusDays(today, 1 - isoDay);
    // Data for the test's week, one partner's: a draft due on its Friday, a note late, an agreement last week.
    const dueNote = await newNote(NoteStatus.DRAFT, { draft: plusDays(monday, 4), circulation: plusDays(monday, 11) });
    const author = dueNote.author;
    const lateNote = await newNote(NoteStatus.DRAFT, { draft: plusDays(monday, -10), circulation: plusDays(monday, -3) });
    const agreed = await sharedNote();
    await em().execute(`update note_of_visit set author_id = ? where id in (?, ?)`, [author.id, lateNote.id, agreed.id]);
    await runAs({ actor: 'system:test' }, () =>
      em().transactional(async (tx) => {
        recordEvent(tx as Em, { kind: DomainEventKind.NOTE_AGREED, noteId: agreed.id, visitId: agreed.visitId }, new Date(`${plusDays(monday, -3)}T12:00:00Z`));
        await tx.flush();
      }),
    );
    const schoolOf = async (visitId: string) => (await em().findOneOrFail(Visit, visitId, { populate: ['school'] })).school.getEntity().name;
    // A note to moderate, whatever the suite's day (the demo county's disputes are in term time).
    if (!(await em().count(NoteOfVisit, { status: NoteStatus.DISPUTED }))) {
      await newNote(NoteStatus.DISPUTED, { draft: plusDays(monday, -5), circulation: plusDays(monday, 2) });
    }
    const disputedCount = await em().count(NoteOfVisit, { status: NoteStatus.DISPUTED });
    expect(disputedCount).toBeGreaterThan(0);

    const [dueSchool, lateSchool] = [await schoolOf(dueNote.visitId), await schoolOf(lateNote.visitId)];
    const sections = await digestFor(em(), { ...author, role: author.role }, monday, today);
    expect(sections.dueThisWeek.some((l) => l.startsWith('Draft to the headteacher by Friday') && l.includes(` to ${dueSchool} on `))).toBe(true);
    expect(sections.late.some((l) => l.includes(` to ${lateSchool} on `))).toBe(true);
    expect(sections.lastWeek.some((l) => l.startsWith('The headteacher agreed the note of your'))).toBe(true);
    expect(sections.awaitingYou).toEqual([]); // a partner moderates nothing

    const manager = (await t.personWithRole(PartnerRole.MANAGER)).partner;
    const managerSections = await digestFor(em(), { id: manager.id, email: manager.email, name: manager.name, role: manager.role }, monday, today);
    expect(managerSections.awaitingYou.filter((l) => l.startsWith('To moderate'))).toHaveLength(disputedCount);

    // On a Monday (TEST_NOW) the app's own schedule has sent this week's digests as it started: they are
    // cleared, so the sends below are this test's own.
    await em().execute(`delete from notification where key = ?`, [`weekly_digest:${monday}`]);
    await em().execute(`delete from outbound_email where subject like 'Your week:%'`);
    // Before Monday 07:00 London, or on another day: nothing; from then: one email each, once.
    expect(await sendWeeklyDigests(t.app.orm, { outbox: t.app.outbox }, new Date(`${monday}T05:30:00Z`))).toBe(0);
    expect(await sendWeeklyDigests(t.app.orm, { outbox: t.app.outbox }, new Date(`${plusDays(monday, 1)}T09:00:00Z`))).toBe(0);
    const mondayMorning = new Date(`${monday}T07:30:00Z`);
    const [first, second] = await Promise.all([
      sendWeeklyDigests(t.app.orm, { outbox: t.app.outbox }, mondayMorning),
      sendWeeklyDigests(t.app.orm, { outbox: t.app.outbox }, mondayMorning),
    ]);
    expect(first + second).toBeGreaterThan(0);
    expect(await sendWeeklyDigests(t.app.orm, { outbox: t.app.outbox }, mondayMorning)).toBe(0);
    const digests = await em().find(OutboundEmail, { toAddress: author.email, subject: { $like: 'Your week:%' } });
    expect(digests).toHaveLength(1);
    expect(await em().count(Notification, { key: `weekly_digest:${monday}`, recipient: author.id })).toBe(1);
  });

  it('is not sent to someone who turned it off', async () => {
    const partner = (await t.personWithRole(PartnerRole.PARTNER)).partner;
    const token = await t.issuer.signForPerson(partner.email);
    await t.gql(`mutation { setNotificationPreference(kind: WEEKLY_DIGEST, channel: NONE) { kind } }`, {}, { token });
    const today = businessDateOf(testClock.now());
    const nextMonday = plusDays(today, 8 - Number(formatLondon(testClock.now(), 'i')));
    await sendWeeklyDigests(t.app.orm, { outbox: t.app.outbox }, new Date(`${nextMonday}T08:00:00Z`));
    expect(await em().count(Notification, { key: `weekly_digest:${nextMonday}`, recipient: partner.id })).toBe(0);
    // Others still have theirs (the demo county's late notes give everyone something to read).
    expect(await em().count(Notification, { key: `weekly_digest:${nextMonday}` })).toBeGreaterThan(0);
  });
});

/**
 * Two instances on one database, both running notifications at once, send each notification exactly once.
 * Real PostgreSQL only: two processes on one embedded folder are refused by design (as scale-out.test.ts).
 */
describe.runIf(realPostgresUrl())('two instances (real PostgreSQL)', () => {
  let db: TestDatabase;
  const apps: App[] = [];
  afterAll(async () => {
    for (const app of apps) await app.stop();
    await db?.drop();
  });

  it('send each notification exactly once', { timeout: 120_000 }, async () => {
    db = await cloneTemplate();
    const config = testConfig(db.database, { notifications: feedConfig(standIn) });
    for (let i = 0; i < 2; i++) apps.push(await startApp(config, testLogger(config), { port: 0, outboxIntervalMs: 3_600_000, clock: testClock }));
    const [a, b] = apps as [App, App];
    // Something to tell: a dispute (its author and the managers) and drafts late, on notes of this database.
    for (let i = 0; i < 3; i++) {
      const today = businessDateOf(testClock.now());
      const late = await newNote(NoteStatus.DRAFT, { draft: plusDays(today, -60), circulation: plusDays(today, -53) }, a);
      const disputed = await newNote(NoteStatus.DISPUTED, undefined, a);
      await runAs({ actor: 'system:test' }, () =>
        (a.orm.em.fork() as Em).transactional(async (tx) => {
          recordEvent(tx as Em, { kind: DomainEventKind.NOTE_DISPUTED, noteId: disputed.id, visitId: disputed.visitId }, testClock.now());
          await tx.flush();
        }),
      );
      expect(late.id).toBeTruthy();
    }
    const from = standIn.activityNotifications.length;
    await Promise.all([a.notifications!.runOnce(), b.notifications!.runOnce()]);
    const backlog = received(from);
    // Each (user, activity, note) once.
    const keys = backlog.map(
      (n) => `${n.addressedAs}|${n.body.activityType}|${(n.body.topic as { webUrl: string }).webUrl}|${(n.body.previewText as { content: string }).content}`,
    );
    expect(new Set(keys).size).toBe(keys.length);
    const rows = await (a.orm.em.fork() as Em).count(Notification, { status: NotificationStatus.SENT_TEAMS });
    expect(rows).toBe(backlog.length);
    await Promise.all([a.notifications!.runOnce(), b.notifications!.runOnce()]);
    expect(received(from)).toHaveLength(backlog.length);
  });
});
