import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from '../src/app/app.js';
import { ServiceRole } from '../src/platform/auth/principal.js';
import { ConfigError, loadConfig } from '../src/platform/config.js';
import type { Em } from '../src/platform/db/orm.js';
import { plusDays } from '../src/platform/dates/bank-holidays.js';
import { webhooksFromEnv } from '../src/platform/webhooks-config.js';
import { importGias } from '../src/register/gias-import.js';
import { checkWebhookUrl, guardedLookup } from '../src/webhooks/webhook-url.rules.js';
import { PartnerRole } from '../src/partners/partner.enums.js';
import { ESTABLISHMENT_COLUMNS, giasFixture, writeGiasCsv } from './support/gias-fixtures.js';
import { startTestApp, testConfig, testLogger, type TestApp } from './support/test-app.js';
import { testClock, testToday } from './support/test-clock.js';
import { cloneTemplate, realPostgresUrl, TEST_DATA_ROOT, type TestDatabase } from './support/test-database.js';

/**
 * Webhooks (issue 23): council systems register an https endpoint for events; each event reaches it
 * once, signed (Standard Webhooks, verified here with the spec's reference library), retried with
 * backoff, logged, replayable, and carrying only what the subscriber's grants let a service read.
 * The events come from the real doors (GraphQL mutations, the register import); the receiver is a
 * plain HTTP server on loopback, as development and tests allow (never production).
 */

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A receiver on 127.0.0.1: records every request; answers each path's queued statuses in turn, then 200. */
async function startReceiver() {
  const received: Received[] = [];
  const answers = new Map<string, number[]>();
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body });
      const queued = answers.get(req.url ?? '');
      res.statusCode = queued?.shift() ?? 200;
      res.end(res.statusCode < 300 ? 'ok' : 'not now');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: (p: string) => `${base}${p}`,
    received,
    at: (p: string) => received.filter((r) => r.path === p),
    answer: (p: string, ...statuses: number[]) => answers.set(p, statuses),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/** The body, verified as a receiver would: the signature over id, timestamp and body with the subscription's secret. */
function verified(secret: string, r: Received): { type: string; timestamp: string; data: Record<string, any> } {
  const headers = {
    'webhook-id': String(r.headers['webhook-id']),
    'webhook-timestamp': String(r.headers['webhook-timestamp']),
    'webhook-signature': String(r.headers['webhook-signature']),
  };
  return new Webhook(secret).verify(r.body, headers) as never;
}

const REGISTER = `mutation($input: RegisterWebhookInput!) { registerWebhook(input: $input) { secret subscription { id owner url eventTypes grants active version } } }`;
const ALL_TYPES = [
  'VISIT_BOOKED',
  'VISIT_MOVED',
  'VISIT_CANCELLED',
  'VISIT_COMPLETED',
  'NOTE_CIRCULATED',
  'NOTE_CORRECTED',
  'SCHOOL_RISK_CATEGORY_CHANGED',
  'SCHOOL_REGISTER_CHANGED',
];
const DELIVERIES = `query($id: ID!, $status: WebhookDeliveryStatus) { webhookDeliveries(subscriptionId: $id, status: $status, first: 50) {
  totalCount nodes { id eventType webhookId status attemptCount payload attempts { httpStatus durationMs error attemptedAt } } } }`;

let t: TestApp;
let receiver: Receiver;
const em = () => t.app.orm.em.fork() as Em;

async function ok<T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const res = await t.gql<T>(query, variables, token ? { token } : {});
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!;
}
const refusal = async (query: string, variables: Record<string, unknown>, token?: string) => {
  const res = await t.gql(query, variables, token ? { token } : {});
  expect(res.errors, 'refused').toBeDefined();
  return { code: res.errors![0]!.extensions?.code, message: res.errors![0]!.message };
};

async function register(input: Record<string, unknown>, token?: string) {
  return (
    await ok<{ registerWebhook: { secret: string; subscription: { id: string; grants: string[]; owner: string; version: number } } }>(
      REGISTER,
      { input },
      token,
    )
  ).registerWebhook;
}
const run = (at?: Date) => t.app.webhooks!.runOnce(at);
const later = (seconds: number) => new Date(testClock.now().getTime() + seconds * 1000);

beforeAll(async () => {
  t = await startTestApp();
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver?.close();
  await t?.stop();
});

/** A visit to come, booked through the API with a headteacher attending (a name and an address only Contacts.Read.All may read). */
async function bookVisit(inDays = 9): Promise<{ id: string; version: number }> {
  const school = (await ok(`{ schools(first: 1, filter: { status: [OPEN] }) { nodes { id } } }`)).schools.nodes[0].id as string;
  const startsAt = new Date(testClock.now().getTime() + inDays * 86_400_000);
  startsAt.setUTCHours(9, 0, 0, 0);
  const booked = await ok<{ bookVisit: { id: string; version: number } }>(`mutation($input: BookVisitInput!) { bookVisit(input: $input) { id version } }`, {
    input: {
      schoolId: school,
      type: 'SPRING',
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 3 * 3_600_000).toISOString(),
      attendees: [{ name: 'Ada Headteacher', email: 'ada.head@school.example', role: 'HEADTEACHER' }],
    },
  });
  return booked.bookVisit;
}

describe('each event, once, signed, cut to the grants', () => {
  it('delivers every kind from its door to each subscriber that wants it, with what its grants allow', { timeout: 120_000 }, async () => {
    // A visit that has taken place, to complete below (booked here, before anyone subscribes: the suite's day may have none, e.g. in the summer holiday).
    const past = await bookVisit(-3);
    const plain = await register(
      { url: receiver.url('/finance'), eventTypes: ALL_TYPES.filter((k) => k !== 'SCHOOL_RISK_CATEGORY_CHANGED'), description: 'Finance' },
      await t.serviceToken('Finance', [ServiceRole.READ]),
    );
    expect(plain.subscription.grants).toEqual([]);
    expect(plain.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const full = await register(
      { url: receiver.url('/dashboards'), eventTypes: ALL_TYPES },
      await t.serviceToken('Dashboards', [ServiceRole.READ, ServiceRole.CONTACTS, ServiceRole.RISK_CATEGORIES]),
    );
    expect(full.subscription.grants).toEqual(['CONTACTS', 'RISK_CATEGORIES']);

    // Each door, then a turn of the webhooks (as the server takes one every few seconds): a payload is the record as it
    // stands when its event is handled.
    let delivered = 0;
    const turn = async () => {
      delivered += (await run()).delivered;
    };
    // visit.booked, visit.moved, visit.cancelled
    const visit = await bookVisit();
    await turn();
    const moved = await ok<{ rescheduleVisit: { version: number; startsAt: string } }>(
      `mutation($id: ID!, $v: Int!, $s: DateTime!, $e: DateTime!) { rescheduleVisit(id: $id, expectedVersion: $v, startsAt: $s, endsAt: $e) { version startsAt } }`,
      { id: visit.id, v: visit.version, s: later(10 * 86_400).toISOString(), e: later(10 * 86_400 + 7200).toISOString() },
    );
    await turn();
    await ok(`mutation($id: ID!, $v: Int) { cancelVisit(id: $id, expectedVersion: $v, reason: "The school is closed for snow") { status } }`, {
      id: visit.id,
      v: moved.rescheduleVisit.version,
    });
    await turn();
    // visit.completed
    await ok(`mutation($id: ID!) { completeVisit(id: $id) { status } }`, { id: past.id });
    // note.corrected, then note.circulated as its corrected revision goes out again
    const [note] = await em().execute<{ id: string; version: number; email: string }[]>(
      `select n.id, n.version, p.email from note_of_visit n join partner p on p.id = n.author_id
        -- not a mentored partner's: their first note waits for the mentor (mentor-review.test.ts)
        where n.status = 'circulated' and p.mentor_id is null order by n.first_circulated_at, n.id limit 1`,
    );
    const author = await t.issuer.signForPerson(note!.email);
    const corrected = await ok<{ correctNote: { version: number; revision: number } }>(
      `mutation($id: ID!, $v: Int!) { correctNote(id: $id, expectedVersion: $v, reason: "The target year was wrong") { version revision } }`,
      { id: note!.id, v: note!.version },
      author,
    );
    const reshared = await ok(
      `mutation($id: ID!, $v: Int!) { shareNote(id: $id, expectedVersion: $v) { version } }`,
      { id: note!.id, v: corrected.correctNote.version },
      author,
    );
    expect(reshared.shareNote.version).toBeGreaterThan(corrected.correctNote.version);
    const agreed = await ok(
      `mutation($id: ID!) { recordHeadteacherResponse(id: $id, agreed: true, comment: "By phone", reason: "Given by phone") { version } }`,
      { id: note!.id },
    );
    await ok(`mutation($id: ID!, $v: Int!) { circulateNote(id: $id, expectedVersion: $v) { status } }`, {
      id: note!.id,
      v: agreed.recordHeadteacherResponse.version,
    });
    // school.risk_category_changed: changed once; assessed again unchanged, which is not news
    const school = (await ok(`{ schools(first: 1, filter: { status: [OPEN], riskCategory: [E2] }) { nodes { id currentRiskCategory { effectiveFrom } } } }`))
      .schools.nodes[0];
    const from = plusDays(testToday() > school.currentRiskCategory.effectiveFrom ? testToday() : school.currentRiskCategory.effectiveFrom, 1);
    const ASSESS = `mutation($input: AssessRiskCategoryInput!) { assessRiskCategory(input: $input) { id } }`;
    await ok(ASSESS, { input: { schoolId: school.id, category: 'B3', effectiveFrom: from, rationale: 'Outcomes fell two years running.' } });
    await ok(ASSESS, { input: { schoolId: school.id, category: 'B3', effectiveFrom: from, rationale: 'Reviewed: no change.' } });
    // school.register_changed: the national register import creates a school
    const dir = path.join(TEST_DATA_ROOT, `webhooks-gias-${randomUUID()}`);
    await mkdir(dir, { recursive: true });
    const row = giasFixture(40, 23).rows.find((r) => r['LA (code)'] === '926' && r['EstablishmentStatus (name)'] === 'Open')!;
    const file = path.join(dir, 'edubasealldata.csv');
    await writeGiasCsv(file, ESTABLISHMENT_COLUMNS, [{ ...row, URN: '990001' }]);
    expect((await importGias(t.app.orm, [file], [926], testClock)).created).toBe(1);

    await turn();
    expect(delivered).toBe(15);
    // Run again, and again: nothing more (each event handled once, each delivery sent once).
    expect((await run()).delivered).toBe(0);

    const finance = receiver.at('/finance').map((r) => ({ r, body: verified(plain.secret, r) }));
    const dashboards = receiver.at('/dashboards').map((r) => ({ r, body: verified(full.secret, r) }));
    const types = (list: typeof finance) => list.map((x) => x.body.type).sort();
    expect(types(finance)).toEqual(
      ['note.circulated', 'note.corrected', 'school.register_changed', 'visit.booked', 'visit.cancelled', 'visit.completed', 'visit.moved'].sort(),
    );
    expect(types(dashboards)).toEqual([...types(finance), 'school.risk_category_changed'].sort());
    const ids = [...finance, ...dashboards].map((x) => x.r.headers['webhook-id']);
    expect(new Set(ids).size).toBe(ids.length);
    // Signed with the subscription's own secret, not another's.
    expect(() => verified(full.secret, receiver.at('/finance')[0]!)).toThrow();

    const of = (list: typeof finance, type: string) => list.find((x) => x.body.type === type)!.body;
    const bookedPlain = of(finance, 'visit.booked');
    expect(bookedPlain.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    expect(bookedPlain.data.visit).toMatchObject({
      id: visit.id,
      type: 'SPRING',
      status: 'BOOKED',
      school: { id: expect.any(String), urn: expect.any(Number) },
    });
    expect(bookedPlain.data.visit.school.dfeNumber).toMatch(/^\d{3}\/\d{4}$/);
    // Without Contacts.Read.All: the attendee's role, never their name or address.
    expect(bookedPlain.data.visit.attendees).toContainEqual({ role: 'HEADTEACHER', partner: null });
    expect(JSON.stringify(finance.map((x) => x.body))).not.toMatch(/Ada Headteacher|ada\.head@school\.example/);
    expect(of(dashboards, 'visit.booked').data.visit.attendees).toContainEqual(
      expect.objectContaining({ role: 'HEADTEACHER', name: 'Ada Headteacher', email: 'ada.head@school.example' }),
    );
    expect(of(finance, 'visit.moved').data.previous.startsAt).toBeTruthy();
    expect(of(finance, 'visit.moved').data.visit.startsAt).not.toBe(of(finance, 'visit.moved').data.previous.startsAt);
    expect(of(finance, 'visit.cancelled').data.visit).toMatchObject({ status: 'CANCELLED', cancellationReason: 'The school is closed for snow' });
    expect(of(finance, 'note.corrected').data.note).toMatchObject({ id: note!.id, revision: corrected.correctNote.revision });
    expect(of(finance, 'note.circulated').data.note).toMatchObject({ id: note!.id, status: 'CIRCULATED', revision: corrected.correctNote.revision });
    expect(of(finance, 'school.register_changed').data).toMatchObject({ school: { urn: 990001, status: 'OPEN' }, created: true, closed: false });
    expect(of(dashboards, 'school.risk_category_changed').data).toMatchObject({
      school: { id: school.id },
      riskCategory: { category: 'B3', effectiveFrom: from },
    });

    // Logged: each delivery with its one attempt, the payload as sent.
    const log = await ok(DELIVERIES, { id: full.subscription.id }, await t.serviceToken('Dashboards', [ServiceRole.READ]));
    expect(log.webhookDeliveries.totalCount).toBe(8);
    for (const d of log.webhookDeliveries.nodes) {
      expect(d).toMatchObject({ status: 'DELIVERED', attemptCount: 1, attempts: [{ httpStatus: 200, error: null }] });
      expect(dashboards.map((x) => x.r.body)).toContain(d.payload);
    }
  });
});

describe('retries, failure and replay', () => {
  it('a receiver answering 500 then 200: retried after the wait, delivered, both attempts logged with the same webhook-id', async () => {
    const token = await t.serviceToken('Payroll', [ServiceRole.READ]);
    const sub = await register({ url: receiver.url('/flaky'), eventTypes: ['VISIT_BOOKED'] }, token);
    receiver.answer('/flaky', 500);
    await bookVisit();
    await run();
    expect(receiver.at('/flaky')).toHaveLength(1);
    // Not before its wait (the first is 5 seconds).
    await run();
    expect(receiver.at('/flaky')).toHaveLength(1);
    await run(later(6));
    expect(receiver.at('/flaky')).toHaveLength(2);
    const [first, second] = receiver.at('/flaky');
    expect(first!.headers['webhook-id']).toBe(second!.headers['webhook-id']);
    expect(verified(sub.secret, second!).type).toBe('visit.booked');
    const [d] = (await ok(DELIVERIES, { id: sub.subscription.id }, token)).webhookDeliveries.nodes;
    expect(d).toMatchObject({ status: 'DELIVERED', attemptCount: 2 });
    expect(d.attempts.map((a: { httpStatus: number; error: string | null }) => [a.httpStatus, a.error])).toEqual([
      [500, 'HTTP 500'],
      [200, null],
    ]);
    // The receiver's words are not kept.
    expect(JSON.stringify(d)).not.toContain('not now');
  });

  it('an endpoint that fails is not tried again in the same turn; the others are sent', async () => {
    const token = await t.serviceToken('Two endpoints', [ServiceRole.READ]);
    await register({ url: receiver.url('/refusing'), eventTypes: ['VISIT_BOOKED'] }, token);
    await register({ url: receiver.url('/accepting'), eventTypes: ['VISIT_BOOKED'] }, token);
    receiver.answer('/refusing', 503, 503, 503);
    await bookVisit();
    await bookVisit();
    await run();
    expect(receiver.at('/refusing')).toHaveLength(1);
    expect(receiver.at('/accepting')).toHaveLength(2);
  });

  it('gives up after the last retry (FAILED); replay sends it again, same body and webhook-id', async () => {
    const token = await t.serviceToken('Archive', [ServiceRole.READ]);
    const sub = await register({ url: receiver.url('/down'), eventTypes: ['VISIT_BOOKED'] }, token);
    receiver.answer('/down', ...Array(8).fill(503));
    await bookVisit();
    // Eight attempts: the first and seven retries (the default schedule, up to ten hours apart), each turn a day later.
    for (let day = 0; day < 8; day++) await run(later(day * 86_400));
    const failed = (await ok(DELIVERIES, { id: sub.subscription.id, status: 'FAILED' }, token)).webhookDeliveries.nodes;
    expect(failed).toHaveLength(1);
    expect(failed[0].attempts).toHaveLength(8);
    expect(failed[0].attempts[7]).toMatchObject({ httpStatus: 503, error: 'HTTP 503' });
    expect(receiver.at('/down')).toHaveLength(8);
    await run(later(9 * 86_400));
    expect(receiver.at('/down')).toHaveLength(8);

    const replayed = await ok(
      `mutation($id: ID!) { replayWebhookDelivery(id: $id) { id status attemptCount attempts { httpStatus } } }`,
      { id: failed[0].id },
      token,
    );
    // Its attempts start again; those before stay in the log.
    expect(replayed.replayWebhookDelivery).toMatchObject({ status: 'PENDING', attemptCount: 0 });
    expect(replayed.replayWebhookDelivery.attempts).toHaveLength(8);
    await run(later(10 * 86_400));
    const all = receiver.at('/down');
    expect(all).toHaveLength(9);
    expect(all[8]!.headers['webhook-id']).toBe(all[0]!.headers['webhook-id']);
    expect(all[8]!.body).toBe(all[0]!.body);
    expect(verified(sub.secret, all[8]!).type).toBe('visit.booked');

    // Everything since an instant, again.
    const count = await ok(`mutation($id: ID!, $since: DateTime!) { replayWebhookDeliveries(subscriptionId: $id, since: $since) }`, {
      id: sub.subscription.id,
      since: later(-3600).toISOString(),
    });
    expect(count.replayWebhookDeliveries).toBe(1);
    await run(later(11 * 86_400));
    expect(receiver.at('/down').map((r) => r.headers['webhook-id'])).toEqual(Array(10).fill(all[0]!.headers['webhook-id']));
  });

  it('a rotated secret signs from then on, beside the old one for a day; then the old one no longer verifies', async () => {
    const token = await t.serviceToken('Rotating', [ServiceRole.READ]);
    const sub = await register({ url: receiver.url('/rotating'), eventTypes: ['VISIT_BOOKED'] }, token);
    const rotated = await ok(`mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret subscription { id version } } }`, { id: sub.subscription.id }, token);
    const secret = rotated.rotateWebhookSecret.secret as string;
    expect(secret).not.toBe(sub.secret);
    await bookVisit();
    await run();
    const [r] = receiver.at('/rotating');
    expect(String(r!.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verified(secret, r!).type).toBe('visit.booked');
    expect(verified(sub.secret, r!).type).toBe('visit.booked');
    // A day on: the new secret only.
    await bookVisit();
    await run(later(25 * 3600));
    const [, next] = receiver.at('/rotating');
    expect(String(next!.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(verified(secret, next!).type).toBe('visit.booked');
    expect(() => verified(sub.secret, next!)).toThrow();
  });
});

describe('registration refused, and each sees only its own', () => {
  const token = () => t.serviceToken('Refused', [ServiceRole.READ]);

  it('refuses plain http to another host, private and link-local addresses, a user name in the address', async () => {
    for (const url of [
      'http://hooks.example.org/in',
      'https://10.1.2.3/in',
      'https://169.254.169.254/latest',
      'https://[::ffff:192.168.1.1]/in',
      'ftp://x/y',
      'https://u:p@hooks.example.org/',
    ]) {
      const refused = await refusal(REGISTER, { input: { url, eventTypes: ['VISIT_BOOKED'] } }, await token());
      expect(refused.code, url).toBe('BAD_USER_INPUT');
      expect(refused.message, url).toMatch(/^The webhook address /);
    }
  });

  it('in production, loopback, private and link-local addresses are refused and http never allowed', async () => {
    const production = { allowInsecureLoopback: false };
    const resolvesTo = (address: string) => async () => [{ address, family: address.includes(':') ? 6 : 4 }];
    await expect(checkWebhookUrl('http://127.0.0.1:8080/in', production)).rejects.toThrow(/must start with https/);
    await expect(checkWebhookUrl('https://127.0.0.1/in', production)).rejects.toThrow(/this machine \(loopback\)/);
    await expect(checkWebhookUrl('https://hooks.council.internal/in', production, resolvesTo('10.20.30.40'))).rejects.toThrow(/private network address/);
    await expect(checkWebhookUrl('https://metadata.example/in', production, resolvesTo('169.254.169.254'))).rejects.toThrow(/link-local/);
    await expect(checkWebhookUrl('https://v6.example/in', production, resolvesTo('fd00::1'))).rejects.toThrow(/private network address/);
    expect((await checkWebhookUrl('https://hooks.example.org/in', production, resolvesTo('93.184.215.14'))).href).toBe('https://hooks.example.org/in');
    // At each connection too: a name that resolves to this machine now (DNS rebinding) is refused as the sender connects.
    const connect = (policy: { allowInsecureLoopback: boolean }) =>
      new Promise<string>((resolve) =>
        guardedLookup(policy)('localhost', { all: false }, (error, address) => resolve(error ? error.message : String(address))),
      );
    expect(await connect(production)).toMatch(/^refused: leads to (127\.0\.0\.1|::1), this machine/);
    expect(await connect({ allowInsecureLoopback: true })).toMatch(/^(127\.0\.0\.1|::1)$/);
    // The setting that allows loopback is off in production, and cannot be turned on there.
    const env = { WEBHOOKS: 'on', WEBHOOKS_RETRY_SECONDS: '5', WEBHOOKS_TIMEOUT_SECONDS: 15, WEBHOOKS_INTERVAL_SECONDS: 10 } as const;
    expect(webhooksFromEnv({ ...env, NODE_ENV: 'production' }).config.allowInsecureLoopback).toBe(false);
    expect(webhooksFromEnv({ ...env, NODE_ENV: 'test' }).config.allowInsecureLoopback).toBe(true);
    expect(() => loadConfig({ NODE_ENV: 'production', WEBHOOKS_ALLOW_INSECURE_LOOPBACK: 'on' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production', WEBHOOKS_ALLOW_INSECURE_LOOPBACK: 'on' })).toThrow(/WEBHOOKS_ALLOW_INSECURE_LOOPBACK/);
  });

  it('refuses risk category changes without the role, and grants beyond the token', async () => {
    const refused = await refusal(REGISTER, { input: { url: receiver.url('/r'), eventTypes: ['SCHOOL_RISK_CATEGORY_CHANGED'] } }, await token());
    expect(refused).toEqual({ code: 'BAD_USER_INPUT', message: expect.stringContaining('needs the RiskCategories.Read.All grant') });
    const beyond = await refusal(REGISTER, { input: { url: receiver.url('/r'), eventTypes: ['VISIT_BOOKED'], grants: ['CONTACTS'] } }, await token());
    expect(beyond).toEqual({ code: 'BAD_USER_INPUT', message: expect.stringContaining('has not been granted Contacts.Read.All') });
    // A manager grants what the receiving system holds, and only then may it carry risk categories.
    expect((await refusal(REGISTER, { input: { url: receiver.url('/m'), eventTypes: ['SCHOOL_RISK_CATEGORY_CHANGED'] } })).code).toBe('BAD_USER_INPUT');
    const managed = await register({ url: receiver.url('/m'), eventTypes: ['SCHOOL_RISK_CATEGORY_CHANGED'], grants: ['RISK_CATEGORIES'] });
    expect(managed.subscription.owner).toMatch(/^partner:/);
    // Taking the grant away from a subscription that carries them is refused too.
    const removed = await refusal(`mutation($input: UpdateWebhookInput!) { updateWebhook(input: $input) { id } }`, {
      input: { id: managed.subscription.id, grants: [] },
    });
    expect(removed.message).toContain('needs the RiskCategories.Read.All grant');
  });

  it('a service sees and changes only its own; a manager sees all; a partner none', async () => {
    const mine = await t.serviceToken('Owner system', [ServiceRole.READ]);
    const other = await t.serviceToken('Other system', [ServiceRole.READ]);
    const sub = await register({ url: receiver.url('/own'), eventTypes: ['VISIT_BOOKED'] }, mine);
    const list = async (tok?: string) =>
      (await ok<{ webhookSubscriptions: { id: string }[] }>(`{ webhookSubscriptions { id } }`, {}, tok)).webhookSubscriptions.map((s) => s.id);
    expect(await list(mine)).toEqual([sub.subscription.id]);
    expect(await list(other)).not.toContain(sub.subscription.id);
    expect(await list()).toContain(sub.subscription.id);
    const id = sub.subscription.id;
    for (const [query, variables] of [
      [`mutation($input: UpdateWebhookInput!) { updateWebhook(input: $input) { id } }`, { input: { id, active: false } }],
      [`mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }`, { id }],
      [`mutation($id: ID!) { deleteWebhook(id: $id) }`, { id }],
      [`mutation($id: ID!, $s: DateTime!) { replayWebhookDeliveries(subscriptionId: $id, since: $s) }`, { id, s: later(-60).toISOString() }],
      [DELIVERIES, { id }],
    ] as const) {
      expect((await refusal(query, variables, other)).code, query).toBe('NOT_FOUND');
    }
    const { token: partner } = await t.personWithRole(PartnerRole.PARTNER);
    expect((await refusal(REGISTER, { input: { url: receiver.url('/p'), eventTypes: ['VISIT_BOOKED'] } }, partner)).code).toBe('FORBIDDEN');
    expect((await refusal(`{ webhookSubscriptions { id } }`, {}, partner)).code).toBe('FORBIDDEN');
    // The owner may change and delete it (audited); services still change nothing else.
    const paused = await ok(
      `mutation($input: UpdateWebhookInput!) { updateWebhook(input: $input) { active version } }`,
      { input: { id, active: false, expectedVersion: 1 } },
      mine,
    );
    expect(paused.updateWebhook).toEqual({ active: false, version: 2 });
    const stale = await refusal(
      `mutation($input: UpdateWebhookInput!) { updateWebhook(input: $input) { active } }`,
      { input: { id, active: true, expectedVersion: 1 } },
      mine,
    );
    expect(stale.code).toBe('CONFLICT');
    const booking = await t.post(JSON.stringify({ query: `mutation { cancelVisit(id: "${id}", reason: "x") { id } }` }), { token: mine });
    expect(booking.status).toBe(403);
    expect(await ok(`mutation($id: ID!) { deleteWebhook(id: $id) }`, { id }, mine)).toEqual({ deleteWebhook: id });
    expect(await list(mine)).toEqual([]);
  });

  it('keeps the secret sealed: not in the row, the audit or any answer but the first', async () => {
    const mine = await t.serviceToken('Sealed', [ServiceRole.READ]);
    const sub = await register({ url: receiver.url('/sealed'), eventTypes: ['VISIT_BOOKED'] }, mine);
    const [row] = await em().execute<{ secret_sealed: string }[]>(`select secret_sealed from webhook_subscription where id = ?`, [sub.subscription.id]);
    expect(row!.secret_sealed).toMatch(/^sealed:v\d+:/);
    expect(row!.secret_sealed).not.toContain(sub.secret.slice(6));
    const audit = await em().execute<{ changes: unknown }[]>(`select changes from audit_event where entity_id = ?`, [sub.subscription.id]);
    expect(audit.length).toBeGreaterThan(0);
    expect(JSON.stringify(audit)).not.toContain(sub.secret.slice(6));
    expect(JSON.stringify(await ok(`{ webhookSubscriptions { id url owner } }`, {}, mine))).not.toContain(sub.secret.slice(6));
  });
});

/**
 * Two instances on one database, both turning at once: each event's deliveries are made once (its
 * claim) and each delivery is sent once (FOR UPDATE SKIP LOCKED and a lease). Real PostgreSQL only.
 */
describe.runIf(realPostgresUrl())('two instances (real PostgreSQL)', () => {
  let db: TestDatabase;
  const apps: App[] = [];
  afterAll(async () => {
    for (const app of apps) await app.stop();
    await db?.drop();
  });

  it('deliver each event exactly once', { timeout: 180_000 }, async () => {
    db = await cloneTemplate();
    // One configuration, as servers of one service share (the same keys seal the secrets).
    const config = testConfig(db.database);
    for (let i = 0; i < 2; i++) apps.push(await startApp(config, testLogger(config), { port: 0, outboxIntervalMs: 3_600_000, clock: testClock }));
    const [a, b] = apps as [App, App];
    const issuer = a.devIssuer!;
    const gql = async (query: string, variables: Record<string, unknown>, token: string) => {
      const res = await fetch(`${a.server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      const json = (await res.json()) as { data?: any; errors?: unknown };
      expect(json.errors).toBeUndefined();
      return json.data;
    };
    const service = await issuer.signForService('Scale-out', [ServiceRole.READ]);
    const { secret } = (await gql(REGISTER, { input: { url: receiver.url('/scale'), eventTypes: ['VISIT_BOOKED', 'VISIT_CANCELLED'] } }, service))
      .registerWebhook;
    const manager = await issuer.signForPerson(
      (await (a.orm.em.fork() as Em).execute<{ email: string }[]>(`select email from partner where role = 'manager' and active order by name limit 1`))[0]!
        .email,
    );
    const school = (await gql(`{ schools(first: 1, filter: { status: [OPEN] }) { nodes { id } } }`, {}, manager)).schools.nodes[0].id;
    const visits = 12;
    for (let i = 0; i < visits; i++) {
      const startsAt = new Date(testClock.now().getTime() + (20 + i) * 86_400_000);
      startsAt.setUTCHours(9, 0, 0, 0);
      const { bookVisit } = await gql(
        `mutation($input: BookVisitInput!) { bookVisit(input: $input) { id version } }`,
        { input: { schoolId: school, type: 'SPRING', startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString() } },
        manager,
      );
      await gql(
        `mutation($id: ID!, $v: Int) { cancelVisit(id: $id, expectedVersion: $v, reason: "Moved to next term") { id } }`,
        { id: bookVisit.id, v: bookVisit.version },
        manager,
      );
    }
    // Both at once, twice over.
    const runs = await Promise.all([a.webhooks!.runOnce(), b.webhooks!.runOnce(), a.webhooks!.runOnce(), b.webhooks!.runOnce()]);
    expect(runs.reduce((n, r) => n + r.events, 0)).toBeGreaterThanOrEqual(visits * 2);
    expect(runs.reduce((n, r) => n + r.delivered, 0)).toBe(visits * 2);
    const got = receiver.at('/scale');
    expect(got).toHaveLength(visits * 2);
    expect(new Set(got.map((r) => r.headers['webhook-id'])).size).toBe(visits * 2);
    for (const r of got) expect(['visit.booked', 'visit.cancelled']).toContain(verified(secret, r).type);
  });
});
