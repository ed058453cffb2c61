import { createHmac, randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createBodyCipher } from '../src/mail/body-cipher.js';
import { startOutbox } from '../src/mail/outbox.js';
import { loadConfig } from '../src/platform/config.js';
import type { Em } from '../src/platform/db/orm.js';
import { createLogger } from '../src/platform/logger.js';
import type { MailMessage } from '../src/platform/mail/mail-transport.js';
import { loadSigningKeys } from '../src/platform/signing-keys.js';
import { NoteStatus } from '../src/notes/note.enums.js';
import { PartnerRole } from '../src/partners/partner.enums.js';
import { VisitStatus } from '../src/visits/visit.enums.js';
import { AccessLink, AccessLinkPurpose } from '../src/school-side/access-link.entity.js';
import { createLinkSigner, type LinkSigner } from '../src/school-side/link-signer.js';
import { linkStageEnded } from '../src/school-side/links.rules.js';
import { RecordingTransport } from './support/recording-transport.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { testClock } from './support/test-clock.js';

/**
 * The rules of the links sent to schools (issue 20): only a keyed hash of each link's secret is
 * kept, no email body outlives its sending, keys rotate with a grace period, and a link stops
 * when its visit is cancelled, a newer one is sent, or the note moves past the stage it serves.
 */
let t: TestApp;
let mail: RecordingTransport;
let partnerToken: string;
let school: { id: string; name: string };

const linkIn = (message: MailMessage, route: 'section' | 'response') => {
  const match = new RegExp(`https?://\\S+(/school/${route}/\\S+)`).exec(message.text);
  expect(match, message.text).not.toBeNull();
  return match![1]!;
};
/** The token's parts: "<link id>.<key version>.<secret>". */
const partsOf = (path: string) => {
  const [id, version, secret] = path.split('/').at(-1)!.split('.');
  return { id: id!, version: Number(version), secret: secret! };
};
const open = (path: string, init?: RequestInit) => fetch(`${t.url}${path}`, { redirect: 'manual', ...init });
const formToken = (page: string) => /name="form_token" value="([^"]+)"/.exec(page)![1]!;
const post = (path: string, fields: Record<string, string>) =>
  open(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
const sql = (text: string) => t.app.orm.em.getConnection().execute<Record<string, unknown>[]>(text);
const linkRow = (id: string) => t.app.orm.em.fork().findOneOrFail(AccessLink, { id });

async function gqlOk(query: string, variables: Record<string, unknown> = {}, token: string | undefined = partnerToken) {
  const res = await t.gql(query, variables, { token });
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!;
}

let day = new Date('2019-09-09T00:00:00Z');
/** A booked visit in the past (so it clashes with nothing), on a different term-time weekday each time. */
async function bookPast(): Promise<string> {
  const date = day.toISOString().slice(0, 10);
  do day = new Date(day.getTime() + 86_400_000);
  while ([0, 6].includes(day.getUTCDay()));
  return (
    await gqlOk(`mutation($input: BookVisitInput!) { bookVisit(input: $input) { id } }`, {
      input: { schoolId: school.id, type: 'AUTUMN', startsAt: `${date}T09:00:00+00:00`, endsAt: `${date}T12:00:00+00:00` },
    })
  ).bookVisit.id as string;
}

async function sendSectionLink(visitId: string): Promise<{ id: string; path: string }> {
  const before = mail.sent.length;
  const { id } = (await gqlOk(`mutation($v: ID!) { sendSchoolSectionLink(visitId: $v) { id } }`, { v: visitId })).sendSchoolSectionLink;
  await t.app.outbox.runOnce();
  expect(mail.sent.length).toBe(before + 1);
  return { id, path: linkIn(mail.sent.at(-1)!, 'section') };
}

const SECTION = (grade: string) => ({
  grade_achievement: grade,
  grade_quality_of_teaching: grade,
  grade_leadership_and_management: grade,
  grade_overall_effectiveness: grade,
  completed_by: 'Headteacher',
});

/** Opens the section form and sends it with these grades. */
async function submitSection(path: string, grade: string): Promise<Response> {
  const page = await open(path);
  expect(page.status).toBe(200);
  return post(path, { form_token: formToken(await page.text()), ...SECTION(grade) });
}

const NOTE = `id version status judgements { area schoolGrade }`;

/** Starts the visit's note, grades one heading and shares it; returns the note and the headteacher's link. */
async function writeAndShare(visitId: string): Promise<{ noteId: string; responsePath: string }> {
  const note = (await gqlOk(`mutation($v: ID!) { startNote(visitId: $v) { ${NOTE} judgements { id area } } }`, { v: visitId })).startNote;
  const written = (
    await gqlOk(`mutation($id: ID!, $v: Int!, $input: UpdateNoteInput!) { updateNote(id: $id, expectedVersion: $v, input: $input) { id version } }`, {
      id: note.id,
      v: note.version,
      input: {
        summary: 'A school that knows itself well.',
        judgements: [{ area: 'ACHIEVEMENT', partnerGrade: 2, evidenceBasis: 'REPORTED' }],
        remove: note.judgements.filter((j: { area: string }) => j.area !== 'ACHIEVEMENT').map((j: { id: string }) => j.id),
      },
    })
  ).updateNote;
  const before = mail.sent.length;
  await gqlOk(`mutation($id: ID!, $v: Int!) { shareNote(id: $id, expectedVersion: $v) { status } }`, { id: written.id, v: written.version });
  await t.app.outbox.runOnce();
  expect(mail.sent.length).toBe(before + 1);
  return { noteId: note.id, responsePath: linkIn(mail.sent.at(-1)!, 'response') };
}

beforeAll(async () => {
  mail = new RecordingTransport();
  t = await startTestApp({ mailTransport: mail });
  ({ token: partnerToken } = await t.personWithRole(PartnerRole.PARTNER));
  school = (await t.gql(`{ schools(first: 1, filter: { status: [OPEN], phase: [SECONDARY] }) { nodes { id name } } }`)).data!.schools.nodes[0];
});
afterAll(() => t?.stop());

describe('a link secret at rest', () => {
  it('is a random secret in the URL; the database, the audit and the sent email keep no usable copy of it', async () => {
    const visitId = await bookPast();
    const section = await sendSectionLink(visitId);
    expect(await submitSection(section.path, '2')).toHaveProperty('status', 200);
    const { responsePath } = await writeAndShare(visitId);
    // A link queued while the mail server is down: its body waits encrypted.
    mail.failing = true;
    const waiting = await bookPast();
    await gqlOk(`mutation($v: ID!) { sendSchoolSectionLink(visitId: $v) { id } }`, { v: waiting });
    await t.app.outbox.runOnce();
    mail.failing = false;

    const tokens = [section.path, responsePath].map(partsOf);
    for (const token of tokens) {
      expect(token.version).toBe(t.config.schoolSide.linkKeyVersion);
      expect(Buffer.from(token.secret, 'base64url').length).toBeGreaterThanOrEqual(16); // at least 128 bits
    }
    const row = await linkRow(tokens[0]!.id);
    expect(row).toMatchObject({ keyVersion: 1, secretHash: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });

    // Every column of every row that could hold a link: no secret from the sent URLs appears.
    const dump = JSON.stringify([
      await sql(`select * from access_link`),
      await sql(`select * from outbound_email`),
      await sql(`select * from audit_event where entity_type in ('AccessLink', 'OutboundEmail')`),
    ]);
    for (const { secret } of tokens) expect(dump).not.toContain(secret);
    expect(dump).not.toContain('/school/');
    // The audit says an email was written, never what it said (nor its ciphertext).
    const created = await sql(`select changes from audit_event where entity_type = 'OutboundEmail' and action = 'create'`);
    expect(created.length).toBeGreaterThanOrEqual(3);
    for (const { changes } of created) expect(changes).toMatchObject({ body: '(not recorded)', subject: expect.any(String) });

    const emails = await sql(`select status, body, sent_at, to_address, subject from outbound_email`);
    const sent = emails.filter((e: Record<string, unknown>) => e.status === 'sent');
    expect(sent.length).toBeGreaterThanOrEqual(2);
    // Sent: the body is gone; what shows that it went is kept.
    for (const email of sent)
      expect(email).toMatchObject({ body: null, sent_at: expect.anything(), to_address: expect.any(String), subject: expect.any(String) });
    // Waiting: encrypted with the current key's version.
    const queued = emails.filter((e: Record<string, unknown>) => e.status === 'queued');
    expect(queued).toHaveLength(1);
    expect(queued[0]!.body).toMatch(/^sealed:v1:[A-Za-z0-9_-]+$/);

    // Once the mail server is back (and the retry due), the encrypted body is sent as written, then dropped.
    await t.app.outbox.runOnce(new Date(testClock.now().getTime() + 2 * 60_000));
    expect(linkIn(mail.sent.at(-1)!, 'section')).toMatch(/^\/school\/section\//);
    expect(await sql(`select body from outbound_email where status <> 'sent'`)).toEqual([]);
  });

  it('is refused when any part of the token is changed or missing', async () => {
    const { path } = await sendSectionLink(await bookPast());
    const { id, version, secret } = partsOf(path);
    const flipped = secret.slice(0, -2) + (secret.endsWith('AA') ? 'BB' : 'AA');
    for (const token of [
      `${id}.${version}.${flipped}`,
      `${id}.${version + 1}.${secret}`,
      `${id}.${secret}`,
      `${id}..${secret}`,
      `${id}.${version}.${secret}.x`,
    ]) {
      const res = await open(`/school/section/${token}`);
      expect(res.status, token).toBe(404);
    }
    expect((await open(path)).status).toBe(200);
  });
});

describe('a link issued before hashed secrets', () => {
  it('works by its old signature until it expires, and only unchanged', async () => {
    const { id } = await sendSectionLink(await bookPast());
    const em = t.app.orm.em.fork();
    const row = await em.findOneOrFail(AccessLink, { id });
    // As the previous release left it: nothing of the secret stored, the token an HMAC of the link's fields.
    await em.nativeUpdate(AccessLink, { id }, { secretHash: null, keyVersion: null });
    const legacy = (expiresAt: Date) =>
      `/school/section/${id}.${createHmac('sha256', t.config.schoolSide.linkSecret!)
        .update(`link|${id}|${row.purpose}|${row.visit.id}|${expiresAt.toISOString()}`)
        .digest('base64url')}`;
    const path = legacy(row.expiresAt);
    expect((await open(path)).status).toBe(200);
    expect((await submitSection(path, '2')).status).toBe(200);
    expect((await open(path.slice(0, -2) + (path.endsWith('AA') ? 'BB' : 'AA'))).status).toBe(404);
    const past = new Date(testClock.now().getTime() - 1000);
    await em.nativeUpdate(AccessLink, { id }, { expiresAt: past });
    const expired = await open(legacy(past));
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain('This link has expired');
  });
});

describe('rotating the link-signing key', () => {
  let saved: LinkSigner;
  beforeAll(() => {
    saved = t.app.schoolSide.signer;
  });
  // Each test starts on the original key (version 1), as the server did before the rotation.
  afterEach(() => {
    t.app.schoolSide.signer = saved;
  });

  /** The server as restarted with a new key (version 2) and the old one accepted until `until`. */
  const rotated = async (until: Date) =>
    createLinkSigner(
      await loadSigningKeys({
        ...t.config.schoolSide,
        linkSecret: randomBytes(32).toString('hex'),
        linkKeyVersion: 2,
        previousLinkKey: { secret: t.config.schoolSide.linkSecret!, version: 1, until },
      }),
    );

  it('keeps links signed with the old key working during the grace period, form included; new links use the new key', async () => {
    const visitId = await bookPast();
    const old = await sendSectionLink(visitId);
    const page = await (await open(old.path)).text(); // opened before the rotation, sent after it

    t.app.schoolSide.signer = await rotated(new Date(testClock.now().getTime() + 7 * 86_400_000));
    expect((await open(old.path)).status).toBe(200);
    expect((await post(old.path, { form_token: formToken(page), ...SECTION('3') })).status).toBe(200);

    const other = await sendSectionLink(await bookPast());
    expect(partsOf(other.path).version).toBe(2);
    expect(await linkRow(other.id)).toMatchObject({ keyVersion: 2 });
    expect((await submitSection(other.path, '2')).status).toBe(200);
  });

  it('refuses links signed with the old key once the grace period has ended, saying they expired', async () => {
    const old = await sendSectionLink(await bookPast());
    t.app.schoolSide.signer = await rotated(new Date(testClock.now().getTime() - 1));
    const res = await open(old.path);
    expect(res.status).toBe(410);
    expect(await res.text()).toContain('This link has expired');
    // A made-up secret under the retired key is not even told that.
    const { id, version } = partsOf(old.path);
    expect((await open(`/school/section/${id}.${version}.${randomBytes(32).toString('base64url')}`)).status).toBe(404);
  });

  it('still sends an email queued under the old key while that key is configured; without it, the attempt fails saying why', async () => {
    const subject = `Queued before the rotation ${randomBytes(4).toString('hex')}`;
    await (t.app.orm.em.fork() as Em).transactional(async (tx) => {
      t.app.outbox.queue(tx as Em, { to: 'head@school.example', subject, body: 'Queued under version 1.' });
    });
    const keys = async (previous: boolean) =>
      loadSigningKeys({
        ...t.config.schoolSide,
        linkSecret: randomBytes(32).toString('hex'),
        linkKeyVersion: 2,
        previousLinkKey: previous ? { secret: t.config.schoolSide.linkSecret!, version: 1, until: new Date(testClock.now().getTime() - 1) } : null,
      });
    const logger = createLogger(t.config);
    const without = startOutbox(t.app.orm, mail, logger, { bodyCipher: createBodyCipher(await keys(false)), clock: testClock });
    try {
      expect(await without.runOnce()).toEqual({ sent: 0, failed: 1 });
    } finally {
      await without.stop();
    }
    const [failed] = await sql(`select last_error from outbound_email where subject = '${subject}'`);
    expect(failed!.last_error).toContain('key version 1, which is no longer configured');

    const withPrevious = startOutbox(t.app.orm, mail, logger, { bodyCipher: createBodyCipher(await keys(true)), clock: testClock });
    try {
      expect(await withPrevious.runOnce(new Date(testClock.now().getTime() + 2 * 60_000))).toEqual({ sent: 1, failed: 0 });
    } finally {
      await withPrevious.stop();
    }
    expect(mail.sent.at(-1)).toMatchObject({ subject, text: 'Queued under version 1.' });
  });

  it('is configured with the previous key, its version and the end of its grace period, or refused', () => {
    const base = { NODE_ENV: 'test', LINK_SIGNING_SECRET: 'n'.repeat(40), LINK_SIGNING_KEY_VERSION: '2' };
    const config = loadConfig({
      ...base,
      LINK_SIGNING_PREVIOUS_SECRET: 'o'.repeat(40),
      LINK_SIGNING_PREVIOUS_KEY_VERSION: '1',
      LINK_SIGNING_PREVIOUS_UNTIL: '2027-04-01T00:00:00Z',
    });
    expect(config.schoolSide).toMatchObject({
      linkKeyVersion: 2,
      previousLinkKey: { secret: 'o'.repeat(40), version: 1, until: new Date('2027-04-01T00:00:00Z') },
    });
    expect(loadConfig(base).schoolSide.previousLinkKey).toBeNull();
    expect(() => loadConfig({ ...base, LINK_SIGNING_PREVIOUS_SECRET: 'o'.repeat(40), LINK_SIGNING_PREVIOUS_KEY_VERSION: '1' })).toThrow(
      /LINK_SIGNING_PREVIOUS_UNTIL/,
    );
    expect(() =>
      loadConfig({
        ...base,
        LINK_SIGNING_PREVIOUS_SECRET: 'o'.repeat(40),
        LINK_SIGNING_PREVIOUS_KEY_VERSION: '2',
        LINK_SIGNING_PREVIOUS_UNTIL: '2027-04-01T00:00:00Z',
      }),
    ).toThrow(/must differ from LINK_SIGNING_KEY_VERSION/);
  });
});

describe('a link stops', () => {
  it('when its visit is cancelled', async () => {
    const visitId = await bookPast();
    const { id, path } = await sendSectionLink(visitId);
    expect((await open(path)).status).toBe(200);
    await gqlOk(`mutation($id: ID!) { cancelVisit(id: $id, reason: "The school is closed for the day.") { status } }`, { id: visitId });
    const res = await open(path);
    expect(res.status).toBe(410);
    expect(await res.text()).toContain('withdrawn');
    expect((await linkRow(id)).revokedAt).toBeInstanceOf(Date);
  });

  it('when a newer link of the same purpose is sent, even after the school used it', async () => {
    const visitId = await bookPast();
    const first = await sendSectionLink(visitId);
    expect((await submitSection(first.path, '2')).status).toBe(200);
    expect((await linkRow(first.id)).usedAt).toBeInstanceOf(Date);
    const newer = await sendSectionLink(visitId);
    expect((await open(first.path)).status).toBe(410);
    expect((await linkRow(first.id)).revokedAt).toBeInstanceOf(Date);
    expect((await submitSection(newer.path, '3')).status).toBe(200);
  });

  it("(the school's section) once the note is shared: a later submission, even while the note is disputed, leaves the note's school grades alone", async () => {
    const visitId = await bookPast();
    const section = await sendSectionLink(visitId);
    const page = await (await open(section.path)).text();
    expect((await post(section.path, { form_token: formToken(page), ...SECTION('2') })).status).toBe(200);
    const { noteId, responsePath } = await writeAndShare(visitId);

    // Revoked by the sharing itself, as the partner's list of links shows.
    const links = (await gqlOk(`query($id: ID!) { visit(id: $id) { accessLinks { id purpose revokedAt } } }`, { id: visitId })).visit.accessLinks;
    expect(links).toContainEqual({ id: section.id, purpose: 'SCHOOL_SECTION', revokedAt: expect.any(String) });
    expect((await open(section.path)).status).toBe(410);

    const draft = await (await open(responsePath)).text();
    const disputed = await post(responsePath, {
      form_token: formToken(draft),
      agreed: 'no',
      comment_achievement: 'We see it differently.',
      respondent: 'The headteacher',
    });
    expect(disputed.status).toBe(200);
    const late = await post(section.path, { form_token: formToken(page), ...SECTION('4') });
    expect(late.status).toBe(410);
    const note = (await gqlOk(`query($id: ID!) { note(id: $id) { ${NOTE} } }`, { id: noteId })).note;
    expect(note.status).toBe('DISPUTED');
    expect(note.judgements).toEqual([{ area: 'ACHIEVEMENT', schoolGrade: 2 }]);
  });

  it("(the headteacher's response) once the note is answered another way", async () => {
    const visitId = await bookPast();
    const { noteId, responsePath } = await writeAndShare(visitId);
    expect((await open(responsePath)).status).toBe(200);
    await gqlOk(
      `mutation($id: ID!) { recordHeadteacherResponse(id: $id, agreed: true, reason: "Given by phone.") { status } }`,
      { id: noteId },
      t.managerToken,
    );
    const res = await open(responsePath);
    expect(res.status).toBe(410);
    expect((await linkRow(partsOf(responsePath).id)).revokedAt).toBeInstanceOf(Date);
  });

  it('by the rule of the stage each serves', () => {
    const booked = { status: VisitStatus.BOOKED };
    const draft = { status: NoteStatus.DRAFT, firstSharedAt: null };
    const corrected = { status: NoteStatus.DRAFT, firstSharedAt: new Date('2020-01-01') };
    const { SCHOOL_SECTION: section, HEADTEACHER_RESPONSE: response } = AccessLinkPurpose;
    expect(linkStageEnded(section, booked, null)).toBeNull();
    expect(linkStageEnded(section, { status: VisitStatus.COMPLETED }, draft)).toBeNull();
    expect(linkStageEnded(section, { status: VisitStatus.CANCELLED }, null)).toBe('visit_cancelled');
    expect(linkStageEnded(section, booked, corrected)).toBe('note_shared');
    expect(linkStageEnded(section, booked, { status: NoteStatus.SHARED })).toBe('note_shared');
    expect(linkStageEnded(response, booked, { status: NoteStatus.SHARED })).toBeNull();
    for (const status of [NoteStatus.DRAFT, NoteStatus.AGREED, NoteStatus.DISPUTED, NoteStatus.MODERATED, NoteStatus.CIRCULATED]) {
      expect(linkStageEnded(response, booked, { status })).toBe('note_not_with_headteacher');
    }
    expect(linkStageEnded(response, { status: VisitStatus.CANCELLED }, { status: NoteStatus.SHARED })).toBe('visit_cancelled');
  });
});
