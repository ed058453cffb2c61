import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/platform/config.js';
import type { Em } from '../src/platform/db/orm.js';
import { createLogger } from '../src/platform/logger.js';
import { createMailTransport, SMTP_SEND_DEADLINE_MS, SMTP_TIMEOUT_DEFAULTS } from '../src/platform/mail/mail-transport.js';
import { EmailStatus, OutboundEmail } from '../src/mail/outbound-email.entity.js';
import { SEND_LEASE_MS, startOutbox } from '../src/mail/outbox.js';
import { createBodyCipher } from '../src/mail/body-cipher.js';
import { loadSigningKeys } from '../src/platform/signing-keys.js';
import { PartnerRole } from '../src/partners/partner.enums.js';
import { Visit } from '../src/visits/visit.entity.js';
import { gate, refuse, SmtpStandIn, type Gate } from '../soak/smtp-stand-in.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { testClock } from './support/test-clock.js';
import { realPostgresUrl } from './support/test-database.js';

/**
 * Issue 18: email delivery that survives a slow mail server. The app's own (production)
 * SMTP transport talks to a real SMTP server on loopback (smtp-server) that can hold its
 * answer to a message's end as long as a test likes, or refuse it. No assertion is timed:
 * stalls are held and released by the test, and durations are only logged.
 */
const FROM = 'School improvement <si@council.example>';
const logger = createLogger({ logLevel: 'silent', env: 'test' });
const uid = () => randomUUID().slice(0, 8);

let smtp: SmtpStandIn;
let t: TestApp;
let partnerToken: string;
let schoolId: string;
/** Every held answer, opened after each test whatever happened (a held send would hold the next runs and the app's stop). */
const gates: Gate[] = [];
const held = () => {
  const g = gate();
  gates.push(g);
  return g;
};

beforeAll(async () => {
  smtp = await SmtpStandIn.start();
  t = await startTestApp({ config: { mail: { transport: 'smtp', smtpUrl: smtp.url, from: FROM } } });
  ({ token: partnerToken } = await t.personWithRole(PartnerRole.PARTNER));
  schoolId = (await t.gql(`{ schools(first: 1, filter: { status: [OPEN], phase: [SECONDARY] }) { nodes { id } } }`)).data!.schools.nodes[0].id;
});
afterEach(() => {
  for (const g of gates.splice(0)) g.open();
});
afterAll(async () => {
  await t?.stop();
  await smtp?.stop();
});

async function gqlOk(query: string, variables: Record<string, unknown> = {}, token?: string) {
  const res = await t.gql(query, variables, token === undefined ? {} : { token });
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!;
}

const EMAILS = `query($id: ID!) { visit(id: $id) { emails { id subject toAddress status attempts lastError nextAttemptAt sentAt } } }`;
const emailsOfVisit = async (visitId: string) => (await gqlOk(EMAILS, { id: visitId })).visit.emails as Record<string, any>[];
const row = (id: string) => t.app.orm.em.fork().findOneOrFail(OutboundEmail, { id });
const rowsTo = (to: string) => t.app.orm.em.fork().find(OutboundEmail, { toAddress: to });
const anyVisit = async () => (await t.app.orm.em.fork().find(Visit, {}, { orderBy: { id: 'asc' }, limit: 1 }))[0]!;
const later = (at: Date, ms: number) => new Date(at.getTime() + ms);

async function queue(subject: string, visit?: Visit): Promise<string> {
  return (t.app.orm.em.fork() as Em).transactional(
    async (tx) => t.app.outbox.queue(tx as Em, { to: `head-${uid()}@school.example`, subject, body: 'Hello.', visit }).id,
  );
}

/** A booked visit of the partner's (past, so it clashes with nothing). */
async function bookPast(date: string): Promise<string> {
  return (
    await gqlOk(
      `mutation($input: BookVisitInput!) { bookVisit(input: $input) { id } }`,
      {
        input: { schoolId, type: 'SPRING', startsAt: `${date}T09:00:00+00:00`, endsAt: `${date}T12:00:00+00:00` },
      },
      partnerToken,
    )
  ).bookVisit.id as string;
}

/**
 * Real PostgreSQL: the test database's sessions idle inside a transaction, ended as its
 * idle-in-transaction timeout would end them (any found fails the test: none may be there).
 */
async function endSessionsIdleInTransaction(): Promise<{ pid: number; query: string }[]> {
  const db = t.config.database;
  if (db.kind !== 'postgresql') throw new Error('real PostgreSQL only');
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number; query: string; ended: boolean }>(
      `select pid, left(query, 200) as query, pg_terminate_backend(pid) as ended from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid() and state like 'idle in transaction%'`,
    );
    return rows.map(({ pid, query }) => ({ pid, query }));
  } finally {
    await client.end();
  }
}

/** Resolves to 'no answer' after a while: a safety net so a blocked request fails the test rather than hanging it. */
function noAnswerAfter(ms: number): { promise: Promise<'no answer'>; cancel(): void } {
  let timer!: NodeJS.Timeout;
  return { promise: new Promise((resolve) => (timer = setTimeout(() => resolve('no answer'), ms))), cancel: () => clearTimeout(timer) };
}

describe('delivery through a slow mail server', () => {
  it('a school link whose server answers the end of the message late goes once, in one counted attempt, with no transaction open meanwhile', async () => {
    const visitId = await bookPast('2020-10-06');
    const to = `slow-${uid()}@school.example`;
    const slow = held();
    smtp.on(to, slow.answer);
    const started = Date.now();
    await gqlOk(`mutation($v: ID!, $to: String) { sendSchoolSectionLink(visitId: $v, recipientEmail: $to) { id } }`, { v: visitId, to }, partnerToken);
    // The mutation kicked the outbox: its run has claimed the email and the server holds its answer.
    await slow.holding;
    // Held longer than the database's idle-in-transaction timeout: played by ending any such session now.
    if (realPostgresUrl()) expect(await endSessionsIdleInTransaction()).toEqual([]);
    expect(await rowsTo(to)).toMatchObject([{ status: EmailStatus.SENDING, attempts: 1 }]);
    slow.open();
    await t.app.outbox.runOnce(); // follows the kicked run, so that one has finished
    console.info(`slow server: the send was held ${Date.now() - started} ms`);

    expect(smtp.acceptedFor(to)).toHaveLength(1);
    expect(await rowsTo(to)).toMatchObject([{ status: EmailStatus.SENT, attempts: 1, lastError: null, nextAttemptAt: null }]);
    // A later run finds nothing more to send to it.
    await t.app.outbox.runOnce(later(testClock.now(), SEND_LEASE_MS * 2));
    expect(smtp.acceptedFor(to)).toHaveLength(1);
    if (realPostgresUrl()) expect(await endSessionsIdleInTransaction()).toEqual([]);
  });

  it('answers other requests while a send waits on the server (the embedded database serves one transaction at a time)', async () => {
    const visit = await anyVisit();
    const subject = `Held ${uid()}`;
    const slow = held();
    smtp.on(subject, slow.answer);
    const id = await queue(subject, visit);
    const run = t.app.outbox.runOnce();
    await slow.holding;
    const started = Date.now();
    const watchdog = noAnswerAfter(20_000);
    const answer = await Promise.race([emailsOfVisit(visit.id), watchdog.promise]);
    watchdog.cancel();
    console.info(`read during a held send: ${answer === 'no answer' ? 'no answer' : 'answered'} after ${Date.now() - started} ms`);
    slow.open();
    await run;

    expect(answer).not.toBe('no answer');
    // It shows the email being sent, its attempt counted.
    expect((answer as Record<string, any>[]).find((e) => e.id === id)).toMatchObject({ status: 'SENDING', attempts: 1 });
    expect(await row(id)).toMatchObject({ status: EmailStatus.SENT, attempts: 1 });
  });
});

describe('failed sends', () => {
  it('are counted and retried after the backoff; after the last attempt the email is FAILED, and the visit shows it', async () => {
    const visit = await anyVisit();
    const subject = `Refused ${uid()}`;
    smtp.on(subject, refuse);
    const id = await queue(subject, visit);

    const first = testClock.now();
    await t.app.outbox.runOnce(first);
    let email = await row(id);
    expect(email).toMatchObject({ status: EmailStatus.QUEUED, attempts: 1, lastError: expect.stringContaining('451') });
    expect(email.nextAttemptAt).toEqual(later(first, 60_000));
    const [waiting] = (await emailsOfVisit(visit.id)).filter((e) => e.id === id);
    expect(waiting).toMatchObject({ status: 'QUEUED', attempts: 1, lastError: expect.stringContaining('Mailbox busy'), nextAttemptAt: expect.any(String) });

    // Not before its time.
    await t.app.outbox.runOnce(later(first, 59_000));
    expect((await row(id)).attempts).toBe(1);

    // The backoff after the 2nd, 3rd, 4th and 5th attempts (minutes), then the 6th and last.
    for (const [n, minutes] of [
      [2, 5],
      [3, 15],
      [4, 60],
      [5, 240],
    ] as const) {
      const at = email.nextAttemptAt!;
      await t.app.outbox.runOnce(at);
      email = await row(id);
      expect(email).toMatchObject({ status: EmailStatus.QUEUED, attempts: n });
      expect(email.nextAttemptAt).toEqual(later(at, minutes * 60_000));
    }
    await t.app.outbox.runOnce(email.nextAttemptAt!);
    expect(await row(id)).toMatchObject({ status: EmailStatus.FAILED, attempts: 6, nextAttemptAt: null, sentAt: null });
    expect(smtp.refused.filter((m) => m.subject === subject)).toHaveLength(6);
    expect(smtp.acceptedFor(subject)).toEqual([]);

    const [failed] = (await emailsOfVisit(visit.id)).filter((e) => e.id === id);
    expect(failed).toMatchObject({ status: 'FAILED', attempts: 6, lastError: expect.stringContaining('451 Mailbox busy'), nextAttemptAt: null, sentAt: null });
    // FAILED stays put: no run tries it again by itself.
    await t.app.outbox.runOnce(later(testClock.now(), 7 * 24 * 3_600_000));
    expect(await row(id)).toMatchObject({ status: EmailStatus.FAILED, attempts: 6 });
  });
});

describe('a claim whose lease has lapsed', () => {
  it('is sent again, by another sender, with the same Message-ID; the first sender finishing late changes nothing', async () => {
    const subject = `Lease ${uid()}`;
    const stuck = held();
    smtp.on(subject, stuck.answer, async () => undefined); // the first copy held, the next taken at once
    const id = await queue(subject);

    const at = testClock.now();
    const first = t.app.outbox.runOnce(at);
    await stuck.holding;
    // Another server process: a second outbox over the same database, with its own transport.
    const other = startOutbox(t.app.orm, createMailTransport(t.config.mail, logger), logger, {
      bodyCipher: createBodyCipher(await loadSigningKeys(t.config.schoolSide)),
      clock: testClock,
    });
    try {
      expect(await other.runOnce(later(at, SEND_LEASE_MS - 60_000))).toEqual({ sent: 0, failed: 0 }); // still claimed
      expect(await row(id)).toMatchObject({ status: EmailStatus.SENDING, attempts: 1, nextAttemptAt: later(at, SEND_LEASE_MS) });
      expect(await other.runOnce(later(at, SEND_LEASE_MS + 1_000))).toEqual({ sent: 1, failed: 0 });
    } finally {
      await other.stop();
    }
    expect(await row(id)).toMatchObject({ status: EmailStatus.SENT, attempts: 2 });

    stuck.open(); // the server answers the first copy at last
    expect(await first).toEqual({ sent: 1, failed: 0 });
    const copies = smtp.acceptedFor(subject);
    expect(copies.map((c) => c.messageId)).toEqual([`<${id}@school-visits>`, `<${id}@school-visits>`]);
    expect(await row(id)).toMatchObject({ status: EmailStatus.SENT, attempts: 2, lastError: null, nextAttemptAt: null });
  });

  it('left by a sender that died mid-send is due again, and retryEmail may queue it; one still held may not be retried', async () => {
    const visit = await anyVisit();
    const subject = `Orphan ${uid()}`;
    const id = await queue(subject, visit);
    const now = testClock.now();
    const claim = (until: Date) => t.app.orm.em.fork().nativeUpdate(OutboundEmail, { id }, { status: EmailStatus.SENDING, attempts: 1, nextAttemptAt: until });

    await claim(later(now, 60_000)); // held by a live sender
    const refused = await t.gql(`mutation($id: ID!) { retryEmail(id: $id) { status } }`, { id });
    expect(refused.errors?.[0]).toMatchObject({ message: expect.stringContaining('being sent now'), extensions: { code: 'BAD_USER_INPUT' } });

    await claim(later(now, -60_000)); // its sender died: the lease has lapsed
    await t.app.outbox.runOnce(now);
    expect(await row(id)).toMatchObject({ status: EmailStatus.SENT, attempts: 2 });
    expect(smtp.acceptedFor(subject).map((c) => c.messageId)).toEqual([`<${id}@school-visits>`]);
  });
});

describe('the SMTP transport', () => {
  it('gives up on a server silent for longer than its socket timeout', async () => {
    const subject = `Silent ${uid()}`;
    const silent = held();
    smtp.on(subject, silent.answer);
    const transport = createMailTransport({ transport: 'smtp', smtpUrl: smtp.url, from: FROM, socketTimeoutMs: 300 }, logger);
    const started = Date.now();
    await expect(transport.send({ id: randomUUID(), to: 'head@school.example', subject, text: 'Hello.' })).rejects.toThrow(/timeout/i);
    console.info(`silent server: the transport gave up after ${Date.now() - started} ms`);
    silent.open();
  });

  it('waits longer than a slow server takes to answer, and gives up before the outbox lease lapses', () => {
    expect(SMTP_TIMEOUT_DEFAULTS.socketTimeoutMs).toBeGreaterThan(65_000); // the slow server of issue 18
    expect(SMTP_TIMEOUT_DEFAULTS.socketTimeoutMs).toBeLessThanOrEqual(SMTP_SEND_DEADLINE_MS);
    expect(SMTP_SEND_DEADLINE_MS).toBeLessThan(SEND_LEASE_MS);
    const env = { NODE_ENV: 'development', MAIL_TRANSPORT: 'smtp', SMTP_URL: 'smtp://mail.council.example:587' };
    expect(loadConfig({ ...env, SMTP_CONNECTION_TIMEOUT_MS: '10000', SMTP_GREETING_TIMEOUT_MS: '20000', SMTP_SOCKET_TIMEOUT_MS: '90000' }).mail).toMatchObject({
      connectionTimeoutMs: 10_000,
      greetingTimeoutMs: 20_000,
      socketTimeoutMs: 90_000,
    });
    // A socket timeout past the send's deadline would let a silent server outlast it.
    expect(() => loadConfig({ ...env, SMTP_SOCKET_TIMEOUT_MS: String(SEND_LEASE_MS) })).toThrow(/SMTP_SOCKET_TIMEOUT_MS/);
  });
});
